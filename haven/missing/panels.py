"""The "Missing and exploitation" panel on a child's summary page: missing episodes in the last
12 months with whether each return home interview was offered within 72 hours (read from the
``missing_rhi_72h`` deadlines), the latest exploitation risk assessment and panel decisions."""

from __future__ import annotations

from haven.people.panels import Panel, record_panel

from . import queries
from .models import ExploitationRiskAssessment, MissingEpisode, PanelDecision


@record_panel(order=35)
def missing_and_exploitation(person, user):
    if not user.has_capability("missing.view"):
        return None
    if person.kind != person.Kind.CHILD and not (
            MissingEpisode.objects.filter(person=person).exists()
            or ExploitationRiskAssessment.objects.filter(person=person).exists()
            or PanelDecision.objects.filter(person=person).exists()):
        return None
    from haven.people.models import Person

    can_change = Person.objects.visible_to(user, "change").filter(pk=person.pk).exists()
    return Panel("Missing and exploitation", "missing/_panel.html", {
        "person": person,
        "summary": queries.child_summary(person, user),
        "can_record": can_change and user.has_capability("missing.record") and person.kind == person.Kind.CHILD,
    }, anchor="missing")
