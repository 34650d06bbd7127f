"""The "Plans" panel on a person's summary page."""

from __future__ import annotations

from haven.people.panels import Panel, record_panel

from . import checks
from .models import Plan, PlanAction


@record_panel(order=40)
def plans(person, user):
    if not user.has_capability("plans.view") or person.kind != "child":
        return None
    rows = list(Plan.objects.visible_to(user).filter(person=person).select_related("episode"))
    incomplete: dict[int, int] = {}
    for a in PlanAction.objects.visible_to(user).filter(plan__in=[p.pk for p in rows]).only(
            "plan_id", "owner", "measurable_outcome", "due_date"):
        if not a.is_smart:
            incomplete[a.plan_id] = incomplete.get(a.plan_id, 0) + 1
    can_start = False
    if user.has_capability("plans.record"):
        episode = checks.open_episode_for(person)
        can_start = episode is not None and not any(p.end_date is None for p in rows)
    return Panel("Plans", "plans/_panel.html", {
        "person": person,
        "plans": [(p, incomplete.get(p.pk, 0)) for p in rows],
        "can_start": can_start,
    }, anchor="plans")
