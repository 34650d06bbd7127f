"""Use-cases of child protection: a strategy discussion (and the section 47 enquiries it starts),
the outcome of an enquiry, initial and review child protection conferences (which start, carry
on or end child protection plans) and core group meetings.

Each takes a keyword-only ``actor``, checks capability and scope, runs in one transaction,
writes its audit entries, and raises ``Refused`` with one ``Problem`` per impossible input
(the pages show them as field errors, the API answers 422 with them). The page views and the
API call these; nothing else writes these records.

The clocks follow by themselves: saving an S47 enquiry, a conference decision, a plan or a core
group recomputes the child's deadlines (``haven.work.signals``): ``icpc_15wd`` (this app),
``core_group_10wd`` and ``cp_review_conference`` (plans).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from haven.audit.log import Action, record
from haven.core.codes import Agency, CPCategory, ReferralSource
from haven.core.versioning import save_versioned

from . import queries
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
    missing_from,
)

day = queries.day


@dataclass(frozen=True)
class Problem:
    """One impossible input: the ``field`` it concerns ("" for the whole record), the message,
    and the child it is about (``person_id``) when it concerns one child's part."""

    field: str
    message: str
    person_id: int | None = None


class Refused(Exception):
    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(p.message for p in self.problems))


def _refuse_if(problems: list[Problem]) -> None:
    if problems:
        raise Refused(problems)


def _require(actor, capability: str) -> None:
    if not actor.has_capability(capability):
        raise PermissionDenied(f"You need the '{capability}' capability")


def _require_scope(actor, obj) -> None:
    if not type(obj).objects.visible_to(actor, "change").filter(pk=obj.pk).exists():
        raise PermissionDenied("This record is outside your scope")


def _lock(people) -> None:
    """One change at a time per child: the checks below (open S47, open plan) must not race."""
    from haven.people.models import Person

    list(Person.objects.select_for_update().filter(pk__in=sorted(p.pk for p in people)))


def _stamp(obj, actor):
    obj.created_by = obj.updated_by = actor
    return obj


# --- inputs -----------------------------------------------------------------------------------

@dataclass
class AttendeeIn:
    name: str
    agency: str
    role: str = ""
    attended: bool = True


@dataclass
class ActionIn:
    action: str
    owner: str = ""
    due_date: dt.date | None = None


@dataclass
class ChildDecisionIn:
    person: object
    s47: bool


@dataclass
class InitialChildIn:
    s47: S47Enquiry
    participation: str
    had_advocate: bool = False
    plan_needed: bool = False
    category: str = ""


@dataclass
class ReviewChildIn:
    plan: object
    participation: str
    had_advocate: bool = False
    plan_continues: bool = True
    category: str = ""
    end_reason: str = ""


def _attendees(rows: Sequence[AttendeeIn], problems: list[Problem]) -> list[AttendeeIn]:
    out = []
    for i, a in enumerate(rows):
        name = (a.name or "").strip()
        if not name:
            continue
        if a.agency not in Agency.values:
            problems.append(Problem(f"attendees.{i}.agency", f"Select the agency {name} represents"))
            continue
        out.append(AttendeeIn(name=name[:120], agency=a.agency, role=(a.role or "").strip()[:120], attended=a.attended))
    return out


def missing_agencies(attendees: Iterable[AttendeeIn]) -> list[str]:
    """The required agencies not among those who took part (before anything is saved)."""
    return missing_from(a.agency for a in attendees if a.attended and (a.name or "").strip())


# --- strategy discussion ----------------------------------------------------------------------

