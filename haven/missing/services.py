"""Use-cases of missing episodes and return home interviews: start an episode (or record a
whole one after the event), record the return, correct an episode, record or correct a return
home interview.

Each takes a keyword-only ``actor``, checks capability and scope, runs in one transaction,
writes its audit entry and raises ``Refused`` with one ``Problem`` per impossible input (the
pages show them as field errors, the API answers 422 with them). Refused: an end before the
start, a time in the future, overlapping episodes for the same child, an episode for an adult or
before birth, an interview before the child returned or for a child still missing.

The 72-hour clock (rule ``missing_rhi_72h``) follows by itself: saving an episode or an interview
recomputes the child's deadlines (``haven.work.signals``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from haven.audit.log import Action, record
from haven.core.versioning import save_versioned

from .codes import MissingKind, PullFactor, PushFactor, Referral, RHIOutcome, RiskLevel, WhereFound
from .models import MissingEpisode, ReturnInterview


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


class Refused(Exception):
    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(p.message for p in self.problems))


def when(value: dt.datetime | None) -> str:
    """14:30 on 27 March 2026 (GOV.UK style, local time)."""
    if value is None:
        return ""
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value:%H:%M} on {value.day} {value:%B %Y}"


def _require(actor, capability: str) -> None:
    if not actor.has_capability(capability):
        raise PermissionDenied(f"You need the '{capability}' capability")


def _require_scope(actor, obj) -> None:
    if not type(obj).objects.visible_to(actor, "change").filter(pk=obj.pk).exists():
        raise PermissionDenied("This record is outside your scope")


def _lock(person) -> None:
    """One change at a time per child: the overlap check must not race."""
    from haven.people.models import Person

    list(Person.objects.select_for_update().filter(pk=person.pk))


def _aware(value):
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


# --- inputs -----------------------------------------------------------------------------------

@dataclass
class ReturnIn:
    ended_at: dt.datetime | None
    where_found: str = ""
    where_found_detail: str = ""
    found_by: str = ""
    police_safe_and_well_check_on: dt.datetime | None = None


@dataclass
class EpisodeIn:
    started_at: dt.datetime | None
    kind: str = MissingKind.MISSING
    risk_level: str = RiskLevel.MEDIUM
    reported_to_police: bool = False
    police_reference: str = ""
    circumstances: str = ""


@dataclass
class InterviewIn:
    outcome: str
    offered_at: dt.datetime | None = None
    offered_by: str = ""
    not_offered_reason: str = ""
    independent: bool = False
    completed_at: dt.datetime | None = None
    conducted_by: str = ""
    push_factors: list[str] = field(default_factory=list)
    pull_factors: list[str] = field(default_factory=list)
    factors_detail: str = ""
    risks_identified: str = ""
    referrals: list[str] = field(default_factory=list)
    actions: str = ""


# --- checks (the forms use them before saving, the services enforce them) ---------------------

def overlapping(person, started_at, ended_at, exclude_pk=None):
    """The child's other episodes that overlap [started_at, ended_at) (open ends run forever)."""
    qs = MissingEpisode.objects.filter(person=person)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    qs = qs.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=started_at))
    if ended_at is not None:
        qs = qs.filter(started_at__lt=ended_at)
    return qs.order_by("started_at")


def episode_problems(person, data: EpisodeIn, returned: ReturnIn | None, *, exclude_pk=None) -> list[Problem]:
    now = timezone.now()
    problems: list[Problem] = []
    name = person.first_name
    start = _aware(data.started_at)
    if person.kind != person.Kind.CHILD:
        problems.append(Problem("", f"{person.full_name} is recorded as an adult: missing episodes are recorded for "
                                    "children"))
    if data.kind not in MissingKind.values:
        problems.append(Problem("kind", "Select whether the child was missing or away without authorisation"))
    if data.risk_level not in RiskLevel.values:
        problems.append(Problem("risk_level", "Select the risk level"))
    if start is None:
        problems.append(Problem("started_at", f"Enter when {name} went missing"))
        return problems
    if start > now:
        problems.append(Problem("started_at", f"The time {name} went missing must be now or in the past"))
    start_day = timezone.localtime(start).date()
    if person.date_of_birth and start_day < person.date_of_birth:
        problems.append(Problem("started_at", f"The time {name} went missing must be after their date of birth"))
    if person.date_of_death and start_day > person.date_of_death:
        problems.append(Problem("started_at", f"The time {name} went missing must be before their date of death"))
    end = None
    if returned is not None:
        end = _aware(returned.ended_at)
        check = _aware(returned.police_safe_and_well_check_on)
        if end is None:
            problems.append(Problem("ended_at", f"Enter when {name} returned or was found"))
        else:
            if end <= start:
                problems.append(Problem("ended_at", f"The return must be after {name} went missing, at {when(start)}"))
            if end > now:
                problems.append(Problem("ended_at", "The return must be now or in the past"))
        if returned.where_found not in WhereFound.values:
            problems.append(Problem("where_found", f"Select where {name} was found"))
        if check is not None:
            if end is not None and check < end:
                problems.append(Problem("police_safe_and_well_check_on",
                                        f"The safe and well check must be on or after {name} returned, at {when(end)}"))
            if check > now:
                problems.append(Problem("police_safe_and_well_check_on",
                                        "The safe and well check must be now or in the past"))
    if end is not None and end <= start:
        end = None  # already refused; check overlaps from the start alone
    for other in overlapping(person, start, end, exclude_pk):
        if other.ended_at is None:
            problems.append(Problem("started_at", f"{name} has been missing since {when(other.started_at)} and that "
                                                  "episode is still open: record the return first. Episodes of the "
                                                  "same child cannot overlap"))
        else:
            problems.append(Problem("started_at", f"{name} was already missing from {when(other.started_at)} to "
                                                  f"{when(other.ended_at)}: episodes of the same child cannot overlap"))
    return problems


