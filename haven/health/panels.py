"""The "Health" panel on a child's summary page: the health assessment and dental clocks (next
due, or overdue, read from the derived deadlines) and the latest record of each kind."""

from __future__ import annotations

from haven.people.panels import Panel, record_panel

from . import queries
from .models import DentalCheck, HealthAssessment, Immunisations, SDQScore


@record_panel(order=40)
def health(person, user):
    if not user.has_capability("health.view") or person.kind != person.Kind.CHILD:
        return None
    latest = {name: model.objects.visible_to(user).filter(person=person).first()
              for name, model in (("assessment", HealthAssessment), ("dental", DentalCheck),
                                  ("immunisations", Immunisations), ("sdq", SDQScore))}
    clocks = queries.clocks(person, user)
    if not clocks and not any(latest.values()):
        return None  # never looked after and nothing recorded: nothing to show
    can_record = user.has_capability("health.record") and type(person).objects.visible_to(user, "change").filter(
        pk=person.pk).exists()
    return Panel("Health", "health/_panel.html", {"person": person, "clocks": clocks, "can_record": can_record,
                                                 **latest}, anchor="health")
