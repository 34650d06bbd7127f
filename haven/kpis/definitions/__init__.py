"""KPI definitions, one module per area of work; each registers its KPIs with
``haven.kpis.catalogue.kpi``."""
