from django.apps import AppConfig


class CarePlanningConfig(AppConfig):
    """Care Planning, Placement and Case Review (England) Regulations 2010: care plans, IROs,
    looked-after reviews and statutory visits, and the team and IRO views of looked-after children."""

    name = "haven.care_planning"
    label = "care_planning"
    verbose_name = "Care planning and reviews"

    def ready(self) -> None:
        from importlib import import_module

        for name in ("chronology", "flags", "panels", "timescales"):
            try:
                import_module(f"{self.name}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{self.name}.{name}":
                    raise
