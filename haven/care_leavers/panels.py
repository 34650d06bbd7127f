"""The "Leaving care" panel on a person's summary page: shown for a young person aged 15 or
over who is (or may become) a care leaver, or who has leaving care records."""

from __future__ import annotations

from haven.people.panels import Panel, record_panel


@record_panel(order=42)
def leaving_care(person, user):
    if not user.has_capability("care_leavers.view") or not person.date_of_birth:   # (18 or over: maybe recorded as an adult)
        return None
    from .models import LeaverStatus, PathwayPlan
    from .queries import age_of, leaver_for

    age = age_of(person)
    has_records = (LeaverStatus.objects.visible_to(user).filter(person=person).exists()
                   or PathwayPlan.objects.visible_to(user).filter(person=person).exists())
    if age is None or (age < 15 and not has_records):
        return None
    leaver = leaver_for(person, user)
    if not leaver.is_care_leaver and not has_records and leaver.eligibility.eligible_from is None:
        return None
    return Panel("Leaving care", "care_leavers/_panel.html", {"person": person, "leaver": leaver}, anchor="leaving-care")
