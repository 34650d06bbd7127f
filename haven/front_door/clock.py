"""The RAG clock of a contact, read from the deadlines the timescale rules derived
(``haven.work.models.Deadline``; the rules are in this app's ``timescales.py``). Nothing here
computes a deadline: it reads them and says how long is left."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Min, OuterRef, Subquery
from django.utils import timezone

from haven.core.timescales.rules import rules_for_model
from haven.work.models import Deadline

from .models import Contact


def rule_codes() -> list[str]:
    """The rules a contact's rating triggers (whatever timescales.py declares)."""
    return sorted(rule.code for rule, role in rules_for_model("front_door.Contact") if role == "trigger")


def _deadlines():
    return Deadline.objects.filter(content_type=ContentType.objects.get_for_model(Contact), rule__in=rule_codes())


def due_subquery():
    """For annotating contacts: when the decision is due (None: no clock, e.g. not rated, blue)."""
    rows = (_deadlines().filter(object_id=OuterRef("pk")).order_by().values("object_id")
            .annotate(due=Min("due_at")).values("due"))
    return Subquery(rows[:1])


def duration(delta: dt.timedelta) -> str:
    """'2 days 3 hours', '3 hours 20 minutes', '45 minutes' (the two largest units)."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour"), (mins, "minute")]
    words = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n]
    return " ".join(words[:2]) if words else "less than a minute"


@dataclass(frozen=True)
class RagClock:
    due_at: dt.datetime | None
    met_at: dt.datetime | None
    now: dt.datetime

    @property
    def running(self) -> bool:
        return self.due_at is not None and self.met_at is None

    @property
    def overdue(self) -> bool:
        return self.running and self.due_at < self.now

    @property
    def met_in_time(self) -> bool | None:
        if self.due_at is None or self.met_at is None:
            return None
        return self.met_at <= self.due_at

    @property
    def describe(self) -> str:
        if self.due_at is None:
            return ""
        if self.met_at is not None:
            if self.met_in_time:
                return f"Decided in time ({duration(self.due_at - self.met_at)} before the deadline)"
            return f"Decided {duration(self.met_at - self.due_at)} late"
        if self.overdue:
            return f"Overdue by {duration(self.now - self.due_at)}"
        return f"{duration(self.due_at - self.now)} left"


def clocks_for(contact_ids, now: dt.datetime | None = None) -> dict[int, RagClock]:
    """{contact id: its clock}; contacts without a deadline are left out."""
    now = now or timezone.now()
    ids = sorted(set(contact_ids))
    if not ids:
        return {}
    rows = (_deadlines().filter(object_id__in=ids).order_by().values("object_id")
            .annotate(due=Min("due_at"), met=Min("met_at")))
    return {r["object_id"]: RagClock(r["due"], r["met"], now) for r in rows}


def clock_for(contact: Contact, now: dt.datetime | None = None) -> RagClock:
    return clocks_for([contact.pk], now).get(contact.pk, RagClock(None, None, now or timezone.now()))
