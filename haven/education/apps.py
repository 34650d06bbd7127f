from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "haven.education"
    label = "education"
    verbose_name = "Education of looked-after children"

    def ready(self) -> None:
        from importlib import import_module

        for name in ("chronology", "flags", "panels", "timescales"):
            try:
                import_module(f"{self.name}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{self.name}.{name}":
                    raise
