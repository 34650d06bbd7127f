"""Read helpers for the permanence page, the summary panel and the API: everything recorded about
a child's permanence, with each set of proceedings' 26-week clock as the timescale rule derived
it (``haven.work.models.Deadline``; never recomputed here)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from haven.protection.queries import deadline_status

from .models import (
    AdoptionDecision,
    CareProceedings,
    PermanencePlan,
    PermanencePlanningMeeting,
    PreProceedings,
    SpecialGuardianshipOrder,
)
from .services import TWENTY_SIX_WEEK_APPLICATIONS, day

Kind = AdoptionDecision.Kind


def clocks(proceedings) -> dict[int, object]:
    """{proceedings pk: its ``proceedings_26w`` Deadline}."""
    from haven.work.models import Deadline

    ids = [p.pk for p in proceedings]
    if not ids:
        return {}
    ct = ContentType.objects.get_for_model(CareProceedings)
    out: dict[int, object] = {}
    for d in Deadline.objects.filter(rule="proceedings_26w", content_type=ct, object_id__in=ids).order_by("sequence"):
        out.setdefault(d.object_id, d)
    return out


def proceedings_rows(proceedings) -> list[dict]:
    found = clocks(proceedings)
    rows = []
    for p in proceedings:
        deadline = found.get(p.pk)
        status = deadline_status(deadline)
        week = None
        if deadline is not None and p.concluded_on is None:
            week = (timezone.localdate() - p.issued_on).days // 7 + 1
        rows.append({"proceedings": p, "clock": status, "week": week,
                     "limited": p.application in TWENTY_SIX_WEEK_APPLICATIONS,
                     "extended": bool(deadline and deadline.exemption_reason.startswith("Extended"))})
    return rows


def adoption_stage(steps: list[AdoptionDecision]) -> str:
    """Where the child's adoption journey stands, in words."""
    if not steps:
        return ""
    last = max(steps, key=lambda s: (s.decided_on, s.pk))
    words = {
        Kind.SHOULD_BE_PLACED: "Should be placed for adoption",
        Kind.PLACEMENT_ORDER: "Placement order granted",
        Kind.MATCHED: "Matched with adopters",
        Kind.MOVED_IN_WITH_CARERS: "Living with foster carers who plan to adopt",
        Kind.PLACED: "Placed for adoption",
        Kind.ADOPTION_ORDER: "Adopted",
        Kind.REVERSED: "Should no longer be placed for adoption",
    }
    return f"{words[last.kind]} (since {day(last.decided_on)})"


def summary(person, user) -> dict:
    """Everything the page and the API show about a child's permanence (records the user may
    see)."""
    plans = list(PermanencePlan.objects.visible_to(user).filter(person=person).select_related("period"))
    proceedings = list(CareProceedings.objects.visible_to(user).filter(person=person).select_related("pre_proceedings"))
    steps = list(AdoptionDecision.objects.visible_to(user).filter(person=person).order_by("decided_on", "pk"))
    return {
        "person": person,
        "current_plan": next((p for p in plans if p.is_current), None),
        "plans": plans,
        "meetings": list(PermanencePlanningMeeting.objects.visible_to(user).filter(person=person)),
        "pre_proceedings": list(PreProceedings.objects.visible_to(user).filter(person=person)),
        "proceedings": proceedings_rows(proceedings),
        "adoption": steps,
        "adoption_stage": adoption_stage(steps),
        "sgos": list(SpecialGuardianshipOrder.objects.visible_to(user).filter(person=person)),
    }


def looked_after_now(person):
    from haven.looked_after.models import PeriodOfCare

    return PeriodOfCare.objects.filter(person=person).open_on(timezone.localdate()).first()
