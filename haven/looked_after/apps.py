from django.apps import AppConfig


class LookedAfterConfig(AppConfig):
    name = "haven.looked_after"
    label = "looked_after"
    verbose_name = "Children looked after"

    def ready(self) -> None:
        from importlib import import_module

        for name in ("chronology", "flags", "panels", "timescales"):
            try:
                import_module(f"{self.name}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{self.name}.{name}":
                    raise
