"""Use-cases of referrals and single assessments. The pages, the API and other modules (the
front door opens referrals with ``open_episode``) call these; each takes a required ``actor``,
runs in one transaction, checks the CIN census rules in ``census`` and raises ``Refused`` (with
one ``census.Problem`` per broken rule) or ``StaleEdit`` (someone saved the record since it was
read). Deadlines follow by themselves: saving an episode or an assessment recomputes the
child's clocks (``haven.work.signals``); ``record_exemption`` recomputes the clock it stops
or extends itself as well.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from haven.audit.log import Action, record
from haven.core.codes import ClosureReason, PrimaryNeed
from haven.core.versioning import save_versioned

from . import census
from .models import Assessment, AssessmentFactorIdentified, CINEpisode


class Refused(Exception):
    """The change would break a rule; ``problems`` says which, field by field."""

    def __init__(self, problems: Iterable[census.Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(p.message for p in self.problems))


def _refuse_if(problems) -> None:
    if problems:
        raise Refused(problems)


def _today() -> dt.date:
    return timezone.localdate()


def _require_scope(actor, person) -> None:
    from haven.people.models import Person

    if not Person.objects.filter(pk=person.pk).visible_to(actor, "change").exists():
        raise PermissionDenied("This child's record is outside your scope")


def _by(obj, actor):
    """The record's history names the actor, also outside a request (API, front door, tasks)."""
    obj._history_user = actor
    return obj


def _require(actor, capability: str) -> None:
    if not actor.has_capability(capability):
        raise PermissionDenied(f"You need the '{capability}' capability")


# --- facts for the census checks ---------------------------------------------------------------

def child_facts(person) -> census.Child:
    return census.Child(date_of_birth=person.date_of_birth, expected_date_of_birth=person.expected_date_of_birth,
                        date_of_death=person.date_of_death)


def assessment_facts(a: Assessment, *, factors: Iterable[str] | None = None, **changes) -> census.AssessmentFacts:
    values = dict(start_date=a.start_date, child_seen_date=a.child_seen_date, seen_alone=a.seen_alone,
                  completed_date=a.completed_date, authorised_date=a.authorised_date, outcome=a.outcome)
    values.update(changes)
    if factors is None:
        factors = [f.code for f in a.factors.all()] if a.pk else []
    return census.AssessmentFacts(key=f"assessment:{a.pk or 'new'}", factors=tuple(factors),
                                  episode_key=f"episode:{a.episode_id or 'new'}", **values)


def _activities(episode: CINEpisode) -> tuple[census.Activity, ...]:
    """What the protection and plans modules recorded on this episode."""
    if not episode.pk:
        return ()
    from haven.plans.models import Plan
    from haven.protection.models import ConferenceChild, S47Enquiry

    out = []
    icpcs: dict[int, dt.date] = {}
    for s47_id, held_on in (ConferenceChild.objects.filter(s47__episode=episode, conference__kind="initial")
                            .values_list("s47_id", "conference__held_on")):
        icpcs[s47_id] = min(held_on, icpcs.get(s47_id, held_on))
    for s in S47Enquiry.objects.filter(episode=episode).order_by("start_date", "pk"):
        icpc = icpcs.get(s.pk)
        finished = bool(s.outcome) and (s.outcome != S47Enquiry.Outcome.ICPC or icpc is not None)
        out.append(census.Activity("s47", s.start_date, s.completed_date, finished, key=f"s47:{s.pk}"))
        if icpc:
            out.append(census.Activity("icpc", icpc, None, key=f"icpc:{s.pk}"))
    for p in Plan.objects.filter(episode=episode).order_by("start_date", "pk"):
        out.append(census.Activity("cp_plan" if p.kind == Plan.Kind.CP else "cin_plan", p.start_date, p.end_date,
                                   key=f"plan:{p.pk}"))
    return tuple(out)


