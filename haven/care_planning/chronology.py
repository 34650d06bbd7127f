"""Chronology entries: care plans agreed and looked-after reviews (with the child's
participation). Statutory visits are recordings and reach the chronology through
``haven.recording.chronology``."""

from haven.chronology.registry import Entry, chronology_source

from .models import CarePlan, LACReview


@chronology_source("care_plan", "Care plans", significant=True)
def care_plans(person, user):
    if not user.has_capability("looked_after.view"):
        return
    for p in CarePlan.objects.visible_to(user).filter(person=person).select_related("created_by"):
        yield Entry(date=p.agreed_on, title="Care plan agreed", detail=f"Permanence aim: {p.get_permanence_aim_display()}",
                    url=p.get_absolute_url(), by=p.created_by.get_full_name() if p.created_by_id else "")


@chronology_source("lac_review", "Looked-after reviews", significant=True)
def reviews(person, user):
    if not user.has_capability("looked_after.view"):
        return
    for r in LACReview.objects.visible_to(user).filter(person=person).select_related("chair"):
        chair = f" Chaired by {r.chair.get_full_name()}." if r.chair_id else ""
        yield Entry(date=r.held_on, title="Looked-after review",
                    detail=f"{r.participation}: {r.get_participation_display()}.{chair}", url=r.get_absolute_url(),
                    by=r.chair.get_full_name() if r.chair_id else "")
