"""The "Looked after" panel on a child's summary page: current placement and legal status, days
in care, placements in the last 12 months, the periods of care, and starting one. (What is due
for a looked-after child is another panel's business: care_planning.)"""

from __future__ import annotations

from haven.people.panels import Panel, record_panel

from .models import Episode, PeriodOfCare


@record_panel(order=25)
def looked_after(person, user):
    if not user.has_capability("looked_after.view"):
        return None
    periods = list(PeriodOfCare.objects.visible_to(user).filter(person=person).order_by("-start_date"))
    if person.kind != person.Kind.CHILD and not periods:
        return None
    current = next((p for p in periods if p.end_date is None), None)
    episode = None
    if current is not None:
        episode = (Episode.objects.visible_to(user).filter(period=current).select_related("placement__provider")
                   .order_by("-start_date", "-pk").first())
    can_start = (current is None and person.kind == person.Kind.CHILD and user.has_capability("looked_after.record")
                 and type(person).objects.visible_to(user, "change").filter(pk=person.pk).exists())
    return Panel("Periods of care and placements", "looked_after/_panel.html", {
        "person": person,
        "periods": periods,
        "current": current,
        "episode": episode,
        "placement": episode.placement if episode else None,
        "can_start": can_start,
    }, anchor="looked-after")