def episode_facts(episode: CINEpisode, *, with_records: bool = True, **changes) -> census.EpisodeFacts:
    values = dict(referral_date=episode.referral_date, source=episode.source, primary_need=episode.primary_need,
                  referral_nfa=episode.referral_nfa, decision_date=episode.decision_date,
                  closure_date=episode.closure_date, closure_reason=episode.closure_reason)
    values.update(changes)
    assessments: tuple = ()
    activities: tuple = ()
    if with_records and episode.pk:
        assessments = tuple(assessment_facts(a) for a in
                            Assessment.objects.filter(episode=episode).prefetch_related("factors").order_by("start_date", "pk"))
        activities = _activities(episode)
    return census.EpisodeFacts(key=f"episode:{episode.pk or 'new'}", assessments=assessments, activities=activities,
                               **values)


def _other_episodes(person, exclude_pk=None) -> list[census.EpisodeFacts]:
    qs = CINEpisode.objects.filter(person=person)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return [episode_facts(e, with_records=False) for e in qs]


def _child_assessments(person) -> list[census.AssessmentFacts]:
    return [assessment_facts(a) for a in Assessment.objects.filter(person=person).prefetch_related("factors")]


def episode_problems(episode: CINEpisode) -> list[census.Problem]:
    """Every census rule the stored episode breaks (shown on the record: imported data)."""
    return census.check_episode(episode_facts(episode), child=child_facts(episode.person),
                                others=_other_episodes(episode.person, episode.pk),
                                child_assessments=_child_assessments(episode.person), today=_today())


def activity_problems(*, episode: CINEpisode, kind: str, start: dt.date, end: dt.date | None = None) -> list[census.Problem]:
    """For the protection and plans modules: would a new ``kind`` ("s47", "icpc", "cp_plan",
    "cin_plan") starting on ``start`` break a census rule of this episode? (before the referral:
    2889, 1104, 1105, 4015; on a referral with no further action: 8831, 8832, 4000; after the
    episode closed: 8565; RC8/RC9 closure: 2990). Field names are ``start``/``end``."""
    key = f"{kind}:new"
    proposed = census.Activity(kind, start, end, key=key)
    current = episode_facts(episode)
    after_ep = dataclasses.replace(current, activities=(*current.activities, proposed))
    child = child_facts(episode.person)
    today = _today()
    before = census.check_referral(current, child=child, others=[], today=today)
    before += census.check_closure(current, child=child, today=today)
    after = census.check_referral(after_ep, child=child, others=[], today=today)
    after += census.check_closure(after_ep, child=child, today=today)
    out = []
    for p in census.new_problems(after, before):
        if p.code == "8565" and p.key == key:
            p = census.Problem("8565", "end" if end and end > (episode.closure_date or end) else "start",
                               f"The referral was closed on {census.fmt(episode.closure_date)}: nothing can be "
                               "recorded on it after that date", key)
        elif p.field == "referral_date":
            p = census.Problem(p.code, "start", f"The start date must be on or after the referral date "
                                                f"({census.fmt(episode.referral_date)})", key)
        out.append(p)
    return out


# --- referral (CIN episode) -------------------------------------------------------------------

def referral_problems(*, person, episode: CINEpisode | None = None, **values) -> list[census.Problem]:
    """What a new referral, or a change to one, would break (problems already on the stored
    record do not block an unrelated change)."""
    child = child_facts(person)
    others = _other_episodes(person, episode.pk if episode else None)
    today = _today()
    if episode is None:
        proposed = census.EpisodeFacts(key="episode:new", **values)
        problems = census.check_referral(proposed, child=child, others=others, today=today)
        if person.kind != person.Kind.CHILD:
            problems.insert(0, census.Problem("CHILD", "", f"{person.full_name} is recorded as an adult: a referral "
                                                           "to children's social care is about a child", "episode:new"))
        return problems
    current = episode_facts(episode)
    proposed = episode_facts(episode, **values)
    after = census.check_referral(proposed, child=child, others=others, today=today)
    after += census.check_closure(proposed, child=child, today=today)
    before = census.check_referral(current, child=child, others=others, today=today)
    before += census.check_closure(current, child=child, today=today)
    return census.new_problems(after, before)


