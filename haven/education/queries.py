"""Read helpers for the education pages, panel and API: the PEP clock as the timescale rule
derived it (``haven.work.models.Deadline``, worded for a page), the current school and
attendance. Nothing here computes a deadline."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

RULES = (("cla_pep", "Personal education plan"),)


def current_deadline(person, user, rule: str):
    """The open deadline due first (any period of care), else the latest met or missed."""
    from haven.work.models import Deadline

    rows = Deadline.objects.visible_to(user).filter(person=person, rule=rule)
    open_one = rows.open(timezone.now()).order_by("due_at").first()
    if open_one is not None:
        return open_one
    return rows.order_by("-due_at", "-sequence").first()


def clocks(person, user, rules=RULES) -> list[dict]:
    from haven.protection.queries import deadline_status

    out = []
    for code, label in rules:
        status = deadline_status(current_deadline(person, user, code))
        if status is not None:
            out.append({"rule": code, "what": label, **status})
    return out


def current_school(person, user, on=None):
    from .models import SchoolPlacement

    on = on or timezone.localdate()
    return (SchoolPlacement.objects.visible_to(user).filter(person=person, start_date__lte=on)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=on)).order_by("-start_date").first())
