"""The timescale rules engine. Rules are data (``Rule`` rows in ``haven.core.timescales.rules``
and each module's ``timescales.py``); this package turns them into deadlines."""