def _episode_for(actor, person, on: dt.date, referral_source: str, contact, request, problems) -> object | None:
    """The child's open child in need episode on the day of the discussion; one is opened (a
    referral on that day, through ``haven.assessments.services.open_episode``) when the child
    has none."""
    episode = queries.open_episode(person)
    name = person.first_name
    if episode is not None:
        if episode.referral_date > on:
            problems.append(Problem("held_at", f"{name}'s open referral starts on {day(episode.referral_date)}, after "
                                               f"the strategy discussion: the discussion must be on or after it",
                                    person.pk))
            return None
        return episode
    source = referral_source or (contact.source if contact is not None else "")
    if source not in ReferralSource.values:
        problems.append(Problem("referral_source", f"{name} has no open referral: select the referral source, and a "
                                                   "referral will be opened on the day of the discussion", person.pk))
        return None
    from haven.assessments import services as assessments

    try:
        return assessments.open_episode(actor=actor, person=person, referral_date=on, source=source, contact=contact,
                                        request=request)
    except assessments.Refused as exc:
        problems.extend(Problem("held_at", f"{name}: {p.message}", person.pk) for p in exc.problems)
        return None


@transaction.atomic
def record_strategy_discussion(*, actor, held_at: dt.datetime, children: Sequence[ChildDecisionIn],
                               attendees: Sequence[AttendeeIn], actions: Sequence[ActionIn] = (),
                               summary: str = "", contact=None, absence_confirmed: bool = False,
                               absence_reason: str = "", referral_source: str = "",
                               request=None) -> StrategyDiscussion:
    """A strategy discussion about one or more children (Working Together 2023, 3.207): who
    took part from which agency, the decision for each child, and the actions agreed.

    For each child it uses the open child in need episode (or opens one, as a referral on the
    day), and, where a section 47 enquiry is decided, starts the enquiry on the day of the
    discussion (its ``icpc_15wd`` clock starts). When the police, health, education or
    children's social care did not take part, the user must confirm they recorded why, with
    the reason (the inspectors' recurring finding)."""
    _require(actor, "protection.record")
    problems: list[Problem] = []
    if held_at is None:
        problems.append(Problem("held_at", "Enter the date and time of the strategy discussion"))
    elif held_at > timezone.now():
        problems.append(Problem("held_at", "The strategy discussion must be today or in the past"))
    people = [c.person for c in children]
    if not people:
        problems.append(Problem("children", "Select the children the discussion was about"))
    if len({p.pk for p in people}) != len(people):
        problems.append(Problem("children", "Each child can be listed once"))
    for person in people:
        _require_scope(actor, person)
        if person.kind != person.Kind.CHILD:
            problems.append(Problem("children", f"{person.full_name} is recorded as an adult: a strategy discussion is "
                                                "about children", person.pk))
    if len({p.authority_id for p in people}) > 1:
        problems.append(Problem("children", "The children must belong to the same local authority"))
    if contact is not None:
        _require_scope(actor, contact)
    rows = _attendees(attendees, problems)
    if not any(a.attended for a in rows):
        problems.append(Problem("attendees", "Enter who took part in the discussion"))
    missing = missing_agencies(rows)
    absence_reason = (absence_reason or "").strip()
    if missing and rows:
        who = join_names(missing)
        if not absence_confirmed:
            problems.append(Problem("absence_confirmed", f"{who} did not take part. Confirm that you have recorded why"))
        if not absence_reason:
            problems.append(Problem("absence_reason", f"Enter why {who} did not take part"))
    clean_actions = []
    on = timezone.localtime(held_at).date() if held_at else None
    for i, a in enumerate(actions):
        text = (a.action or "").strip()
        if not text and not (a.owner or "").strip() and not a.due_date:
            continue
        if not text:
            problems.append(Problem(f"actions.{i}.action", "Enter what will be done"))
        if not (a.owner or "").strip():
            problems.append(Problem(f"actions.{i}.owner", "Enter who will do it"))
        if a.due_date and on and a.due_date < on:
            problems.append(Problem(f"actions.{i}.due_date", "By when must be on or after the day of the discussion"))
        clean_actions.append(ActionIn(action=text, owner=(a.owner or "").strip()[:120], due_date=a.due_date))
    _refuse_if(problems)

    _lock(people)
    episodes = {}
    for c in children:
        person = c.person
        episode = _episode_for(actor, person, on, referral_source, contact, request, problems)
        episodes[person.pk] = episode
        if episode is not None and c.s47:
            unfinished = S47Enquiry.objects.filter(episode=episode).exclude(pk__in=_finished_s47_ids(episode)).first()
            if unfinished is not None:
                # CIN census 8839: not two open S47 enquiries in one episode.
                problems.append(Problem("children", f"{person.first_name} already has a section 47 enquiry from "
                                                    f"{day(unfinished.start_date)} that has not finished: record its "
                                                    "outcome first", person.pk))
    _refuse_if(problems)

    discussion = _stamp(StrategyDiscussion(authority_id=people[0].authority_id, held_at=held_at, contact=contact,
                                           summary=(summary or "").strip(),
                                           absence_reason=absence_reason if missing else ""), actor)
    discussion.save()
    for a in rows:
        _stamp(StrategyAttendee(discussion=discussion, authority_id=discussion.authority_id, name=a.name,
                                agency=a.agency, role=a.role, attended=a.attended), actor).save()
    for a in clean_actions:
        _stamp(StrategyAction(discussion=discussion, authority_id=discussion.authority_id, owner=a.owner,
                              action=a.action, due_date=a.due_date), actor).save()
    started = []
    for c in children:
        episode = episodes[c.person.pk]
        _stamp(StrategyChild(discussion=discussion, person=c.person, episode=episode, s47_decided=c.s47,
                             authority_id=c.person.authority_id), actor).save()
        if c.s47:
            s47 = _stamp(S47Enquiry(person=c.person, episode=episode, strategy_discussion=discussion, start_date=on,
                                    authority_id=c.person.authority_id), actor)
            s47.save()
            started.append(s47)
    record(request or actor, Action.CREATE, obj=discussion,
           summary=f"{discussion}: " + ", ".join(f"{c.person.full_name} ({'S47' if c.s47 else 'no S47'})" for c in children),
           detail={"missing_agencies": missing, "s47": [s.pk for s in started]})
    for s47 in started:
        record(request or actor, Action.CREATE, obj=s47, summary=f"Section 47 enquiry started for {s47.person.full_name}")
    return discussion


