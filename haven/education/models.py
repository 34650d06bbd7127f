"""Education of looked-after children."""
