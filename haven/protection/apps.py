from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "haven.protection"
    label = "protection"
    verbose_name = "Child protection"

    def ready(self) -> None:
        from . import chronology, flags, panels, timescales  # noqa: F401
