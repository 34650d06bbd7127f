"""Records for the test world (``World.build`` calls ``build``): in each authority, two
looked-after children of their own (so other apps' tests about the world's children are not
disturbed): one on an adoption journey (plan, meeting, pre-proceedings, care proceedings that
ended in care and placement orders, ADM decision, placement order, match, placement) and one
whose proceedings ended in a special guardianship order."""

from __future__ import annotations

import datetime as dt

D = dt.date


def build(world) -> None:
    for authority, last in ((world.westminster, "Permanent"), (world.hammersmith, "Settled")):
        journey(authority, last)


def looked_after(child, start: dt.date, end: dt.date | None = None, *, place: str = "U4", legal_status: str = "C1"):
    """A period of care with one placement and one episode (rows made directly)."""
    from haven.looked_after.models import Episode, PeriodOfCare, Placement

    period = PeriodOfCare.objects.create(person=child, authority=child.authority, start_date=start, end_date=end,
                                         end_reason="E41" if end else "")
    placement = Placement.objects.create(period=period, person=child, authority=child.authority, start_date=start,
                                         end_date=end, place=place, provider_code="PR1", carer="Foster carers")
    Episode.objects.create(period=period, person=child, authority=child.authority, placement=placement,
                           start_date=start, reason_new="S", legal_status=legal_status, category_of_need="N1",
                           end_date=end, end_reason="E41" if end else "")
    return period


def journey(authority, last: str):
    from haven.core.testing import make_person

    from .models import (
        AdoptionDecision,
        CareProceedings,
        PermanencePlan,
        PermanencePlanningMeeting,
        PreProceedings,
        SpecialGuardianshipOrder,
    )

    K = AdoptionDecision.Kind
    child = make_person(authority, first="Esme", last=last, born=D(2020, 3, 3), sex="F")
    period = looked_after(child, D(2022, 1, 10))
    common = {"person": child, "authority": authority}
    PermanencePlan.objects.create(**common, period=period, plan="return_home", decided_on=D(2022, 2, 1),
                                  reason="Mother engaging with support", is_current=False)
    PermanencePlan.objects.create(**common, period=period, plan="adoption", decided_on=D(2022, 4, 20),
                                  reason="Parenting assessment negative", is_current=True)
    PermanencePlanningMeeting.objects.create(**common, held_on=D(2022, 4, 20), attendees="Social worker\nIRO",
                                             decisions="Plan for adoption; parallel plan long-term fostering",
                                             next_meeting_on=D(2022, 7, 20))
    pre = PreProceedings.objects.create(**common, letter_before_proceedings_on=D(2021, 11, 1),
                                        pla_meeting_on=D(2021, 11, 15), outcome="issued", ended_on=D(2022, 1, 12))
    CareProceedings.objects.create(**common, pre_proceedings=pre, court="Family Court at East London",
                                   case_number=f"ZE22C{authority.pk:05d}", application="care",
                                   issued_on=D(2022, 1, 12), interim_order_on=D(2022, 1, 12),
                                   final_hearing_on=D(2022, 6, 27), concluded_on=D(2022, 7, 1), outcome="care_order")
    for kind, on in ((K.SHOULD_BE_PLACED, D(2022, 5, 2)), (K.PLACEMENT_ORDER, D(2022, 7, 1)),
                     (K.MATCHED, D(2022, 10, 3)), (K.PLACED, D(2022, 10, 17))):
        AdoptionDecision.objects.create(**common, kind=kind, decided_on=on)

    sibling = make_person(authority, first="Otis", last=last, born=D(2016, 6, 6), sex="M")
    looked_after(sibling, D(2022, 1, 10), D(2022, 9, 1))
    proceedings = CareProceedings.objects.create(person=sibling, authority=authority, court="Family Court at East London",
                                                 application="care", issued_on=D(2022, 1, 12),
                                                 concluded_on=D(2022, 9, 1), outcome="sgo")
    SpecialGuardianshipOrder.objects.create(person=sibling, authority=authority, proceedings=proceedings,
                                            granted_on=D(2022, 9, 1), guardians="Grace Settled-Aunt",
                                            relationship="relative", support_plan="Financial support; contact monthly")
    return child