@transaction.atomic
def open_episode(*, actor, person, referral_date: dt.date, source: str, contact=None,
                 primary_need: str = PrimaryNeed.N0, request=None) -> CINEpisode:
    """A referral to children's social care: opens the child's CIN episode (CIN census
    CINdetails). Refused when the child already has an open episode (8815) or the dates are
    impossible; the decision (1 working day) and assessment (45 working days) clocks start."""
    from haven.people.models import Person

    _require_scope(actor, person)
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one referral at a time per child
    _refuse_if(referral_problems(person=person, referral_date=referral_date, source=source,
                                 primary_need=primary_need, referral_nfa=False))
    episode = CINEpisode(person=person, authority=person.authority, contact=contact, referral_date=referral_date,
                         source=source, primary_need=primary_need, created_by=actor, updated_by=actor)
    _by(episode, actor).save()
    record(request or actor, Action.CREATE, obj=episode, summary=f"Referral {referral_date:%d/%m/%Y} opened")
    return episode


@transaction.atomic
def update_referral(*, actor, episode: CINEpisode, expected_version: int, request=None, **values) -> CINEpisode:
    """Correct a referral's date, source or primary need. A new referral date moves the clocks
    (the deadlines are recomputed on save) and the change is in the record's history and the
    access log."""
    allowed = {"referral_date", "source", "primary_need"}
    if set(values) - allowed:
        raise TypeError(f"update_referral() cannot change {sorted(set(values) - allowed)}")
    _require_scope(actor, episode.person)
    _refuse_if(referral_problems(person=episode.person, episode=episode, **values))
    changed = {k: (str(getattr(episode, k)), str(v)) for k, v in values.items() if getattr(episode, k) != v}
    for k, v in values.items():
        setattr(episode, k, v)
    save_versioned(_by(episode, actor), expected_version=expected_version, actor=actor, reason="Referral details changed")
    record(request or actor, Action.UPDATE, obj=episode, detail={"changed": sorted(changed), "values": changed})
    return episode


@transaction.atomic
def record_decision(*, actor, episode: CINEpisode, expected_version: int, decision_date: dt.date, nfa: bool,
                    request=None) -> CINEpisode:
    """The decision on the referral (Working Together 2023: within one working day).

    No further action (CIN census ReferralNFA = true) closes the episode on the decision date
    with reason RC7: RC8 and RC9 mean "closed *after assessment*", and a referral with no further
    action has no assessment (8831; RC8/RC9 without one is query 8825Q). Only a manager
    (``assessments.close``) can close a referral this way.
    """
    _require_scope(actor, episode.person)
    if episode.referral_nfa:
        raise Refused([census.Problem("DECISION", "decision", f"No further action was recorded on "
                                      f"{census.fmt(episode.decision_date)} and the referral is closed. Record a new "
                                      "referral if there are new concerns", f"episode:{episode.pk}")])
    if not episode.is_open:
        raise Refused([census.Problem("DECISION", "decision", "The referral is closed: its decision cannot be changed",
                                      f"episode:{episode.pk}")])
    if nfa and not actor.has_capability("assessments.close"):
        raise Refused([census.Problem("DECISION", "decision", "Only a manager can close a referral with no further action",
                                      f"episode:{episode.pk}")])
    values: dict = {"decision_date": decision_date, "referral_nfa": nfa}
    if nfa:
        values.update(closure_date=decision_date, closure_reason=ClosureReason.RC7)
    _refuse_if(referral_problems(person=episode.person, episode=episode, **values))
    for k, v in values.items():
        setattr(episode, k, v)
    save_versioned(_by(episode, actor), expected_version=expected_version, actor=actor,
                   reason="No further action on the referral" if nfa else "Decision on the referral")
    record(request or actor, Action.UPDATE, obj=episode,
           summary="Decision on referral: " + ("no further action, closed" if nfa else "further action"),
           detail={"changed": sorted(values), "decision_date": str(decision_date), "nfa": nfa})
    return episode


