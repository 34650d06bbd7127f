from django.apps import AppConfig


class PermanenceConfig(AppConfig):
    name = "haven.permanence"
    label = "permanence"
    verbose_name = "Permanence, proceedings and adoption"

    def ready(self) -> None:
        from importlib import import_module

        for name in ("chronology", "flags", "panels", "timescales"):
            try:
                import_module(f"{self.name}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{self.name}.{name}":
                    raise
