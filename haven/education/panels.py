"""The "Education" panel on a child's summary page: the PEP clock (next due, or overdue, read
from the derived deadlines), current school, latest PEP and attendance (persistent absence
flagged), exclusions in the last 12 months and the latest virtual school note."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from haven.people.panels import Panel, record_panel

from . import queries
from .models import Attendance, Exclusion, PersonalEducationPlan, VirtualSchoolNote


@record_panel(order=45)
def education(person, user):
    if not user.has_capability("education.view") or person.kind != person.Kind.CHILD:
        return None
    year_ago = timezone.localdate() - dt.timedelta(days=365)
    context = {
        "school": queries.current_school(person, user),
        "pep": PersonalEducationPlan.objects.visible_to(user).filter(person=person).first(),
        "attendance": Attendance.objects.visible_to(user).filter(person=person).first(),
        "exclusions": list(Exclusion.objects.visible_to(user).filter(person=person, start_date__gte=year_ago)),
        "note": VirtualSchoolNote.objects.visible_to(user).filter(person=person).first(),
    }
    clocks = queries.clocks(person, user)
    if not clocks and not any(context.values()):
        return None  # never looked after and nothing recorded: nothing to show
    can_record = user.has_capability("education.record") and type(person).objects.visible_to(user, "change").filter(
        pk=person.pk).exists()
    return Panel("Education", "education/_panel.html", {"person": person, "clocks": clocks, "can_record": can_record,
                                                       **context}, anchor="education")