def closure_values(episode: CINEpisode, *, closure_reason: str, stepped_down: bool) -> tuple[str, bool]:
    """Step-down to early help: RC9 always means stepped down; a step-down where the assessment
    led to early help is RC9 (RC8 would say "no further action")."""
    if closure_reason == ClosureReason.RC9:
        stepped_down = True
    if stepped_down and closure_reason in ("", ClosureReason.RC8) and \
            Assessment.objects.filter(episode=episode, outcome=Assessment.Outcome.EARLY_HELP).exists():
        closure_reason = ClosureReason.RC9
    return closure_reason, stepped_down


def closure_problems(*, episode: CINEpisode, closure_date, closure_reason: str) -> list[census.Problem]:
    return referral_problems(person=episode.person, episode=episode, closure_date=closure_date,
                             closure_reason=closure_reason)


@transaction.atomic
def close_episode(*, actor, episode: CINEpisode, expected_version: int, closure_date: dt.date, closure_reason: str,
                  stepped_down_to_early_help: bool = False, request=None) -> CINEpisode:
    """Close the episode (or correct its closure): refused while a child protection or child in
    need plan is open on it, an assessment is unauthorised or an S47 unfinished, or when the
    date or reason breaks a census rule. Closing stops the clocks still running."""
    _require(actor, "assessments.close")
    _require_scope(actor, episode.person)
    closure_reason, stepped = closure_values(episode, closure_reason=closure_reason,
                                             stepped_down=stepped_down_to_early_help)
    _refuse_if(closure_problems(episode=episode, closure_date=closure_date, closure_reason=closure_reason))
    episode.closure_date, episode.closure_reason = closure_date, closure_reason
    episode.stepped_down_to_early_help = stepped
    save_versioned(_by(episode, actor), expected_version=expected_version, actor=actor, reason="Referral closed")
    record(request or actor, Action.UPDATE, obj=episode, summary=f"Referral closed ({closure_reason})",
           detail={"changed": ["closure_date", "closure_reason", "stepped_down_to_early_help"],
                   "closure_date": str(closure_date), "closure_reason": closure_reason, "stepped_down": stepped})
    return episode


# --- single assessment ------------------------------------------------------------------------

ASSESSMENT_FIELDS = ("start_date", "child_seen_date", "seen_alone", "analysis", "outcome", "completed_date")


def assessment_problems(*, episode: CINEpisode, assessment: Assessment | None = None,
                        factors: Iterable[str] | None = None, only_new: bool = True, **values) -> list[census.Problem]:
    """What a new assessment, or a change to one, would break. With ``only_new`` (edits), a
    problem already on the stored assessment does not block an unrelated change."""
    today = _today()
    ep = episode_facts(episode)
    others = _child_assessments(episode.person)
    values = {k: v for k, v in values.items() if k != "analysis"}
    if assessment is None:
        proposed = census.AssessmentFacts(key="assessment:new", episode_key=f"episode:{episode.pk}",
                                          factors=tuple(factors or ()), **values)
        return census.check_assessment(proposed, episode=ep, others=others, today=today)
    current = assessment_facts(assessment)
    proposed = assessment_facts(assessment, factors=factors, **values)
    after = census.check_assessment(proposed, episode=ep, others=others, today=today)
    if not only_new:
        return after
    before = census.check_assessment(current, episode=ep, others=others, today=today)
    return census.new_problems(after, before)


def _closed_problem(episode: CINEpisode) -> list[census.Problem]:
    if episode.referral_nfa:
        return [census.Problem("8831", "", "No further action was decided on this referral: it cannot have an assessment",
                               f"episode:{episode.pk}")]
    if not episode.is_open:
        return [census.Problem("8565", "", f"The referral was closed on {census.fmt(episode.closure_date)}: record a new "
                                           "referral to start an assessment", f"episode:{episode.pk}")]
    return []


