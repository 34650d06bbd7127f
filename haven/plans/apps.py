from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "haven.plans"
    label = "plans"
    verbose_name = "Plans"

    def ready(self) -> None:
        from . import chronology, flags, panels, timescales  # noqa: F401