def join_names(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _finished_s47_ids(episode) -> list[int]:
    """Enquiries on the episode that reached their end: a conference held, or none required."""
    held = ConferenceChild.objects.filter(s47__episode=episode, conference__kind="initial").values_list("s47_id", flat=True)
    ids = set(held)
    ids |= set(S47Enquiry.objects.filter(episode=episode).exclude(outcome="").exclude(outcome=S47Enquiry.Outcome.ICPC)
               .values_list("pk", flat=True))
    return sorted(ids)


# --- section 47 enquiry -----------------------------------------------------------------------

def s47_outcome_problems(s47: S47Enquiry, *, outcome: str, completed_date: dt.date | None) -> list[Problem]:
    problems = []
    if outcome not in S47Enquiry.Outcome.values:
        problems.append(Problem("outcome", "Select the outcome of the enquiry"))
    if completed_date is None:
        problems.append(Problem("completed_date", "Enter the date the enquiry was completed"))
        return problems
    if completed_date > timezone.localdate():
        problems.append(Problem("completed_date", "Date completed must be today or in the past"))
    if completed_date < s47.start_date:
        problems.append(Problem("completed_date", f"Date completed must be on or after the enquiry started on "
                                                  f"{day(s47.start_date)}"))
    episode = s47.episode
    if episode.closure_date and completed_date > episode.closure_date:
        # CIN census 8565: no activity after the episode closed.
        problems.append(Problem("completed_date", f"Date completed must be on or before the referral closed on "
                                                  f"{day(episode.closure_date)}"))
    icpc = queries.initial_conference_for(s47)
    if icpc is not None:
        if outcome and outcome != S47Enquiry.Outcome.ICPC:
            problems.append(Problem("outcome", f"An initial child protection conference was held on "
                                               f"{day(icpc.conference.held_on)} for this enquiry: the outcome cannot "
                                               "say that no conference was needed"))
        if completed_date > icpc.conference.held_on:
            problems.append(Problem("completed_date", f"Date completed must be on or before the conference on "
                                                      f"{day(icpc.conference.held_on)}"))
    return problems


@transaction.atomic
def record_s47_outcome(*, actor, s47: S47Enquiry, expected_version: int, outcome: str,
                       completed_date: dt.date, request=None) -> S47Enquiry:
    """The outcome of a section 47 enquiry and the day it concluded. "Concerns substantiated:
    initial child protection conference" keeps the ICPC clock running until the conference;
    either other outcome stops it (no conference is required)."""
    _require(actor, "protection.record")
    _require_scope(actor, s47)
    _refuse_if(s47_outcome_problems(s47, outcome=outcome, completed_date=completed_date))
    before = {"outcome": s47.outcome, "completed_date": str(s47.completed_date or "")}
    s47.outcome, s47.completed_date = outcome, completed_date
    save_versioned(s47, expected_version=expected_version, actor=actor, reason="Section 47 outcome recorded")
    record(request or actor, Action.UPDATE, obj=s47, summary=f"Section 47 outcome: {s47.get_outcome_display()}",
           detail={"changed": ["outcome", "completed_date"], "before": before,
                   "outcome": outcome, "completed_date": str(completed_date)})
    return s47


# --- conferences ------------------------------------------------------------------------------

def _conference_common(held_on, chair, attendees, problems) -> list[AttendeeIn]:
    if held_on is None:
        problems.append(Problem("held_on", "Enter the date of the conference"))
    elif held_on > timezone.localdate():
        problems.append(Problem("held_on", "Date of the conference must be today or in the past"))
    if chair is not None and not chair.has_capability("protection.chair"):
        problems.append(Problem("chair", f"{chair} cannot chair a child protection conference"))
    return _attendees(attendees, problems)


def _participation(c, problems) -> None:
    if c.participation not in ConferenceChild.Participation.values:
        problems.append(Problem("participation", "Select how the child took part", _pid(c)))


def _pid(c) -> int:
    return c.s47.person_id if isinstance(c, InitialChildIn) else c.plan.person_id


def _save_conference(actor, *, kind, held_on, chair, parents_received_report, summary, authority_id, rows):
    conference = _stamp(Conference(kind=kind, held_on=held_on, chair=chair, authority_id=authority_id,
                                   parents_received_report=parents_received_report, summary=(summary or "").strip()),
                        actor)
    conference.save()
    for a in rows:
        _stamp(ConferenceAttendee(conference=conference, authority_id=authority_id, name=a.name, agency=a.agency,
                                  role=a.role, attended=a.attended), actor).save()
    return conference


def _cin_plan_to_end(person, held_on, problems):
    """A child in need plan cannot run at the same time as a child protection plan (CIN census
    4001, 4016, 4017): an open one ends the day the child protection plan starts."""
    from django.db.models import Q

    from haven.plans.models import Plan

    cin = (Plan.objects.filter(person=person, kind=Plan.Kind.CIN).filter(Q(end_date__isnull=True) | Q(end_date__gt=held_on))
           .order_by("start_date").first())
    if cin is None:
        return None
    if cin.start_date >= held_on:
        problems.append(Problem("plan_needed", f"{person.first_name} has a child in need plan from {day(cin.start_date)}: "
                                               "a child protection plan cannot start on or before it", person.pk))
        return None
    return cin


@transaction.atomic
def record_initial_conference(*, actor, held_on: dt.date, children: Sequence[InitialChildIn],
                              attendees: Sequence[AttendeeIn] = (), chair=None, parents_received_report: bool = False,
                              summary: str = "", request=None) -> Conference:
    """An initial child protection conference (Working Together 2023, 3.223) for the children
    whose section 47 enquiries concluded that one is needed. Not before the strategy
    discussion (nor the enquiry's conclusion), not in the future. Where the conference decides a
    plan is needed, a child protection plan starts on the day of the conference with the
    category of abuse (CIN census 2885), linked from the child's decision; an open child in need
    plan ends that day. The ``icpc_15wd`` clock of each enquiry is met."""
    from haven.plans.models import Plan

    _require(actor, "protection.chair")
    problems: list[Problem] = []
    chair = chair or actor
    rows = _conference_common(held_on, chair, attendees, problems)
    if not children:
        problems.append(Problem("children", "Select the children the conference was about"))
    if len({c.s47.pk for c in children}) != len(children) or len({c.s47.person_id for c in children}) != len(children):
        problems.append(Problem("children", "Each child can be listed once"))
    if len({c.s47.authority_id for c in children}) > 1:
        problems.append(Problem("children", "The children must belong to the same local authority"))
    people = []
    for c in children:
        s47 = c.s47
        _require_scope(actor, s47)
        person = s47.person
        people.append(person)
        pid, name = person.pk, person.first_name
        _participation(c, problems)
        if c.plan_needed and c.category not in CPCategory.values:
            problems.append(Problem("category", f"Select the category of abuse for {name}'s plan", pid))
        if not c.plan_needed and c.category:
            problems.append(Problem("category", f"A category of abuse is recorded only when {name} needs a plan", pid))
        if s47.outcome != S47Enquiry.Outcome.ICPC:
            why = "has no outcome yet" if not s47.outcome else f"concluded: {s47.get_outcome_display().lower()}"
            problems.append(Problem("children", f"{name}'s section 47 enquiry {why}. Record that the enquiry found a "
                                                "conference is needed first", pid))
        held = queries.initial_conference_for(s47)
        if held is not None:
            problems.append(Problem("children", f"{name}'s initial conference was held on "
                                                f"{day(held.conference.held_on)}", pid))
        if held_on is None:
            continue
        discussed = s47.strategy_date
        if held_on < discussed:
            problems.append(Problem("held_on", f"Date of the conference must be on or after the strategy discussion on "
                                               f"{day(discussed)}", pid))
        elif held_on < s47.start_date:
            problems.append(Problem("held_on", f"Date of the conference must be on or after {name}'s section 47 enquiry "
                                               f"started on {day(s47.start_date)}", pid))
        elif s47.completed_date and held_on < s47.completed_date:
            problems.append(Problem("held_on", f"Date of the conference must be on or after {name}'s section 47 enquiry "
                                               f"concluded on {day(s47.completed_date)}", pid))
        episode = s47.episode
        if episode.closure_date and held_on > episode.closure_date:
            problems.append(Problem("held_on", f"{name}'s referral closed on {day(episode.closure_date)}: the conference "
                                               "must be on or before it", pid))
        if c.plan_needed:
            current = queries.current_cp_plan(person, held_on) or queries.current_cp_plan(person)
            if current is not None:
                problems.append(Problem("plan_needed", f"{name} is already on a child protection plan from "
                                                       f"{day(current.start_date)}: record a review conference", pid))
            if person.date_of_death and held_on > person.date_of_death:
                problems.append(Problem("plan_needed", f"A plan cannot start after {name}'s date of death", pid))
    _refuse_if(problems)
    _lock(people)
    cin_plans = {c.s47.person_id: _cin_plan_to_end(c.s47.person, held_on, problems) for c in children if c.plan_needed}
    _refuse_if(problems)

    conference = _save_conference(actor, kind=Conference.Kind.INITIAL, held_on=held_on, chair=chair,
                                  parents_received_report=parents_received_report, summary=summary,
                                  authority_id=children[0].s47.authority_id, rows=rows)
    plans = []
    for c in children:
        s47 = c.s47
        plan = None
        if c.plan_needed:
            cin = cin_plans.get(s47.person_id)
            if cin is not None:
                cin.end_date, cin.end_reason = held_on, Plan.EndReason.OTHER
                save_versioned(cin, expected_version=cin.version, actor=actor,
                               reason="Ended: a child protection plan started at the initial conference")
                record(request or actor, Action.UPDATE, obj=cin, summary="Child in need plan ended: child protection plan "
                                                                          "started", detail={"changed": ["end_date", "end_reason"]})
            plan = _stamp(Plan(person=s47.person, episode=s47.episode, kind=Plan.Kind.CP, start_date=held_on,
                               initial_category=c.category, latest_category=c.category,
                               authority_id=s47.authority_id), actor)
            plan.save()
            plans.append(plan)
            record(request or actor, Action.CREATE, obj=plan,
                   summary=f"Child protection plan started ({c.category}) for {s47.person.full_name}")
        _stamp(ConferenceChild(conference=conference, person=s47.person, s47=s47, plan=plan,
                               participation=c.participation, had_advocate=c.had_advocate, plan_needed=c.plan_needed,
                               category=c.category if c.plan_needed else "", authority_id=s47.authority_id), actor).save()
    record(request or actor, Action.CREATE, obj=conference,
           summary=f"{conference}: " + ", ".join(f"{c.s47.person.full_name} ({c.category if c.plan_needed else 'no plan'})"
                                                 for c in children),
           detail={"plans": [p.pk for p in plans]})
    return conference


@transaction.atomic
def record_review_conference(*, actor, held_on: dt.date, children: Sequence[ReviewChildIn],
                             attendees: Sequence[AttendeeIn] = (), chair=None, parents_received_report: bool = False,
                             summary: str = "", request=None) -> Conference:
    """A review child protection conference (Working Together 2023, 3.245) for one or more
    children's plans: for each, whether the plan continues (with the latest category of abuse)
    or ends (on the day of the conference, with the reason). Each decision is linked to the plan
    it reviewed, which meets the plan's ``cp_review_conference`` clock."""
    from haven.plans.models import Plan

    _require(actor, "protection.chair")
    problems: list[Problem] = []
    chair = chair or actor
    rows = _conference_common(held_on, chair, attendees, problems)
    if not children:
        problems.append(Problem("children", "Select the children whose plans the conference reviewed"))
    if len({c.plan.person_id for c in children}) != len(children):
        problems.append(Problem("children", "Each child can be listed once"))
    if len({c.plan.authority_id for c in children}) > 1:
        problems.append(Problem("children", "The children must belong to the same local authority"))
    for c in children:
        plan = c.plan
        _require_scope(actor, plan)
        person = plan.person
        pid, name = person.pk, person.first_name
        _participation(c, problems)
        if plan.kind != Plan.Kind.CP:
            problems.append(Problem("children", f"{name}'s plan is not a child protection plan: child in need plans are "
                                                "reviewed in the plans module", pid))
            continue
        if plan.end_date:
            problems.append(Problem("children", f"{name}'s child protection plan ended on {day(plan.end_date)}", pid))
            continue
        if c.plan_continues:
            if c.category not in CPCategory.values:
                problems.append(Problem("category", f"Select the latest category of abuse for {name}'s plan", pid))
            if c.end_reason:
                problems.append(Problem("end_reason", f"A reason for ending is recorded only when {name}'s plan ends", pid))
        elif c.end_reason not in Plan.EndReason.values:
            problems.append(Problem("end_reason", f"Select why {name}'s plan is ending", pid))
        if held_on is None:
            continue
        if held_on <= plan.start_date:
            # CIN census 8841 (review after the start) and 8840 (a plan does not end the day it starts).
            problems.append(Problem("held_on", f"Date of the conference must be after {name}'s plan started on "
                                               f"{day(plan.start_date)}", pid))
        last = (ConferenceChild.objects.filter(plan=plan, conference__kind=Conference.Kind.REVIEW)
                .order_by("-conference__held_on").select_related("conference").first())
        if last is not None and held_on <= last.conference.held_on:
            problems.append(Problem("held_on", f"Date of the conference must be after {name}'s last review on "
                                               f"{day(last.conference.held_on)}", pid))
        episode = plan.episode
        if episode.closure_date and held_on > episode.closure_date:
            problems.append(Problem("held_on", f"{name}'s referral closed on {day(episode.closure_date)}: the conference "
                                               "must be on or before it", pid))
        if not c.plan_continues and person.date_of_death and held_on > person.date_of_death:
            problems.append(Problem("held_on", f"{name}'s plan must end on or before their date of death", pid))
    _refuse_if(problems)
    _lock([c.plan.person for c in children])

    conference = _save_conference(actor, kind=Conference.Kind.REVIEW, held_on=held_on, chair=chair,
                                  parents_received_report=parents_received_report, summary=summary,
                                  authority_id=children[0].plan.authority_id, rows=rows)
    for c in children:
        plan = c.plan
        changed = []
        if c.plan_continues:
            if plan.latest_category != c.category:
                plan.latest_category = c.category
                changed.append("latest_category")
            reason = "Review conference: plan continues"
        else:
            plan.end_date, plan.end_reason = held_on, c.end_reason
            changed += ["end_date", "end_reason"]
            reason = "Review conference: plan ended"
        if changed:
            save_versioned(plan, expected_version=plan.version, actor=actor, reason=reason)
            record(request or actor, Action.UPDATE, obj=plan, summary=reason, detail={"changed": changed})
        _stamp(ConferenceChild(conference=conference, person=plan.person, plan=plan, participation=c.participation,
                               had_advocate=c.had_advocate, plan_needed=c.plan_continues,
                               category=c.category if c.plan_continues else "", authority_id=plan.authority_id),
               actor).save()
    record(request or actor, Action.CREATE, obj=conference,
           summary=f"{conference}: " + ", ".join(f"{c.plan.person.full_name} "
                                                 f"({'plan continues' if c.plan_continues else 'plan ended'})"
                                                 for c in children))
    return conference


# --- core groups ------------------------------------------------------------------------------

def core_group_problems(plan, held_on: dt.date | None) -> list[Problem]:
    from haven.plans.models import Plan

    if plan.kind != Plan.Kind.CP:
        return [Problem("", "Core groups meet for child protection plans: this is a child in need plan")]
    if held_on is None:
        return []
    problems = []
    if held_on > timezone.localdate():
        problems.append(Problem("held_on", "Date of the meeting must be today or in the past"))
    if held_on < plan.start_date:
        problems.append(Problem("held_on", f"Date of the meeting must be on or after the plan started on "
                                           f"{day(plan.start_date)}"))
    if plan.end_date and held_on > plan.end_date:
        problems.append(Problem("held_on", f"Date of the meeting must be on or before the plan ended on "
                                           f"{day(plan.end_date)}"))
    return problems


@transaction.atomic
def record_core_group(*, actor, plan, held_on: dt.date, attendees: str = "", notes: str = "",
                      request=None) -> CoreGroupMeeting:
    """A core group meeting for a child protection plan (Working Together 2023, 3.236): the
    first within 10 working days of the initial conference, then regularly
    (``core_group_10wd``)."""
    _require(actor, "protection.record")
    _require_scope(actor, plan)
    problems = core_group_problems(plan, held_on)
    if held_on is None:
        problems.append(Problem("held_on", "Enter the date of the meeting"))
    _refuse_if(problems)
    meeting = _stamp(CoreGroupMeeting(plan=plan, person=plan.person, held_on=held_on, authority_id=plan.authority_id,
                                      attendees=(attendees or "").strip(), notes=(notes or "").strip()), actor)
    meeting.save()
    record(request or actor, Action.CREATE, obj=meeting, summary=f"{meeting} for {plan.person.full_name}")
    return meeting
