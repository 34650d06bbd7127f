"""What the KPI definitions share: the period as London-time bounds, and the rows of a timeliness
KPI read from the timescale rules engine's deadlines (``haven.work.models.Deadline``), so that no
KPI keeps its own copy of a statutory clock.

A deadline is in a "due in the period" cohort when its due day falls in the period, except:

- an exempt deadline (a manager stopped the clock with a reason): not in the cohort;
- a deadline whose clock stopped before it fell due (the plan or the period of care ended): not
  in the cohort. One that fell due before the clock stopped and was never met stays in: missed.

"On time" is ``met_at <= due_at``: met on or before the due day (a day clock falls due at
23:59:59 London time) or the due hour. A deadline due in the period and not met, or met late,
counts against it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone

from .catalogue import Row, Scope


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day``, London time."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def bounds(scope: Scope) -> tuple[dt.datetime, dt.datetime]:
    """The period as aware datetimes ``[first day 00:00, the day after the last day 00:00)``,
    London time: a date-and-time falls in the period when its London date does."""
    return day_start(scope.start), day_start(scope.end + dt.timedelta(days=1))


def local(when: dt.datetime | None) -> dt.datetime | None:
    return None if when is None else when.astimezone(timezone.get_default_timezone())


def local_date(when: dt.datetime | None) -> dt.date | None:
    return None if when is None else when.astimezone(timezone.get_default_timezone()).date()


BY = {"due": "due_at", "start": "starts_at", "met": "met_at"}


def deadlines(scope: Scope, rules, *, by: str = "due"):
    """The deadlines of ``rules`` (a rule code or several) of the scope's authorities that fell
    due in the period (``by="due"``), whose clock started in it (``"start"``) or that were met in
    it (``"met"``): not exempt, and not stopped before they fell due."""
    from haven.work.models import Deadline

    low, high = bounds(scope)
    codes = [rules] if isinstance(rules, str) else list(rules)
    field = BY[by]
    return (Deadline.objects.filter(rule__in=codes, authority_id__in=scope.authority_ids, exempt=False,
                                    **{f"{field}__gte": low, f"{field}__lt": high})
            .exclude(stopped_at__lt=F("due_at")))


DAY_FIELDS = ("starts_at", "due_at", "met_at", "stopped_at")


def deadline_days(qs):
    """``qs`` (deadlines) as dicts of person_id, sequence, on_time (met on or before due; None
    when not met) and the London days of its date-times (``starts_at`` ...). On PostgreSQL the
    database cuts the days and compares (decoding thousands of timestamps costs psycopg more
    than the query); on SQLite, where the database would call back into Python for it, Python
    does."""
    from django.db import connection
    from django.db.models import BooleanField, Case, When
    from django.db.models.functions import TruncDate

    if connection.vendor == "postgresql":
        london = timezone.get_default_timezone()
        days = {f"{name}_day": TruncDate(name, tzinfo=london) for name in DAY_FIELDS}
        on_time = Case(When(met_at__isnull=True, then=None), When(met_at__lte=F("due_at"), then=True), default=False,
                       output_field=BooleanField())
        for d in qs.annotate(**days, on_time=on_time).values("person_id", "sequence", "on_time", *days):
            yield {**d, **{name: d.pop(f"{name}_day") for name in DAY_FIELDS}}
        return
    for d in qs.values("person_id", "sequence", *DAY_FIELDS):
        met = d["met_at"]
        d["on_time"] = None if met is None else met <= d["due_at"]
        for name in DAY_FIELDS:
            d[name] = local_date(d[name])
        yield d


def deadline_rows(scope: Scope, rule: str, *, by: str = "due"):
    """One row per deadline of ``rule`` (see ``deadlines``), oldest due first: counted when met on
    time; ``why`` says when its clock started, when it was due and met, and where the clock
    stopped."""
    for d in deadline_days(deadlines(scope, rule, by=by).order_by("due_at", "person_id", "sequence", "pk")):
        on_time = bool(d["on_time"])
        why = {"deadline": rule, "number in the series": d["sequence"], "clock started": d["starts_at"],
               "due": d["due_at"], "met": d["met_at"], "on time": on_time if d["met_at"] is not None else "not met"}
        if d["stopped_at"] is not None:
            why["clock stopped"] = d["stopped_at"]
        yield Row(d["person_id"], counted=on_time, why=why)
