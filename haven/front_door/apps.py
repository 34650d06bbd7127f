from django.apps import AppConfig


class FrontDoorConfig(AppConfig):
    name = "haven.front_door"
    label = "front_door"
    verbose_name = "Front door and MASH"

    def ready(self) -> None:
        from . import chronology, panels, timescales  # noqa: F401
