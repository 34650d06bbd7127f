from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "haven.kpis"
    label = "kpis"
    verbose_name = "Performance indicators"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import changes

        changes.connect()
