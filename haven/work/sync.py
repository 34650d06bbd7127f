"""Deadlines from rules: recompute the deadlines of a rule for some trigger records, in bulk.

``recompute(rule)`` rebuilds every deadline of a rule (the seed, a rule change);
``recompute_for_people(ids)`` rebuilds what concerns some children (after any change to a
record a rule reads, see ``signals``). Deadlines are derived data: they are replaced, not edited.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from haven.core.calendar import add_months
from haven.core.models import in_batches
from haven.core.timescales.engine import compute
from haven.core.timescales.rules import RULES, Rule

from .models import Deadline, TimescaleExemption

NOON = dt.time(12, 0)
END_OF_DAY = dt.time(23, 59, 59)


def _aware(day: dt.date, at: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, at))


def _as_value(value, hours: bool):
    """Dates for day clocks, aware datetimes for hour clocks."""
    if value is None:
        return None
    if hours:
        return value if isinstance(value, dt.datetime) else _aware(value, dt.time.min)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def recompute(rule: Rule, trigger_ids: Iterable[int] | None = None) -> int:
    """Replace the deadlines of ``rule`` for these triggers (all triggers when None)."""
    T = rule.trigger.model_class
    ct = ContentType.objects.get_for_model(T)
    ids = None if trigger_ids is None else sorted(set(trigger_ids))
    if ids is not None and not ids:
        return 0
    written = 0
    batches = [None] if ids is None else list(in_batches(ids))
    for batch in batches:
        with transaction.atomic():
            written += _recompute_batch(rule, T, ct, batch)
    return written


def _recompute_batch(rule: Rule, T, ct, ids) -> int:
    base = T._base_manager.all()
    if ids is not None:
        base = base.filter(pk__in=ids)
        Deadline.objects.filter(rule=rule.code, content_type=ct, object_id__in=ids).delete()
    else:
        Deadline.objects.filter(rule=rule.code, content_type=ct).delete()
    triggers = base.filter(**rule.trigger.filter).exclude(**{f"{rule.trigger.date}__isnull": True})
    fields = ["pk", "authority_id", rule.trigger.date, rule.person,
              rule.schedule_by or "pk", f"{rule.person}__date_of_birth" if rule.needs_birth else "pk"]
    rows = list(triggers.exclude(**{f"{rule.person}__isnull": True}).values_list(*fields))
    if not rows:
        return 0
    trigger_ids = sorted({r[0] for r in rows})
    stops: dict[int, object] = {}
    if rule.stop:
        stopping = T._base_manager.filter(pk__in=trigger_ids, **rule.stop_when).exclude(**{f"{rule.stop}__isnull": True})
        stops = dict(stopping.values_list("pk", rule.stop))
    person_ids = sorted({r[3] for r in rows})
    events = _events(rule, trigger_ids, person_ids)
    exemptions = defaultdict(list)
    for ex in TimescaleExemption.objects.filter(rule=rule.code, content_type=ct, object_id__in=trigger_ids):
        exemptions[ex.object_id].append(ex)

    out = []
    for pk, authority_id, start, person_id, variant, born in rows:
        hours = rule.hours
        key = pk if rule.satisfied_by.match == "object" else person_id
        schedule = rule.schedule_for(variant) if rule.schedule_by else rule.schedule
        if rule.from_age is not None:
            if born is None:
                continue
            from_day = add_months(born, 12 * rule.from_age)
            if _as_value(start, False) < from_day:
                start = from_day if not hours else _aware(from_day, dt.time.min)
                stop = stops.get(pk)
                if stop is not None and _as_value(stop, False) < from_day:
                    continue
        series = compute(schedule, _as_value(start, hours), [_as_value(e, hours) for e in events.get(key, [])],
                         stop=_as_value(stops.get(pk), hours), born=born if rule.needs_birth else None)
        for d in series:
            due = d.due if hours else _aware(d.due, END_OF_DAY)
            row = Deadline(rule=rule.code, content_type=ct, object_id=pk, person_id=person_id,
                           authority_id=authority_id, sequence=d.sequence,
                           starts_at=d.starts if hours else _aware(d.starts, NOON),
                           due_at=due,
                           met_at=None if d.met is None else (d.met if hours else _aware(d.met, NOON)),
                           stopped_at=None if d.stopped is None else (d.stopped if hours else _aware(d.stopped, dt.time.min)))
            _apply_exemptions(row, exemptions.get(pk, []), rule)
            out.append(row)
    Deadline.objects.bulk_create(out, batch_size=2000)
    return len(out)


def _events(rule: Rule, trigger_ids, person_ids) -> dict[int, list]:
    S = rule.satisfied_by
    model = S.model_class
    events: dict[int, list] = defaultdict(list)
    if S.match == "person":
        key_path = "person_id"
        ids = person_ids
    elif S.link is None:
        key_path = "pk"
        ids = trigger_ids
    else:
        key_path = S.link if S.link.endswith("_id") else f"{S.link}_id" if "__" not in S.link else S.link
        ids = trigger_ids
    for batch in in_batches(list(ids)):
        qs = model._base_manager.filter(**{f"{key_path}__in": batch}, **S.filter).exclude(**S.exclude)
        for key, value in qs.exclude(**{f"{S.date}__isnull": True}).values_list(key_path, S.date):
            events[key].append(value)
    return events


def last_events(rule: Rule, person_ids) -> dict[int, object]:
    """``{person: the latest event that meets rule}`` (a date or a moment) for a rule met by
    anything about the person (``satisfied_by.match == "person"``, such as a visit): read as
    the engine reads its events (``_events``), the latest by one aggregate."""
    from django.db.models import Max

    S = rule.satisfied_by
    if S.match != "person":
        raise ValueError(f"rule {rule.code} is not met by the person's records")
    out: dict[int, object] = {}
    for batch in in_batches(sorted(set(person_ids))):
        qs = (S.model_class._base_manager.filter(person_id__in=batch, **S.filter).exclude(**S.exclude)
              .exclude(**{f"{S.date}__isnull": True}))
        out.update(qs.values("person_id").annotate(last=Max(S.date)).values_list("person_id", "last"))
    return out


def _apply_exemptions(row: Deadline, exemptions: list, rule: Rule) -> None:
    """The latest decision counts. An exemption stops a clock that is still running; an
    extension moves the first due date, also once it has been met (so that an assessment
    authorised within the agreed extension counts as in time)."""
    if not exemptions or not rule.exemptible:
        return
    latest = max(exemptions, key=lambda e: (e.created_at, e.pk))
    if latest.kind == TimescaleExemption.Kind.EXEMPT and row.met_at is None:
        row.exempt = True
        row.exemption_reason = latest.reason
    elif latest.kind == TimescaleExemption.Kind.EXTEND and latest.extended_to and row.sequence == 1:
        row.due_at = _aware(latest.extended_to, END_OF_DAY)
        row.exemption_reason = f"Extended: {latest.reason}"


def recompute_for_people(person_ids: Iterable[int]) -> int:
    """Rebuild every rule's deadlines for triggers about these people."""
    person_ids = sorted({p for p in person_ids if p})
    if not person_ids:
        return 0
    written = 0
    for rule in RULES.values():
        T = rule.trigger.model_class
        ids = set(T._base_manager.filter(**{f"{rule.person}__in": person_ids}).values_list("pk", flat=True))
        # Deadlines whose trigger no longer names these people (a subject removed) go too.
        ct = ContentType.objects.get_for_model(T)
        ids |= set(Deadline.objects.filter(rule=rule.code, content_type=ct, person_id__in=person_ids)
                   .values_list("object_id", flat=True))
        written += recompute(rule, ids)
    return written


def recompute_all(out=None) -> int:
    written = 0
    for rule in RULES.values():
        n = recompute(rule)
        written += n
        if out is not None:
            out.write(f"  {rule.code}: {n:,} deadlines\n")
    return written