def _save_factors(assessment: Assessment, codes: Iterable[str], actor) -> None:
    codes = set(codes)
    existing = {f.code: f for f in assessment.factors.all()}
    for code, f in existing.items():
        if code not in codes:
            _by(f, actor).delete()
    for code in sorted(codes - set(existing)):
        _by(AssessmentFactorIdentified(assessment=assessment, code=code, authority=assessment.authority,
                                       created_by=actor, updated_by=actor), actor).save()


@transaction.atomic
def create_assessment(*, actor, episode: CINEpisode, start_date: dt.date, child_seen_date: dt.date | None = None,
                      seen_alone: bool = False, analysis: str = "", outcome: str = "",
                      completed_date: dt.date | None = None, factors: Iterable[str] = (), request=None) -> Assessment:
    """Start a single assessment on an open referral (Working Together 2023; the 45-working-day
    clock runs from the referral and is met when a manager authorises it)."""
    _require_scope(actor, episode.person)
    factors = list(factors)
    _refuse_if(_closed_problem(episode))
    _refuse_if(assessment_problems(episode=episode, factors=factors, start_date=start_date,
                                   child_seen_date=child_seen_date, seen_alone=seen_alone, outcome=outcome,
                                   completed_date=completed_date))
    assessment = Assessment(episode=episode, person=episode.person, authority=episode.authority, start_date=start_date,
                            child_seen_date=child_seen_date, seen_alone=seen_alone, analysis=analysis, outcome=outcome,
                            completed_date=completed_date, created_by=actor, updated_by=actor)
    _by(assessment, actor).save()
    _save_factors(assessment, factors, actor)
    record(request or actor, Action.CREATE, obj=assessment, detail={"factors": sorted(set(factors))})
    return assessment


@transaction.atomic
def update_assessment(*, actor, assessment: Assessment, expected_version: int, factors: Iterable[str],
                      request=None, **values) -> Assessment:
    """Record progress on an assessment (seen, analysis, factors, outcome, completion). An
    authorised assessment is the record of the decision: it is not changed afterwards."""
    if set(values) - set(ASSESSMENT_FIELDS):
        raise TypeError(f"update_assessment() cannot change {sorted(set(values) - set(ASSESSMENT_FIELDS))}")
    _require_scope(actor, assessment.person)
    if assessment.authorised_date:
        raise Refused([census.Problem("AUTHORISED", "", f"This assessment was authorised on "
                                      f"{census.fmt(assessment.authorised_date)}: it can no longer be changed",
                                      f"assessment:{assessment.pk}")])
    factors = list(factors)
    _refuse_if(assessment_problems(episode=assessment.episode, assessment=assessment, factors=factors, **values))
    before = {k: getattr(assessment, k) for k in values}
    old_factors = sorted(f.code for f in assessment.factors.all())
    for k, v in values.items():
        setattr(assessment, k, v)
    save_versioned(_by(assessment, actor), expected_version=expected_version, actor=actor)
    _save_factors(assessment, factors, actor)
    changed = [k for k, v in before.items() if v != values[k]]
    if old_factors != sorted(set(factors)):
        changed.append("factors")
    record(request or actor, Action.UPDATE, obj=assessment, detail={"changed": changed, "factors": sorted(set(factors))})
    return assessment


@transaction.atomic
def authorise_assessment(*, actor, assessment: Assessment, expected_version: int, authorised_date: dt.date,
                         request=None) -> Assessment:
    """A manager authorises the completed assessment (the CIN census assessment end date; it
    meets the 45-working-day clock). Not before it started (8608) or was completed, not in the
    future, not after the referral closed (8565); ``authorised_by`` is the manager."""
    _require(actor, "assessments.authorise")
    _require_scope(actor, assessment.person)
    if assessment.authorised_date:
        raise Refused([census.Problem("AUTHORISED", "authorised_date", "This assessment was authorised on "
                                      f"{census.fmt(assessment.authorised_date)} by {assessment.authorised_by}",
                                      f"assessment:{assessment.pk}")])
    # Authorising signs the whole assessment off: every rule must hold, not only the new date's.
    _refuse_if(assessment_problems(episode=assessment.episode, assessment=assessment, only_new=False,
                                   authorised_date=authorised_date))
    assessment.authorised_date = authorised_date
    assessment.authorised_by = actor
    save_versioned(_by(assessment, actor), expected_version=expected_version, actor=actor, reason="Assessment authorised")
    record(request or actor, Action.UPDATE, obj=assessment, summary="Single assessment authorised",
           detail={"changed": ["authorised_date", "authorised_by"], "authorised_date": str(authorised_date)})
    return assessment


