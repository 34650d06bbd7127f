from django.apps import AppConfig


class ChronologyConfig(AppConfig):
    name = "haven.chronology"
    label = "chronology"
    verbose_name = "Chronology"
