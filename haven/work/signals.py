"""Keep deadlines current: any save or delete of a record that a timescale rule reads
recomputes the deadlines of the children it concerns, in the same transaction."""

from __future__ import annotations

from django.apps import apps
from django.db.models.signals import post_delete, post_save

_connected: set[str] = set()


def _people_of(instance) -> list[int]:
    if hasattr(instance, "audit_person_ids"):
        try:
            return instance.audit_person_ids()
        except Exception:  # noqa: BLE001 - a half-deleted object: fall back to nothing
            return []
    return []


def _changed(sender, instance, **kwargs):
    from .sync import recompute_for_people

    if kwargs.get("raw"):
        return
    people = _people_of(instance)
    if not people and hasattr(instance, "person_id"):
        people = [instance.person_id]
    recompute_for_people(people)


def connect_rules() -> None:
    from haven.core.timescales.rules import RULES

    for rule in RULES.values():
        for label in rule.models():
            if label in _connected:
                continue
            model = apps.get_model(label)
            post_save.connect(_changed, sender=model, dispatch_uid=f"timescales-save-{label}")
            post_delete.connect(_changed, sender=model, dispatch_uid=f"timescales-delete-{label}")
            _connected.add(label)
