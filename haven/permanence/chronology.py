"""Chronology entries for permanence: plan changes, meetings, pre-proceedings, care proceedings,
adoption steps and special guardianship orders."""

from haven.chronology.registry import Entry, chronology_source

from .models import (
    AdoptionDecision,
    CareProceedings,
    PermanencePlan,
    PermanencePlanningMeeting,
    PreProceedings,
    SpecialGuardianshipOrder,
)


@chronology_source("permanence_plan", "Permanence plans", significant=True)
def plans(person, user):
    for p in PermanencePlan.objects.visible_to(user).filter(person=person):
        yield Entry(date=p.decided_on, title=f"Permanence plan: {p.get_plan_display().lower()}", detail=p.reason[:200],
                    url=p.get_absolute_url())


@chronology_source("permanence_meeting", "Permanence planning meetings")
def meetings(person, user):
    for m in PermanencePlanningMeeting.objects.visible_to(user).filter(person=person):
        yield Entry(date=m.held_on, title="Permanence planning meeting", detail=m.decisions[:200],
                    url=m.get_absolute_url())


@chronology_source("pre_proceedings", "Pre-proceedings", significant=True)
def pre_proceedings(person, user):
    for p in PreProceedings.objects.visible_to(user).filter(person=person):
        if p.letter_before_proceedings_on:
            yield Entry(date=p.letter_before_proceedings_on, title="Letter before proceedings sent",
                        url=p.get_absolute_url())
        yield Entry(date=p.pla_meeting_on, title="Pre-proceedings meeting", url=p.get_absolute_url())
        if p.ended_on:
            yield Entry(date=p.ended_on, title="Pre-proceedings ended", detail=p.get_outcome_display(),
                        url=p.get_absolute_url())


@chronology_source("care_proceedings", "Care proceedings", significant=True)
def proceedings(person, user):
    for p in CareProceedings.objects.visible_to(user).filter(person=person):
        yield Entry(date=p.issued_on, title="Care proceedings issued",
                    detail=f"{p.get_application_display()}, {p.court}", url=p.get_absolute_url())
        if p.interim_order_on:
            yield Entry(date=p.interim_order_on, title="Interim order made", url=p.get_absolute_url())
        if p.concluded_on:
            yield Entry(date=p.concluded_on, title="Care proceedings concluded", detail=p.get_outcome_display(),
                        url=p.get_absolute_url())


@chronology_source("adoption", "Adoption", significant=True)
def adoption(person, user):
    for s in AdoptionDecision.objects.visible_to(user).filter(person=person):
        yield Entry(date=s.decided_on, title=s.get_kind_display(), detail=s.get_reason_ceased_display() or "",
                    url=s.get_absolute_url())


@chronology_source("sgo", "Special guardianship orders", significant=True)
def sgos(person, user):
    for o in SpecialGuardianshipOrder.objects.visible_to(user).filter(person=person):
        yield Entry(date=o.granted_on, title="Special guardianship order granted",
                    detail=o.get_relationship_display(), url=o.get_absolute_url())
