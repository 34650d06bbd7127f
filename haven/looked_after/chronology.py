"""Chronology entries: started to be looked after, placement moves (with the reason), legal
status changes and ceasing to be looked after (with the reason)."""

from haven.chronology.registry import Entry, chronology_source

from .models import Episode, PeriodOfCare, Placement


@chronology_source("looked_after", "Looked after", significant=True)
def periods(person, user):
    for p in PeriodOfCare.objects.visible_to(user).filter(person=person):
        yield Entry(date=p.start_date, title="Started to be looked after", url=p.get_absolute_url())
        if p.end_date:
            yield Entry(date=p.end_date, title="Ceased to be looked after",
                        detail=f"{p.end_reason}: {p.get_end_reason_display()}", url=p.get_absolute_url())


@chronology_source("placement_move", "Placement moves", significant=True)
def moves(person, user):
    placements = list(Placement.objects.visible_to(user).filter(person=person).order_by("start_date", "pk"))
    for before, after in zip(placements, placements[1:], strict=False):
        if before.period_id != after.period_id:
            continue
        reason = before.get_reason_for_change_display() or "Temporary move"
        yield Entry(date=after.start_date, title="Placement move",
                    detail=f"To {after.place}: {after.get_place_display()}. Reason: {reason}", url=after.get_absolute_url())


@chronology_source("legal_status", "Legal status changes")
def legal_status(person, user):
    for e in Episode.objects.visible_to(user).filter(person=person, reason_new__in=["L", "T", "U"]):
        yield Entry(date=e.start_date, title="Legal status changed",
                    detail=f"{e.legal_status}: {e.get_legal_status_display()}", url=e.get_absolute_url())
