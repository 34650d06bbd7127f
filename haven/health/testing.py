"""Test-world records for health: in each authority a looked-after child of our own (period of
care, placement and episode created directly), with an initial and a review health assessment, a
dental check, an immunisations check and an SDQ score; so other apps' tests about the world's
children are undisturbed. Rows are bulk-created and the children's deadlines recomputed once."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def looked_after(person, start: dt.date, end: dt.date | None = None, *, place: str = "U4"):
    """A period of care with one placement and one episode, created directly (test data only)."""
    from haven.looked_after.models import Episode, PeriodOfCare, Placement

    period = PeriodOfCare.objects.create(person=person, authority=person.authority, start_date=start, end_date=end,
                                         end_reason="E8" if end else "")
    placement = Placement.objects.create(period=period, person=person, authority=person.authority, start_date=start,
                                         end_date=end, place=place, provider_code="PR1", carer="Test carers")
    Episode.objects.create(period=period, person=person, authority=person.authority, placement=placement,
                           start_date=start, reason_new="S", legal_status="C2", category_of_need="N1", end_date=end,
                           end_reason="E8" if end else "")
    return period


def build(world) -> None:
    from haven.core.testing import make_person
    from haven.work.sync import recompute_for_people

    from .models import DentalCheck, HealthAssessment, Immunisations, SDQScore

    start = timezone.localdate() - dt.timedelta(days=400)
    children = [make_person(world.westminster, first="Holly", last="Wellbeing", born=dt.date(2012, 5, 1), sex="F"),
                make_person(world.hammersmith, first="Harry", last="Wellbeing", born=dt.date(2013, 6, 2), sex="M")]
    for child in children:
        looked_after(child, start)
    HealthAssessment.objects.bulk_create([
        row for c in children for row in (
            HealthAssessment(person=c, authority=c.authority, kind="initial", completed_on=start + dt.timedelta(days=14),
                             by_name="Dr Ada Test", by_role="Community paediatrician", by_organisation="Test NHS Trust",
                             outcome="Healthy; needs an eye test", health_plan_actions="Carer to book an eye test"),
            HealthAssessment(person=c, authority=c.authority, kind="review", completed_on=start + dt.timedelta(days=200),
                             by_name="Nurse Test", by_role="Looked-after children nurse", outcome="Well"))])
    DentalCheck.objects.bulk_create([DentalCheck(person=c, authority=c.authority, checked_on=start + dt.timedelta(days=60),
                                                 practice="Smile Dental") for c in children])
    Immunisations.objects.bulk_create([Immunisations(person=c, authority=c.authority, up_to_date=True,
                                                     recorded_on=start + dt.timedelta(days=14)) for c in children])
    SDQScore.objects.bulk_create([SDQScore(person=c, authority=c.authority, completed_on=start + dt.timedelta(days=30),
                                           score=12, completed_by="carer") for c in children])
    recompute_for_people([c.pk for c in children])
