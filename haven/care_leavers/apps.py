"""Care leavers app: registers its chronology, flags, panels and timescale rules, connects the
deadline signals for its rules, and keeps the leaving-care tracking in step with the care history."""

from django.apps import AppConfig


class CareLeaversConfig(AppConfig):
    name = "haven.care_leavers"
    label = "care_leavers"
    verbose_name = "Care leavers"

    def ready(self) -> None:
        from importlib import import_module

        for name in ("chronology", "flags", "panels", "timescales"):
            try:
                import_module(f"{self.name}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{self.name}.{name}":
                    raise
        from . import signals

        signals.connect()