def interview_problems(episode: MissingEpisode, data: InterviewIn) -> list[Problem]:
    now = timezone.now()
    name = episode.person.first_name
    problems: list[Problem] = []
    offered, completed = _aware(data.offered_at), _aware(data.completed_at)
    if data.outcome not in RHIOutcome.values:
        problems.append(Problem("outcome", "Select the outcome of the return home interview"))
    if episode.ended_at is None:
        problems.append(Problem("", f"{name} has not returned yet: record the return before the return home "
                                    "interview"))
    if data.outcome == RHIOutcome.NOT_OFFERED:
        if not (data.not_offered_reason or "").strip():
            problems.append(Problem("not_offered_reason", "Enter why a return home interview was not offered"))
        if offered is not None:
            problems.append(Problem("offered_at", "An interview that was not offered has no date offered"))
    elif data.outcome in RHIOutcome.values:
        if offered is None:
            problems.append(Problem("offered_at", "Enter when the interview was offered"))
        else:
            if episode.ended_at is not None and offered < episode.ended_at:
                problems.append(Problem("offered_at", f"The interview must be offered on or after {name} returned, at "
                                                      f"{when(episode.ended_at)}"))
            if offered > now:
                problems.append(Problem("offered_at", "The time the interview was offered must be now or in the past"))
        if not (data.offered_by or "").strip():
            problems.append(Problem("offered_by", "Enter who offered the interview"))
    if data.outcome == RHIOutcome.COMPLETED:
        if completed is None:
            problems.append(Problem("completed_at", "Enter when the interview was completed"))
        else:
            if offered is not None and completed < offered:
                problems.append(Problem("completed_at", f"The interview must be completed on or after it was offered, at "
                                                        f"{when(offered)}"))
            if completed > now:
                problems.append(Problem("completed_at", "The time the interview was completed must be now or in the past"))
        if not (data.conducted_by or "").strip():
            problems.append(Problem("conducted_by", "Enter who conducted the interview"))
    elif completed is not None:
        problems.append(Problem("completed_at", "A completion time is recorded only when the interview was completed"))
    for name_, codes, values in (("push_factors", data.push_factors, PushFactor.values),
                                 ("pull_factors", data.pull_factors, PullFactor.values),
                                 ("referrals", data.referrals, Referral.values)):
        unknown = [c for c in codes or () if c not in values]
        if unknown:
            problems.append(Problem(name_, f"Unknown code: {', '.join(unknown)}"))
    return problems


def interview_warnings(episode: MissingEpisode, data: InterviewIn) -> list[str]:
    """Practice gaps said plainly (not refused): offered late, or by someone not independent."""
    warnings = []
    offered = _aware(data.offered_at)
    if offered is not None and episode.ended_at is not None and offered > episode.ended_at + dt.timedelta(hours=72):
        warnings.append("The interview was offered more than 72 hours after the child returned")
    if data.outcome != RHIOutcome.NOT_OFFERED and not data.independent:
        warnings.append("The interview was not offered by someone independent of the child's care")
    return warnings


# --- episodes ---------------------------------------------------------------------------------

def _stamp(obj, actor):
    obj.created_by = obj.updated_by = actor
    return obj


def _apply_return(episode: MissingEpisode, returned: ReturnIn) -> None:
    episode.ended_at = _aware(returned.ended_at)
    episode.where_found = returned.where_found
    episode.where_found_detail = (returned.where_found_detail or "").strip()
    episode.found_by = (returned.found_by or "").strip()[:120]
    episode.police_safe_and_well_check_on = _aware(returned.police_safe_and_well_check_on)


def _apply_start(episode: MissingEpisode, data: EpisodeIn) -> None:
    episode.started_at = _aware(data.started_at)
    episode.kind = data.kind
    episode.risk_level = data.risk_level
    episode.reported_to_police = data.reported_to_police
    episode.police_reference = (data.police_reference or "").strip()[:40]
    episode.circumstances = (data.circumstances or "").strip()


