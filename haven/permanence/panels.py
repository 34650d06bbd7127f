"""The "Permanence" panel on a child's summary page: the current plan, open care proceedings with
their 26-week clock, where the adoption journey stands, and a special guardianship order."""

from __future__ import annotations

from haven.people.panels import Panel, record_panel

from . import queries


@record_panel(order=38)
def permanence(person, user):
    if not user.has_capability("permanence.view") or person.kind != person.Kind.CHILD:
        return None
    data = queries.summary(person, user)
    has_any = any(data[k] for k in ("plans", "meetings", "pre_proceedings", "proceedings", "adoption", "sgos"))
    if not has_any and queries.looked_after_now(person) is None:
        return None
    return Panel("Permanence", "permanence/_panel.html", {
        "person": person,
        "current_plan": data["current_plan"],
        "open_proceedings": [r for r in data["proceedings"] if r["proceedings"].concluded_on is None],
        "adoption_stage": data["adoption_stage"],
        "sgo": data["sgos"][0] if data["sgos"] else None,
    }, anchor="permanence")
