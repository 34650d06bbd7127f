"""Keep deadlines current: any save or delete of a record that a timescale rule reads
recomputes the deadlines of the children it concerns, in the same transaction."""

from __future__ import annotations

from contextlib import contextmanager

from django.apps import apps
from django.db.models.signals import post_delete, post_save

_connected: set[str] = set()
_paused = 0


@contextmanager
def paused():
    """Saves inside this block recompute no deadlines: for a bulk load that derives every
    deadline afterwards (the seed's ``derive_deadlines``). Never for a user's change."""
    global _paused
    _paused += 1
    try:
        yield
    finally:
        _paused -= 1


def _people_of(instance) -> list[int]:
    if hasattr(instance, "audit_person_ids"):
        try:
            return instance.audit_person_ids()
        except Exception:  # noqa: BLE001 - a half-deleted object: fall back to nothing
            return []
    return []


def _changed(sender, instance, **kwargs):
    from .sync import recompute_for_people

    if kwargs.get("raw") or _paused:
        return
    people = _people_of(instance)
    if not people and hasattr(instance, "person_id"):
        people = [instance.person_id]
    recompute_for_people(people)


def _exemption_changed(sender, instance, **kwargs):
    """An exemption or extension is not a record the rules read: recompute its trigger's
    deadlines for that rule."""
    from haven.core.timescales.rules import RULES

    from .sync import recompute

    if kwargs.get("raw") or _paused or instance.rule not in RULES:
        return
    recompute(RULES[instance.rule], [instance.object_id])


def _models_along(model, path: str, *, include_end: bool = True) -> set[str]:
    """Labels of the models a lookup path crosses (every hop, forward or reverse), starting
    from ``model``. ``include_end=False`` leaves out the model the path ends on (for the
    person path: the Person itself, whose own saves move no deadline)."""
    labels: list[str] = []
    current = model
    for part in path.split("__"):
        try:
            f = current._meta.get_field(part)
        except Exception:  # noqa: BLE001 - a transform or lookup (date, in…): the path ends here
            break
        if not (f.is_relation and f.related_model is not None):
            break
        current = f.related_model
        labels.append(current._meta.label)
    if labels and not include_end:
        labels.pop()
    return set(labels)


def watched_models(rule) -> set[str]:
    """Every model whose change can move this rule's deadlines: the rule's own models, every
    model along its date, filter and link paths, and the records that tie a trigger to its
    child (e.g. the subjects of a contact: adding a child to a contact gives the child the
    contact's clock)."""
    labels = set(rule.models())
    for source in (rule.trigger, rule.satisfied_by):
        model = source.model_class
        for path in (source.date, *source.filter.keys(), *source.exclude.keys()):
            labels |= _models_along(model, path)
        if source.link:
            labels |= _models_along(model, source.link)
    trigger = rule.trigger.model_class
    labels |= _models_along(trigger, rule.person, include_end=False)
    for path in (rule.stop, *rule.stop_when.keys()):
        if path:
            labels |= _models_along(trigger, path)
    return labels


def connect_rules() -> None:
    """Connect every model the registered rules read (run at start-up, and again after a rule
    is registered later, e.g. in a test)."""
    from haven.core.timescales.rules import RULES

    from .models import TimescaleExemption

    post_save.connect(_exemption_changed, sender=TimescaleExemption, dispatch_uid="timescales-exemption-save")
    post_delete.connect(_exemption_changed, sender=TimescaleExemption, dispatch_uid="timescales-exemption-delete")
    for rule in RULES.values():
        for label in sorted(watched_models(rule)):
            if label in _connected:
                continue
            model = apps.get_model(label)
            post_save.connect(_changed, sender=model, dispatch_uid=f"timescales-save-{label}")
            post_delete.connect(_changed, sender=model, dispatch_uid=f"timescales-delete-{label}")
            _connected.add(label)
