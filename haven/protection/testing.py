"""Records for the test world (``World.build`` calls ``build``): in each authority, two
siblings of their own (so other apps' tests about the world's children are not disturbed) with a
strategy discussion about both, a section 47 enquiry that led to an initial conference, a child
protection plan and a core group meeting."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

DISCUSSED = dt.datetime(2025, 1, 6, 10, 0)


def build(world) -> None:
    from haven.core.testing import make_person
    from haven.people.models import Relationship

    for authority, last in ((world.westminster, "Protect"), (world.hammersmith, "Guard")):
        older = make_person(authority, first="Poppy", last=last, born=dt.date(2015, 2, 2), sex="F")
        younger = make_person(authority, first="Leo", last=last, born=dt.date(2019, 9, 9), sex="M")
        Relationship.objects.create(person=older, other=younger, type="sibling", authority=authority)
        family(authority, [older, younger])


def family(authority, children, *, held_at: dt.datetime = DISCUSSED, plan: bool = True):
    """A discussion about ``children`` (S47 for the first), its enquiry concluded with a
    conference, and (``plan``) a child protection plan with one core group meeting."""
    from haven.assessments.models import CINEpisode
    from haven.plans.models import Plan

    from .models import (
        Conference,
        ConferenceAttendee,
        ConferenceChild,
        CoreGroupMeeting,
        S47Enquiry,
        StrategyAction,
        StrategyAttendee,
        StrategyChild,
        StrategyDiscussion,
    )

    held_at = timezone.make_aware(held_at)
    on = timezone.localtime(held_at).date()
    episodes = {}
    for child in children:
        episodes[child.pk] = CINEpisode.objects.create(person=child, authority=authority, referral_date=on,
                                                       source="6", primary_need="N1")
    d = StrategyDiscussion.objects.create(authority=authority, held_at=held_at, summary="Injuries seen at school")
    StrategyAttendee.objects.create(discussion=d, name="DC Example", agency="police", role="Detective constable")
    StrategyAttendee.objects.create(discussion=d, name="Sam Social", agency="csc", role="Social worker")
    StrategyAction.objects.create(discussion=d, owner="Sam Social", action="Visit the children",
                                  due_date=on + dt.timedelta(days=1))
    first = children[0]
    for child in children:
        StrategyChild.objects.create(discussion=d, person=child, episode=episodes[child.pk], s47_decided=child == first,
                                     authority=authority)
    s47 = S47Enquiry.objects.create(person=first, episode=episodes[first.pk], strategy_discussion=d, start_date=on,
                                    outcome=S47Enquiry.Outcome.ICPC, completed_date=on + dt.timedelta(days=7),
                                    authority=authority)
    held_on = on + dt.timedelta(days=14)
    c = Conference.objects.create(authority=authority, kind=Conference.Kind.INITIAL, held_on=held_on,
                                  parents_received_report=True)
    ConferenceAttendee.objects.create(conference=c, name="Pat Chair", agency="csc", role="Chair")
    cp = None
    if plan:
        cp = Plan.objects.create(person=first, episode=episodes[first.pk], kind=Plan.Kind.CP, start_date=held_on,
                                 initial_category="NEG", latest_category="NEG", authority=authority)
        CoreGroupMeeting.objects.create(plan=cp, person=first, held_on=held_on + dt.timedelta(days=7),
                                        attendees="Sam Social (CSC)", authority=authority)
    ConferenceChild.objects.create(conference=c, person=first, s47=s47, plan=cp, participation="too_young",
                                   plan_needed=plan, category="NEG" if plan else "", authority=authority)
    return d
