"""The "Timescales" panel on a child's summary page: every deadline the rules set for the child."""

from __future__ import annotations

from haven.people.panels import Panel, record_panel

from .worklists import timescales_for


@record_panel(order=15)
def timescales(person, user):
    if not user.has_capability("work.view"):
        return None
    open_rows, past, past_total = timescales_for(person, user)
    if not open_rows and not past and person.kind != person.Kind.CHILD:
        return None
    return Panel("Timescales", "work/_timescales_panel.html",
                 {"open": open_rows, "past": past, "past_total": past_total,
                  "overdue": sum(1 for row in open_rows if row[2] == "red")},
                 anchor="timescales")
