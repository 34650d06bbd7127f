"""The "Visits, meetings and notes" panel on a person's summary page."""

from __future__ import annotations

from haven.people.panels import Panel, record_panel

from .models import RecordingSubject


@record_panel(order=45)
def recordings(person, user):
    if not user.has_capability("recording.view"):
        return None
    rows = list(RecordingSubject.objects.visible_to(user).filter(person=person).select_related("recording")
                .order_by("-recording__occurred_at")[:5])
    return Panel("Visits, meetings and notes", "recording/_panel.html", {
        "person": person,
        "rows": rows,
        "can_record": user.has_capability("recording.record"),
    }, anchor="recordings")
