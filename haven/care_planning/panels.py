"""The "Looked after" panel on a child's summary page: the child at a glance (placement, legal
status, days in care, placements this year, what is due and overdue, missing episodes and
return-home interviews, allocated workers). Shown only for a child who is or has been looked
after; for one looked after in the past, the history."""

from __future__ import annotations

from haven.people.panels import Panel, record_panel

from . import queries


@record_panel(order=20)
def looked_after(person, user):
    if not user.has_capability("looked_after.view") or person.kind != "child":
        return None
    glance = queries.glance(person, user)
    if glance is None:
        return None
    title = "Looked-after child at a glance" if glance["current"] else "Looked after in the past"
    return Panel(title, "care_planning/_panel.html", {
        "person": person,
        "glance": glance,
        "can_record": user.has_capability("looked_after.record"),
        "can_review": user.has_capability("looked_after.review"),
        "can_allocate": user.has_capability("people.allocate") and user.has_capability("looked_after.record"),
    }, anchor="cla-at-a-glance")
