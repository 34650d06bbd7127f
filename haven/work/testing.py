"""Test kit for deadlines and worklists.

``build(world)`` adds what the work pages need to the shared test world: current allocations in
both authorities (alice → Lily, charlie → Ruby), so the URL permission walk can fill
``/work/team/reallocate/<pk>/`` on each side.

The ``make_*`` helpers create the records the timescale rules read, with only the fields a rule
needs (the modules' own forms and services are tested by their engineers); the signals turn them
into deadlines exactly as in the running service.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

D = dt.date


def build(world) -> None:
    from haven.people.models import Allocation

    Allocation.objects.create(person=world.child, authority=world.westminster, team=world.wcc_team,
                              worker=world.alice, role=Allocation.Role.SOCIAL_WORKER, start_date=D(2025, 1, 6))
    Allocation.objects.create(person=world.outsider, authority=world.hammersmith, team=world.hf_team,
                              worker=world.charlie, role=Allocation.Role.SOCIAL_WORKER, start_date=D(2025, 1, 6))


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """An aware London time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def local_date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(value).date() if value is not None else None


def deadlines(obj, rule: str | None = None):
    """The deadlines ``obj`` (a trigger record) set, in order."""
    from haven.work.models import Deadline

    qs = Deadline.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)
    if rule:
        qs = qs.filter(rule=rule)
    return list(qs.order_by("rule", "sequence", "person_id"))


# -- records the rules read ----------------------------------------------------------------------
def make_contact(authority, people, *, received: dt.datetime, rag: str = "", rated: dt.datetime | None = None,
                 decided: dt.datetime | None = None, decision: str = "referral"):
    from haven.front_door.models import Contact, ContactSubject

    contact = Contact.objects.create(authority=authority, received_at=received, source="2A",
                                     reason="Concern raised by the school", consent=Contact.Consent.GIVEN,
                                     rag=rag, rated_at=rated, decision=decision if decided else "",
                                     decision_at=decided)
    for person in people:
        role = ContactSubject.Role.CHILD if person.kind == "child" else ContactSubject.Role.ADULT
        ContactSubject.objects.create(contact=contact, person=person, authority=authority, role=role)
    return contact


def make_episode(person, referral: dt.date, **extra):
    from haven.assessments.models import CINEpisode

    return CINEpisode.objects.create(person=person, referral_date=referral, source="2A", **extra)


def make_assessment(episode, start: dt.date, authorised: dt.date | None = None):
    from haven.assessments.models import Assessment

    return Assessment.objects.create(episode=episode, person=episode.person, start_date=start,
                                     completed_date=authorised, authorised_date=authorised)


def make_strategy(people, held: dt.datetime, *, authority=None):
    from haven.protection.models import StrategyChild, StrategyDiscussion

    authority = authority or people[0].authority
    discussion = StrategyDiscussion.objects.create(authority=authority, held_at=held, summary="Strategy discussion")
    for person in people:
        StrategyChild.objects.create(discussion=discussion, person=person, s47_decided=True)
    return discussion


def make_s47(discussion, person, episode, *, start: dt.date | None = None, outcome: str = "",
             completed: dt.date | None = None):
    from haven.protection.models import S47Enquiry

    return S47Enquiry.objects.create(person=person, episode=episode, strategy_discussion=discussion,
                                     start_date=start or local_date(discussion.held_at), outcome=outcome,
                                     completed_date=completed)


def make_conference(children, held: dt.date, *, kind: str = "initial", s47=None, plan=None):
    """``children``: people, or (person, s47, plan) triples."""
    from haven.protection.models import Conference, ConferenceChild

    first = children[0][0] if isinstance(children[0], tuple) else children[0]
    conference = Conference.objects.create(authority=first.authority, kind=kind, held_on=held)
    for child in children:
        person, child_s47, child_plan = child if isinstance(child, tuple) else (child, s47, plan)
        ConferenceChild.objects.create(conference=conference, person=person, s47=child_s47, plan=child_plan,
                                       participation="too_young", plan_needed=True)
    return conference


def make_plan(person, episode, start: dt.date, *, kind: str = "cp", end: dt.date | None = None):
    from haven.plans.models import Plan

    return Plan.objects.create(person=person, episode=episode, kind=kind, start_date=start, end_date=end,
                               end_reason="other" if end else "")


def make_core_group(plan, held: dt.date):
    from haven.protection.models import CoreGroupMeeting

    return CoreGroupMeeting.objects.create(plan=plan, person=plan.person, held_on=held)


def make_plan_review(plan, held: dt.date):
    from haven.plans.models import PlanReview

    return PlanReview.objects.create(plan=plan, held_on=held)


def make_visit(people, when: dt.datetime, *, kind: str = "cp_visit", seen: bool = True):
    from haven.recording.models import Recording, RecordingSubject

    recording = Recording.objects.create(authority=people[0].authority, kind=kind, occurred_at=when,
                                         title="Visit")
    for person in people:
        RecordingSubject.objects.create(recording=recording, person=person, seen=seen)
    return recording
