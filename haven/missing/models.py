"""Missing children and exploitation."""
