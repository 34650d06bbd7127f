from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "haven.missing"
    label = "missing"
    verbose_name = "Missing children and exploitation"

    def ready(self) -> None:
        from importlib import import_module

        for name in ("chronology", "flags", "panels", "timescales"):
            try:
                import_module(f"{self.name}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{self.name}.{name}":
                    raise
