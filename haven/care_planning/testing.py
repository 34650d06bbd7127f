"""Records for the test world (``World.build`` calls ``build``): in Westminster and in
Hammersmith and Fulham, a looked-after child of this app's own (a period of care, a placement and
an episode created directly), with an agreed care plan, a looked-after review with one
recommendation, a social worker and an IRO allocation (Westminster: ``world.iris``; Hammersmith
and Fulham: an IRO of a reviewing team of its own, so the world's teams are undisturbed).

``looked_after(...)`` is the helper the tests use to make a looked-after child.
"""

from __future__ import annotations

import datetime as dt

D = dt.date
STARTED = D(2025, 3, 3)


def looked_after(person, start: dt.date, *, place: str = "U6", end: dt.date | None = None,
                 legal_status: str = "C2", location: str = "IN", temporary_approval: bool = False,
                 end_reason: str = ""):
    """A period of care for ``person`` from ``start`` with one placement and one episode."""
    from haven.looked_after.models import Episode, PeriodOfCare, Placement

    period = PeriodOfCare.objects.create(person=person, start_date=start, end_date=end,
                                         end_reason=end_reason or ("E13" if end else ""))
    placement = Placement.objects.create(period=period, person=person, start_date=start, end_date=end, place=place,
                                         provider_code="PR1", carer="Foster carers", postcode="W9 1AA",
                                         location=location, temporary_approval=temporary_approval)
    Episode.objects.create(period=period, person=person, placement=placement, start_date=start, reason_new="S",
                           legal_status=legal_status, category_of_need="N1", end_date=end,
                           end_reason=end_reason or ("E13" if end else ""))
    return period, placement


def build(world) -> None:
    from haven.accounts.models import Team
    from haven.accounts.roles import Role
    from haven.core.testing import make_person, make_user
    from haven.people.models import Allocation

    from .models import CarePlan, LACReview, ReviewRecommendation

    hf_reviewing = Team.objects.create(name="HF Reviewing", authority=world.hammersmith)
    hf_reviewing.serves.add(world.hammersmith)
    hf_iro = make_user("ivan", role=Role.CP_CHAIR_IRO, team=hf_reviewing, first="Ivan")
    sides = ((world.westminster, world.wcc_team, world.alice, world.iris, world.wcc_team, "Cared"),
             (world.hammersmith, world.hf_team, world.charlie, hf_iro, hf_reviewing, "Looked"))
    for authority, team, worker, iro, iro_team, last in sides:
        child = make_person(authority, first="Mia", last=last, born=D(2013, 4, 4), sex="F")
        period, _placement = looked_after(child, STARTED, place="U4")
        Allocation.objects.create(person=child, authority=authority, team=team, worker=worker,
                                  role=Allocation.Role.SOCIAL_WORKER, start_date=STARTED)
        Allocation.objects.create(person=child, authority=authority, team=iro_team, worker=iro,
                                  role=Allocation.Role.IRO, start_date=STARTED)
        CarePlan.objects.create(person=child, period=period, agreed_on=D(2025, 3, 10), summary="Long-term fostering",
                                needs="Stability, school, contact with her brother", how_met="Foster carers",
                                contact="Monthly with mother, supervised", permanence_aim="long_term_fostering")
        review = LACReview.objects.create(person=child, period=period, held_on=D(2025, 3, 28), chair=iro,
                                          participation="PN1", decisions="Plan endorsed", child_views="Happy here")
        ReviewRecommendation.objects.create(review=review, person=child, action="Start life story work",
                                            owner="Social worker", measurable_outcome="Book shared with Mia",
                                            due_date=D(2025, 6, 30))