@transaction.atomic
def start_episode(*, actor, person, data: EpisodeIn, returned: ReturnIn | None = None,
                  request=None) -> MissingEpisode:
    """A child went missing (``returned``: and came back, when recorded after the event)."""
    _require(actor, "missing.record")
    _require_scope(actor, person)
    _lock(person)
    problems = episode_problems(person, data, returned)
    if problems:
        raise Refused(problems)
    episode = _stamp(MissingEpisode(person=person, authority_id=person.authority_id), actor)
    _apply_start(episode, data)
    if returned is not None:
        _apply_return(episode, returned)
    episode.save()
    record(request or actor, Action.CREATE, obj=episode, summary=f"{episode} for {person.full_name}")
    return episode


@transaction.atomic
def record_return(*, actor, episode: MissingEpisode, returned: ReturnIn, expected_version: int,
                  request=None) -> MissingEpisode:
    """The child returned or was found: when, where, by whom, and the police safe and well check.
    Starts the 72-hour return home interview clock."""
    _require(actor, "missing.record")
    _require_scope(actor, episode)
    _lock(episode.person)
    start = EpisodeIn(started_at=episode.started_at, kind=episode.kind, risk_level=episode.risk_level)
    problems = episode_problems(episode.person, start, returned, exclude_pk=episode.pk)
    if problems:
        raise Refused(problems)
    first = episode.ended_at is None
    _apply_return(episode, returned)
    save_versioned(episode, expected_version=expected_version, actor=actor,
                   reason="Return recorded" if first else "Return corrected")
    record(request or actor, Action.UPDATE, obj=episode,
           summary=f"{'Return recorded' if first else 'Return corrected'}: {episode.person.full_name}",
           detail={"changed": ["ended_at", "where_found", "found_by", "police_safe_and_well_check_on"]})
    return episode


@transaction.atomic
def update_episode(*, actor, episode: MissingEpisode, data: EpisodeIn, expected_version: int,
                   request=None) -> MissingEpisode:
    """Correct how the episode started (the return keeps its own page)."""
    _require(actor, "missing.record")
    _require_scope(actor, episode)
    _lock(episode.person)
    returned = None
    if episode.ended_at is not None:
        returned = ReturnIn(ended_at=episode.ended_at, where_found=episode.where_found or WhereFound.OTHER,
                            police_safe_and_well_check_on=episode.police_safe_and_well_check_on)
    problems = episode_problems(episode.person, data, returned, exclude_pk=episode.pk)
    if problems:
        raise Refused(problems)
    _apply_start(episode, data)
    save_versioned(episode, expected_version=expected_version, actor=actor, reason="Episode corrected")
    record(request or actor, Action.UPDATE, obj=episode, summary=f"{episode} corrected for {episode.person.full_name}")
    return episode


# --- return home interviews -------------------------------------------------------------------

def _apply_interview(rhi: ReturnInterview, data: InterviewIn) -> None:
    rhi.outcome = data.outcome
    rhi.offered_at = None if data.outcome == RHIOutcome.NOT_OFFERED else _aware(data.offered_at)
    rhi.offered_by = (data.offered_by or "").strip()[:120]
    rhi.not_offered_reason = (data.not_offered_reason or "").strip() if data.outcome == RHIOutcome.NOT_OFFERED else ""
    rhi.independent = bool(data.independent)
    rhi.completed_at = _aware(data.completed_at) if data.outcome == RHIOutcome.COMPLETED else None
    rhi.conducted_by = (data.conducted_by or "").strip()[:120]
    rhi.push_factors = [c for c in PushFactor.values if c in set(data.push_factors or ())]
    rhi.pull_factors = [c for c in PullFactor.values if c in set(data.pull_factors or ())]
    rhi.referrals = [c for c in Referral.values if c in set(data.referrals or ())]
    rhi.factors_detail = (data.factors_detail or "").strip()
    rhi.risks_identified = (data.risks_identified or "").strip()
    rhi.actions = (data.actions or "").strip()


@transaction.atomic
def record_interview(*, actor, episode: MissingEpisode, data: InterviewIn, request=None) -> ReturnInterview:
    """A return home interview offered (accepted, declined, completed) or not offered, with the
    push and pull factors the child described. Meets the ``missing_rhi_72h`` clock when offered."""
    _require(actor, "missing.record")
    _require_scope(actor, episode)
    problems = interview_problems(episode, data)
    if problems:
        raise Refused(problems)
    rhi = _stamp(ReturnInterview(episode=episode, authority_id=episode.authority_id), actor)
    _apply_interview(rhi, data)
    rhi.save()
    record(request or actor, Action.CREATE, obj=rhi, summary=f"{rhi} for {episode.person.full_name}",
           detail={"warnings": interview_warnings(episode, data)})
    return rhi


@transaction.atomic
def update_interview(*, actor, rhi: ReturnInterview, data: InterviewIn, expected_version: int,
                     request=None) -> ReturnInterview:
    _require(actor, "missing.record")
    _require_scope(actor, rhi)
    problems = interview_problems(rhi.episode, data)
    if problems:
        raise Refused(problems)
    _apply_interview(rhi, data)
    save_versioned(rhi, expected_version=expected_version, actor=actor, reason="Return home interview updated")
    record(request or actor, Action.UPDATE, obj=rhi, summary=f"{rhi} updated for {rhi.episode.person.full_name}")
    return rhi
