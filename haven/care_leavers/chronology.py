"""Care leavers' entries in the chronology: category decisions, pathway plans (needs
assessment, agreed, ended), reviews, accommodation moves, custody, staying put, health facts
and contacts. Always scoped with ``visible_to(user)``."""

from haven.chronology.registry import Entry, chronology_source

from .models import (
    Accommodation,
    Custody,
    LeaverContact,
    LeaverHealth,
    LeaverStatus,
    PathwayPlan,
    PathwayPlanReview,
    StayingPut,
)


@chronology_source("leaver_status", "Leaving care category", significant=True)
def status(person, user):
    for s in LeaverStatus.objects.visible_to(user).filter(person=person):
        detail = f"Overrides the care history: {s.override_reason}" if s.is_override else ""
        yield Entry(date=s.confirmed_on, title=f"Leaving care category confirmed: {s.get_category_display()}",
                    detail=detail, url=s.get_absolute_url())


@chronology_source("pathway_plan", "Pathway plans", significant=True)
def plans(person, user):
    for p in PathwayPlan.objects.visible_to(user).filter(person=person):
        if p.needs_assessment_completed_on:
            yield Entry(date=p.needs_assessment_completed_on, title="Leaving care needs assessment completed",
                        url=p.get_absolute_url())
        if p.plan_agreed_on:
            yield Entry(date=p.plan_agreed_on, title="Pathway plan agreed", url=p.get_absolute_url())
        if p.end_date:
            yield Entry(date=p.end_date, title="Pathway plan ended", detail=p.get_end_reason_display(),
                        url=p.get_absolute_url())


@chronology_source("pathway_review", "Pathway plan reviews")
def reviews(person, user):
    for r in PathwayPlanReview.objects.visible_to(user).filter(plan__person=person).select_related("plan"):
        yield Entry(date=r.held_on, title="Pathway plan review", url=r.get_absolute_url())


@chronology_source("leaver_accommodation", "Care leaver accommodation")
def accommodation(person, user):
    for a in Accommodation.objects.visible_to(user).filter(person=person):
        suitable = "" if a.suitable is None else (" (suitable)" if a.suitable else " (not suitable)")
        yield Entry(date=a.start_date, title=f"Moved to {a.get_kind_display().lower()}{suitable}", url=a.get_absolute_url())


@chronology_source("custody", "Custody", significant=True)
def custody(person, user):
    for c in Custody.objects.visible_to(user).filter(person=person):
        yield Entry(date=c.start_date, title=f"Entered custody: {c.establishment}", url=c.get_absolute_url())
        if c.end_date:
            yield Entry(date=c.end_date, title=f"Released from custody: {c.establishment}", url=c.get_absolute_url())


@chronology_source("staying_put", "Staying put")
def staying_put(person, user):
    for s in StayingPut.objects.visible_to(user).filter(person=person):
        yield Entry(date=s.start_date, title=f"Staying put with {s.carer}", url=s.get_absolute_url())
        if s.end_date:
            yield Entry(date=s.end_date, title="Staying put ended", url=s.get_absolute_url())


@chronology_source("leaver_health", "Leaving care health")
def health(person, user):
    for h in LeaverHealth.objects.visible_to(user).filter(person=person):
        if h.final_assessment_on:
            yield Entry(date=h.final_assessment_on, title="Final health assessment before leaving care", url=h.get_absolute_url())
        if h.history_given_on:
            yield Entry(date=h.history_given_on, title="Health history given to the young person", url=h.get_absolute_url())


@chronology_source("leaver_contact", "Care leaver contacts")
def contacts(person, user):
    for c in LeaverContact.objects.visible_to(user).filter(person=person).select_related("by"):
        yield Entry(date=c.contact_on, title=f"Contact ({c.get_method_display().lower()}): {c.get_in_touch_display()}",
                    detail=c.notes, url=c.get_absolute_url(), by=c.by.get_full_name() if c.by else "")
