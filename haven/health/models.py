"""Health of looked-after children."""
