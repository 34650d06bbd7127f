"""Care plans, IRO allocation, looked-after reviews and statutory visits."""
