from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "haven.assessments"
    label = "assessments"
    verbose_name = "Referrals and assessments"

    def ready(self) -> None:
        from . import chronology, flags, panels, timescales  # noqa: F401
