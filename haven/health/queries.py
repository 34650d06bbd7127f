"""Read helpers for the health pages, panel and API: a child's health clocks as the timescale
rules derived them (``haven.work.models.Deadline``), worded for a page. Nothing here computes a
deadline."""

from __future__ import annotations

from django.utils import timezone

RULES = (("cla_health_assessment", "Health assessment"), ("cla_dental_check", "Dental check"))


def deadline_status(deadline) -> dict | None:
    from haven.protection.queries import deadline_status as status

    return status(deadline)


def current_deadline(person, user, rule: str):
    """The deadline to show for ``rule``: the open one due first (any period of care), else the
    latest that was met or missed."""
    from haven.work.models import Deadline

    rows = Deadline.objects.visible_to(user).filter(person=person, rule=rule)
    now = timezone.now()
    open_one = rows.open(now).order_by("due_at").first()
    if open_one is not None:
        return open_one
    return rows.order_by("-due_at", "-sequence").first()


def clocks(person, user, rules=RULES) -> list[dict]:
    """[{rule, label, status…}] for the rules given, when the child has any deadline for them."""
    out = []
    for code, label in rules:
        status = deadline_status(current_deadline(person, user, code))
        if status is not None:
            out.append({"rule": code, "what": label, **status})
    return out
