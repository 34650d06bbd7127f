"""Care leavers."""
