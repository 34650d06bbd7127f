from django.apps import AppConfig


class RecordingConfig(AppConfig):
    name = "haven.recording"
    label = "recording"
    verbose_name = "Visits, meetings and case notes"

    def ready(self) -> None:
        from . import chronology, panels  # noqa: F401
