"""Keep the leaving-care tracking row (the needs assessment clock's trigger) in step with the
care history: any save or delete of a period of care or an episode re-runs
``services.ensure_tracking`` for the child."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save


def _history_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    from haven.people.models import Person

    from .services import ensure_tracking

    person = Person.objects.filter(pk=getattr(instance, "person_id", None)).first()
    if person is not None:
        ensure_tracking(person)


def connect() -> None:
    from haven.looked_after.models import Episode, PeriodOfCare

    for model in (PeriodOfCare, Episode):
        post_save.connect(_history_changed, sender=model, dispatch_uid=f"care-leavers-{model.__name__}-save")
        post_delete.connect(_history_changed, sender=model, dispatch_uid=f"care-leavers-{model.__name__}-delete")