# --- exemptions and extensions ----------------------------------------------------------------

def exemptible_rules(episode: CINEpisode):
    """The rules triggered by a referral whose clock a manager may stop or extend."""
    from haven.core.timescales.rules import RULES

    label = CINEpisode._meta.label
    return [r for r in RULES.values() if r.exemptible and r.trigger.model.lower() == label.lower()]


def open_deadline(episode: CINEpisode, rule_code: str):
    from haven.work.models import Deadline

    ct = ContentType.objects.get_for_model(CINEpisode)
    return (Deadline.objects.filter(rule=rule_code, content_type=ct, object_id=episode.pk, met_at__isnull=True)
            .order_by("-sequence").first())


@transaction.atomic
def record_exemption(*, actor, episode: CINEpisode, rule: str, kind: str, reason: str,
                     extended_to: dt.date | None = None, request=None):
    """A manager stops a clock (exemption) or gives it a new due date (extension), with the
    reason (DOMAIN step 4). The deadlines are recomputed at once and the decision is audited on
    the child's record."""
    from haven.core.timescales.rules import RULES
    from haven.work.models import TimescaleExemption
    from haven.work.sync import recompute

    _require(actor, "timescales.exempt")
    _require_scope(actor, episode.person)
    key = f"episode:{episode.pk}"
    problems = []
    if rule not in {r.code for r in exemptible_rules(episode)}:
        problems.append(census.Problem("EXEMPT", "rule", "This timescale cannot be stopped or extended", key))
    if kind not in TimescaleExemption.Kind.values:
        problems.append(census.Problem("EXEMPT", "kind", "Select whether to stop the clock or extend the deadline", key))
    if not (reason or "").strip():
        problems.append(census.Problem("EXEMPT", "reason", "Enter the reason", key))
    _refuse_if(problems)
    deadline = open_deadline(episode, rule)
    if deadline is None:
        raise Refused([census.Problem("EXEMPT", "", "There is no running clock to stop or extend: the deadline has been "
                                                    "met, or the referral is closed", key)])
    if deadline.exempt:
        raise Refused([census.Problem("EXEMPT", "", "The clock has already been stopped", key)])
    if kind == TimescaleExemption.Kind.EXTEND:
        due = timezone.localtime(deadline.due_at).date()
        if extended_to is None:
            raise Refused([census.Problem("EXEMPT", "extended_to", "Enter the new due date", key)])
        if extended_to <= due:
            raise Refused([census.Problem("EXEMPT", "extended_to",
                                          f"The new due date must be after the current due date ({census.fmt(due)})", key)])
    else:
        extended_to = None
    ct = ContentType.objects.get_for_model(CINEpisode)
    exemption = _by(TimescaleExemption(
        rule=rule, content_type=ct, object_id=episode.pk, kind=kind, extended_to=extended_to, reason=reason.strip(),
        decided_by=actor, authority=episode.authority, created_by=actor, updated_by=actor), actor)
    exemption.save()
    # haven.work.signals now recomputes on an exemption's save too; doing it here as well keeps
    # this use-case right on its own (one rule, one trigger: cheap and idempotent).
    recompute(RULES[rule], [episode.pk])
    record(request or actor, Action.CREATE, obj=exemption, person_id=episode.person_id,
           summary=f"{exemption.get_kind_display()}: {rule}",
           detail={"rule": rule, "kind": kind, "extended_to": str(extended_to or ""), "reason": reason.strip(),
                   "episode": episode.pk})
    return exemption
