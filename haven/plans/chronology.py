from haven.chronology.registry import Entry, chronology_source

from .models import Plan, PlanReview


@chronology_source("plan", "Plans", significant=True)
def plans(person, user):
    for p in Plan.objects.visible_to(user).filter(person=person):
        detail = p.get_initial_category_display() if p.kind == Plan.Kind.CP else ""
        yield Entry(date=p.start_date, title=f"{p.get_kind_display()} started", detail=detail, url=p.get_absolute_url())
        if p.end_date:
            yield Entry(date=p.end_date, title=f"{p.get_kind_display()} ended", detail=p.get_end_reason_display(),
                        url=p.get_absolute_url())


@chronology_source("plan_review", "Plan reviews")
def reviews(person, user):
    for r in PlanReview.objects.visible_to(user).filter(plan__person=person).select_related("plan"):
        yield Entry(date=r.held_on, title="Child in need plan review", url=r.plan.get_absolute_url())
