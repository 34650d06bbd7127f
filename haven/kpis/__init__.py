"""Performance management: the KPI catalogue (``catalogue``), its definitions
(``definitions/``), and the child population figures the rates per 10,000 need."""
