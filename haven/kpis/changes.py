"""Marking the store's runs out of date: every save or delete of a case record writes a
``KpiChange`` for its authority, in the same transaction, saying from which day the figures may
differ (``since``). The store (``haven.kpis.store``) then knows which runs to recompute: those of
that authority (and its partnership) whose period ends on or after ``since``.

``since`` is the earliest date the change touches:

- a record created or deleted: the earliest of its dates (date and date-time fields, London
  time), or, for a record with no dates of its own (a child on a contact, an agency at a
  strategy discussion), its parent records' dates;
- a record changed: when only dates changed, the earliest of their old and new values (a
  worker's allocation ending today moves nothing before today); when anything else changed too
  (an outcome, a code), the earliest of all its dates before and after;
- a person: only their kind, dates of birth and death and authority matter to any KPI; other
  changes (a name, an address) mark nothing, and nor does a new person (their records mark);
- a child population figure: the 1st of January of its year.

A record with no date anywhere marks everything (``FOREVER``). Models that no KPI and no
timescale rule reads are not watched (``NOT_READ``): the test
``test_no_kpi_reads_a_model_it_does_not_watch`` fails if a KPI starts reading one.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

FOREVER = dt.date(1900, 1, 1)
BOOKKEEPING = {"id", "version", "created_at", "updated_at", "created_by", "updated_by"}

# Models no KPI or timescale rule reads: their changes move no figure.
NOT_READ = {
    "people.PersonDisability", "people.PersonAlias", "people.Address", "people.Household", "people.HouseholdMember",
    "people.Relationship", "people.PersonFlag",
    "front_door.AgencyCheck", "assessments.AssessmentFactorIdentified", "protection.StrategyAction",
    "protection.ConferenceAttendee", "plans.PlanObjective", "plans.PlanAction", "recording.RecordingPart",
    "care_planning.ReviewRecommendation", "health.SDQScore",
    "education.SchoolPlacement", "education.Attendance", "education.Exclusion", "education.VirtualSchoolNote",
    "missing.ExploitationRiskAssessment", "missing.PanelDecision", "missing.PanelAction",
    "permanence.PermanencePlan", "permanence.PermanencePlanningMeeting", "permanence.PreProceedings",
    "permanence.SpecialGuardianshipOrder",
    "care_leavers.PathwayPlanAction", "care_leavers.StayingPut", "care_leavers.LeaverHealth",
}
# Of these models only these fields matter to a KPI.
ONLY = {"people.Person": {"kind", "date_of_birth", "expected_date_of_birth", "date_of_death", "authority"}}


def _day(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    return None


def _fields(model) -> list:
    only = ONLY.get(model._meta.label)
    return [f for f in model._meta.concrete_fields
            if f.name not in BOOKKEEPING and (only is None or f.name in only)]


def _dates(model) -> list[str]:
    return [f.attname for f in _fields(model) if isinstance(f, models.DateField)]


def _parent_dates(instance) -> list[dt.date]:
    """The dates of the case records this one belongs to (its foreign keys other than the person)."""
    from haven.core.models import CaseRecord
    from haven.people.models import Person

    out = []
    for f in instance._meta.concrete_fields:
        target = f.related_model if f.is_relation else None
        if not f.many_to_one or target is None or target is Person or not issubclass(target, CaseRecord):
            continue
        pk = getattr(instance, f.attname)
        if pk is None:
            continue
        names = _dates(target)
        if names:
            row = target._base_manager.filter(pk=pk).values(*names).first() or {}
            out.extend(d for d in map(_day, row.values()) if d)
    return out


def mark(authority_id: int | None, since: dt.date, what: str = "") -> None:
    from .models import KpiChange

    if authority_id is not None:
        KpiChange.objects.create(authority_id=authority_id, since=since, what=what[:80])


def _before(sender, instance, raw=False, **kwargs):
    """Keep the values the change will overwrite (one query, only for an existing record)."""
    if raw or instance.pk is None:
        return
    names = [f.attname for f in _fields(sender)]
    instance._kpi_before = sender._base_manager.filter(pk=instance.pk).values(*names).first()


def _saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    if (created or getattr(instance, "_kpi_before", None) is None) and sender._meta.label in ONLY:
        return   # a new person has no records yet: those they get mark for themselves
    before = getattr(instance, "_kpi_before", None)
    instance._kpi_before = None
    fields = _fields(sender)
    dates = set(_dates(sender))
    after = {f.attname: getattr(instance, f.attname) for f in fields}
    if created or before is None:
        since = min((d for d in map(_day, (after[n] for n in dates)) if d), default=None)
    else:
        changed = [n for n in after if after[n] != before.get(n)]
        if not changed:
            return
        if set(changed) <= dates:
            touched = [before.get(n) for n in changed] + [after[n] for n in changed]
        else:
            touched = [before.get(n) for n in dates] + [after[n] for n in dates]
        since = min((d for d in map(_day, touched) if d), default=None)
        if before.get("authority_id") not in (None, after.get("authority_id")):
            mark(before["authority_id"], since or FOREVER, sender._meta.label)
    if since is None:
        since = min(_parent_dates(instance), default=FOREVER)
    mark(getattr(instance, "authority_id", None), since, sender._meta.label)


def _deleted(sender, instance, **kwargs):
    dates = [d for d in (_day(getattr(instance, n)) for n in _dates(sender)) if d]
    if not dates:
        try:
            dates = _parent_dates(instance)
        except Exception:  # noqa: BLE001 - the parent went first in a cascade
            dates = []
    mark(getattr(instance, "authority_id", None), min(dates, default=FOREVER), sender._meta.label)


def _population(sender, instance, raw=False, **kwargs):
    if not raw:
        mark(instance.authority_id, dt.date(instance.year, 1, 1), "kpis.ChildPopulation")


def watched() -> list:
    """The models whose changes mark the store: every case record except those in ``NOT_READ``."""
    from haven.core.models import CaseRecord

    return [m for m in apps.get_models()
            if issubclass(m, CaseRecord) and not m._meta.abstract and m._meta.label not in NOT_READ]


def connect() -> None:
    from .models import ChildPopulation

    for model in watched():
        uid = f"kpis-{model._meta.label}"
        pre_save.connect(_before, sender=model, dispatch_uid=uid, weak=False)
        post_save.connect(_saved, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid, weak=False)
    for signal in (post_save, post_delete):
        signal.connect(_population, sender=ChildPopulation, dispatch_uid="kpis-population", weak=False)
