"""The date rules a plan's dates must keep, in one place: the forms show them as field errors,
the services (and so the API) refuse with them. Each check returns ``[(field, message)]``;
an empty list means the dates are possible.

The CIN census validation rules these make impossible to enter are named beside each check
(``reference/rules_cin_2025_26.tsv``).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from .models import Plan

Problems = list[tuple[str | None, str]]


def day(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def open_episode_for(person):
    """The child's open child in need episode (the latest, if there are several), or None."""
    from haven.assessments.models import CINEpisode

    return (CINEpisode.objects.filter(person=person, closure_date__isnull=True)
            .order_by("-referral_date", "-pk").first())


def _overlapping(person, kind: str, start: dt.date, *, exclude=None, end_day_counts: bool = False):
    """Plans of ``kind`` for ``person`` still open on ``start`` (or starting after it). With
    ``end_day_counts`` a plan that ends on ``start`` overlaps too (the DfE counts a plan's end
    date as inside it: CIN census 4014)."""
    ended_after = Q(end_date__gte=start) if end_day_counts else Q(end_date__gt=start)
    qs = Plan.objects.filter(person=person, kind=kind).filter(Q(end_date__isnull=True) | ended_after)
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    return qs.order_by("start_date").first()


def cin_plan_start(person, start_date: dt.date | None, episode, *, plan=None) -> Problems:
    """A child in need plan can start on ``start_date`` within ``episode``."""
    name = person.first_name or "The child"
    if episode is None:
        return [(None, f"{name} has no open referral. A child in need plan needs an open child in need "
                       "episode: record the referral first")]
    if episode.referral_nfa:
        # CIN census 4000: no CIN plan for a referral with no further action.
        return [(None, "The referral was closed with no further action, so it cannot have a child in need plan")]
    if start_date is None:
        return []
    problems: Problems = []
    if start_date > timezone.localdate():
        problems.append(("start_date", "Start date must be today or in the past"))
    if start_date < episode.referral_date:
        # CIN census 4015.
        problems.append(("start_date", f"Start date must be on or after the referral on {day(episode.referral_date)}"))
    if person.date_of_death and start_date > person.date_of_death:
        # CIN census 4008.
        problems.append(("start_date", f"Start date must be on or before {name}'s date of death"))
    other = _overlapping(person, Plan.Kind.CIN, start_date, exclude=plan, end_day_counts=True)
    if other is not None:
        # CIN census 4004 and 4014: one open CIN plan at a time, no overlapping dates.
        problems.append(("start_date", f"{name} already has a child in need plan from {day(other.start_date)}"
                                       f"{' to ' + day(other.end_date) if other.end_date else ''}. End it first, "
                                       "or choose a start date after it ended"))
    cp = _overlapping(person, Plan.Kind.CP, start_date)
    if cp is not None:
        # CIN census 4001, 4016, 4017: a CIN plan cannot run at the same time as a CP plan.
        problems.append(("start_date", f"{name} is on a child protection plan from {day(cp.start_date)}. A child in "
                                       "need plan cannot run at the same time: start it on or after the day the "
                                       "child protection plan ends"))
    if plan is not None and plan.pk:
        first_review = plan.reviews.order_by("held_on").first()
        if first_review is not None and first_review.held_on < start_date:
            problems.append(("start_date", f"Start date must be on or before the first review on {day(first_review.held_on)}"))
    return problems


def plan_end(plan, end_date: dt.date | None) -> Problems:
    """A plan can end on ``end_date``."""
    if end_date is None:
        return []
    problems: Problems = []
    person = plan.person
    if end_date > timezone.localdate():
        problems.append(("end_date", "End date must be today or in the past"))
    if end_date < plan.start_date:
        # CIN census 4011 and 8925.
        problems.append(("end_date", f"End date must be on or after the plan started on {day(plan.start_date)}"))
    elif plan.kind == Plan.Kind.CP and end_date == plan.start_date:
        # CIN census 8840.
        problems.append(("end_date", "A child protection plan cannot start and end on the same day"))
    if person.date_of_death and end_date > person.date_of_death:
        # CIN census 4009Q and 8920.
        problems.append(("end_date", f"End date must be on or before {person.first_name}'s date of death"))
    last_review = plan.reviews.order_by("-held_on").first() if plan.pk else None
    if last_review is not None and last_review.held_on > end_date:
        problems.append(("end_date", f"End date must be on or after the last review on {day(last_review.held_on)}"))
    return problems


def review_date(plan, held_on: dt.date | None) -> Problems:
    """A child in need plan can be reviewed on ``held_on``."""
    if plan.kind != Plan.Kind.CIN:
        return [(None, "Child protection plans are reviewed at review child protection conferences")]
    if held_on is None:
        return []
    problems: Problems = []
    if held_on > timezone.localdate():
        problems.append(("held_on", "Date of the review must be today or in the past"))
    if held_on < plan.start_date:
        problems.append(("held_on", f"Date of the review must be on or after the plan started on {day(plan.start_date)}"))
    if plan.end_date and held_on > plan.end_date:
        problems.append(("held_on", f"Date of the review must be on or before the plan ended on {day(plan.end_date)}"))
    return problems


def action_dates(plan, due_date: dt.date | None) -> Problems:
    if due_date is not None and due_date < plan.start_date:
        return [("due_date", f"By when must be on or after the plan started on {day(plan.start_date)}")]
    return []


def smart_missing(*, owner: str, measurable_outcome: str, due_date) -> list[str]:
    """What a plan action lacks to be specific, measurable and timed (as PlanAction.missing)."""
    from .models import PlanAction

    return PlanAction(owner=(owner or "").strip(), measurable_outcome=(measurable_outcome or "").strip(),
                      due_date=due_date).missing


def join_missing(missing: list[str]) -> str:
    """"an owner", "an owner and a due date", "an owner, a measurable outcome and a due date"."""
    if len(missing) <= 1:
        return "".join(missing)
    return f"{', '.join(missing[:-1])} and {missing[-1]}"


def without(missing: list[str]) -> str:
    """"Save without an owner and a due date"."""
    return f"Save without {join_missing(missing)}"
