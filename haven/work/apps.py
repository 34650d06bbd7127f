from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "haven.work"
    label = "work"
    verbose_name = "Deadlines and worklists"

    def ready(self) -> None:
        from . import flags, panels, signals

        signals.connect_rules()
        del flags, panels
