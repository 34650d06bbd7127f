"""The contacts panel on a person's summary page."""

from __future__ import annotations

from haven.people.panels import Panel, record_panel

from .models import Contact

SHOWN = 5


@record_panel(order=10)
def contacts(person, user):
    if not user.has_capability("front_door.view"):
        return None
    rows = list(Contact.objects.visible_to(user).filter(subjects__person=person).distinct()
                .order_by("-received_at")[:SHOWN + 1])
    if not rows:
        return None
    return Panel("Contacts", "front_door/_panel.html", {"contacts": rows[:SHOWN], "more": len(rows) > SHOWN},
                 anchor="contacts")
