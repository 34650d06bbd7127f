"""Care planning use-cases shared by the pages and the API: agree a care plan, record a
looked-after review (with its recommendations), add a recommendation and update its progress,
allocate the independent reviewing officer, and record a statutory visit.

Each takes a keyword-only ``actor``, checks scope, runs in one transaction, writes its audit
entry and raises ``CarePlanningError`` with ``[(field or None, message)]`` when the input is
impossible (the pages show them as field errors, the API answers 422 with them). The clocks
follow by themselves (``haven.work.signals``): a care plan meets ``cla_care_plan``, a review
``cla_review``, a visit with the child seen ``cla_visit``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from haven.audit.log import Action, record
from haven.core.codes.looked_after import Participation

from .models import CarePlan, LACReview, PermanenceAim, ReviewRecommendation

Problems = list[tuple[str | None, str]]

# A care plan may be agreed before the child comes into care (a planned admission): up to this
# long before (the ``early`` window of the ``cla_care_plan`` rule).
EARLY_PLAN_MONTHS = 3


class CarePlanningError(Exception):
    """Impossible input. ``errors`` is ``[(field or None, message)]``."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(message for _field, message in self.errors))


class IncompleteRecommendation(CarePlanningError):
    """The recommendation lacks an owner, a measurable outcome or a due date and the user has
    not chosen to save it anyway."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__([("save_incomplete", f"This recommendation does not have {join_missing(missing)}. "
                                              f"Add {'them' if len(missing) > 1 else 'it'}, or choose "
                                              f"'{without(missing)}'")])


def day(value: dt.date | None) -> str:
    """27 March 2019 (GOV.UK style)."""
    return f"{value.day} {value:%B %Y}" if value else ""


def join_missing(missing: list[str]) -> str:
    if len(missing) <= 1:
        return "".join(missing)
    return f"{', '.join(missing[:-1])} and {missing[-1]}"


def without(missing: list[str]) -> str:
    return f"Save without {join_missing(missing)}"


def smart_missing(*, owner: str, measurable_outcome: str, due_date) -> list[str]:
    return ReviewRecommendation(owner=(owner or "").strip(), measurable_outcome=(measurable_outcome or "").strip(),
                                due_date=due_date).missing


def _in_scope(actor, obj) -> None:
    if not type(obj).objects.visible_to(actor, "change").filter(pk=obj.pk).exists():
        raise PermissionDenied("The record is outside your scope")


def _name(person) -> str:
    return person.first_name or "The child"


# -- periods of care -------------------------------------------------------------------------
def periods_of(person):
    from haven.looked_after.models import PeriodOfCare

    return PeriodOfCare.objects.filter(person=person).order_by("-start_date", "-pk")


def current_period(person):
    """The child's open period of care (looked after now), or None."""
    return periods_of(person).filter(end_date__isnull=True).first()


def period_on(person, on: dt.date):
    """The period of care that covers ``on``, or None (the child was not looked after then)."""
    from haven.looked_after.models import PeriodOfCare

    return PeriodOfCare.objects.open_on(on).filter(person=person).order_by("-start_date").first()


def latest_period(person):
    return periods_of(person).first()


def not_looked_after_message(person, on: dt.date) -> str:
    periods = list(periods_of(person)[:3])
    name = _name(person)
    if not periods:
        return f"{name} has never been looked after"
    spans = "; ".join(f"from {day(p.start_date)}" + (f" to {day(p.end_date)}" if p.end_date else "")
                      for p in periods)
    return f"{name} was not looked after on {day(on)} (looked after {spans})"


# -- care plans ------------------------------------------------------------------------------
def care_plan_problems(person, period, agreed_on: dt.date | None) -> Problems:
    name = _name(person)
    if period is None:
        return [(None, f"{name} is not looked after. A care plan belongs to a period of care: record the "
                       "period of care first")]
    if period.person_id != person.pk:
        return [("period", "Choose one of this child's periods of care")]
    if agreed_on is None:
        return [("agreed_on", "Enter the date the plan was agreed")]
    problems: Problems = []
    from haven.core.calendar import add_months

    earliest = add_months(period.start_date, -EARLY_PLAN_MONTHS)
    if agreed_on > timezone.localdate():
        problems.append(("agreed_on", "The date the plan was agreed must be today or in the past"))
    elif agreed_on < earliest:
        problems.append(("agreed_on", f"The date the plan was agreed must be on or after {day(earliest)}: no more "
                                      f"than {EARLY_PLAN_MONTHS} months before {name} became looked after on "
                                      f"{day(period.start_date)}"))
    if period.end_date and agreed_on > period.end_date:
        problems.append(("agreed_on", f"The date the plan was agreed must be on or before {name} stopped being "
                                      f"looked after on {day(period.end_date)}"))
    if person.date_of_birth and agreed_on < person.date_of_birth:
        problems.append(("agreed_on", f"The date the plan was agreed must be on or after {name} was born"))
    return problems


@transaction.atomic
def agree_care_plan(*, actor, person, agreed_on: dt.date | None, summary: str, needs: str,
                    permanence_aim: str, how_met: str = "", contact: str = "", permanence_detail: str = "",
                    child_views: str = "", period=None, request=None) -> CarePlan:
    """Record an agreed care plan (or a new version of it) for the child's period of care: the
    current one, or the one given."""
    _in_scope(actor, person)
    if period is None:
        period = current_period(person) or (period_on(person, agreed_on) if agreed_on else None)
    problems = care_plan_problems(person, period, agreed_on)
    if not (summary or "").strip():
        problems.append(("summary", "Enter the plan in brief"))
    if not (needs or "").strip():
        problems.append(("needs", "Enter the child's needs"))
    if permanence_aim not in PermanenceAim.values:
        problems.append(("permanence_aim", "Select the permanence aim"))
    if problems:
        raise CarePlanningError(problems)
    plan = CarePlan(person=person, period=period, agreed_on=agreed_on, summary=summary.strip(), needs=needs.strip(),
                    how_met=(how_met or "").strip(), contact=(contact or "").strip(), permanence_aim=permanence_aim,
                    permanence_detail=(permanence_detail or "").strip(), child_views=(child_views or "").strip(),
                    authority=person.authority, created_by=actor, updated_by=actor)
    plan.save()
    record(request or actor, Action.CREATE, obj=plan, summary=f"{plan} for {person.full_name}",
           detail={"gaps": plan.gaps} if plan.gaps else None)
    return plan


# -- reviews ---------------------------------------------------------------------------------
def is_iro(user) -> bool:
    return bool(user) and user.has_capability("looked_after.review")


def age_on(person, on: dt.date) -> int | None:
    born = person.date_of_birth
    if not born:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def review_problems(person, period, held_on: dt.date | None, participation: str | None,
                    next_review_on: dt.date | None = None, chair=None) -> Problems:
    name = _name(person)
    problems: Problems = []
    if held_on is None:
        return [("held_on", "Enter the date of the review")]
    if held_on > timezone.localdate():
        problems.append(("held_on", "The date of the review must be today or in the past"))
    elif period is None:
        problems.append(("held_on", not_looked_after_message(person, held_on)))
    if participation:
        if participation not in Participation.values:
            problems.append(("participation", "Select how the child took part"))
        else:
            age = age_on(person, held_on)
            # SSDA903: PN0 is for a child under 4 at the review, and only for them.
            if age is not None and age < 4 and participation != Participation.PN0:
                problems.append(("participation", f"{name} was under 4 at the review: select PN0"))
            if age is not None and age >= 4 and participation == Participation.PN0:
                problems.append(("participation", f"{name} was {age} at the review: PN0 is for children under 4"))
    else:
        problems.append(("participation", "Select how the child took part"))
    if next_review_on is not None and next_review_on <= held_on:
        problems.append(("next_review_on", "The next review must be after this one"))
    if chair is not None and not is_iro(chair):
        problems.append(("chair", f"{chair.get_full_name() or chair} is not an independent reviewing officer"))
    return problems


@transaction.atomic
def record_review(*, actor, person, held_on: dt.date | None, participation: str, decisions: str,
                  child_views: str = "", parents_views: str = "", next_review_on: dt.date | None = None,
                  chair=None, recommendations=(), request=None) -> LACReview:
    """Record a looked-after review held on ``held_on`` (within a period of care), chaired by
    the IRO (``chair``, by default the actor), with its recommendations: dicts of action,
    owner, measurable_outcome, due_date and save_incomplete."""
    _in_scope(actor, person)
    chair = chair if chair is not None else actor
    period = period_on(person, held_on) if held_on else None
    problems = review_problems(person, period, held_on, participation, next_review_on, chair)
    if not (decisions or "").strip():
        problems.append(("decisions", "Enter the decisions of the review"))
    if problems:
        raise CarePlanningError(problems)
    review = LACReview(person=person, period=period, held_on=held_on, chair=chair, participation=participation,
                       decisions=decisions.strip(), child_views=(child_views or "").strip(),
                       parents_views=(parents_views or "").strip(), next_review_on=next_review_on,
                       authority=person.authority, created_by=actor, updated_by=actor)
    review.save()
    record(request or actor, Action.CREATE, obj=review, summary=f"{review} for {person.full_name}",
           detail={"participation": participation})
    for rec in recommendations:
        add_recommendation(actor=actor, review=review, request=request, **rec)
    return review


def recommendation_problems(review, due_date: dt.date | None) -> Problems:
    if due_date is not None and due_date < review.held_on:
        return [("due_date", f"By when must be on or after the review on {day(review.held_on)}")]
    return []


@transaction.atomic
def add_recommendation(*, actor, review: LACReview, action: str, owner: str = "", measurable_outcome: str = "",
                       due_date: dt.date | None = None, save_incomplete: bool = False,
                       request=None) -> ReviewRecommendation:
    _in_scope(actor, review)
    problems: Problems = []
    if not (action or "").strip():
        problems.append(("action", "Enter what will be done"))
    problems += recommendation_problems(review, due_date)
    if problems:
        raise CarePlanningError(problems)
    missing = smart_missing(owner=owner, measurable_outcome=measurable_outcome, due_date=due_date)
    if missing and not save_incomplete:
        raise IncompleteRecommendation(missing)
    rec = ReviewRecommendation(review=review, person=review.person, action=action.strip(),
                               owner=(owner or "").strip(), measurable_outcome=(measurable_outcome or "").strip(),
                               due_date=due_date, authority=review.authority, created_by=actor, updated_by=actor)
    rec.save()
    record(request or actor, Action.CREATE, obj=rec, detail={"incomplete": missing} if missing else None)
    return rec


@transaction.atomic
def update_recommendation(*, actor, recommendation: ReviewRecommendation, status: str, progress: str | None = None,
                          expected_version: int | None = None, request=None) -> ReviewRecommendation:
    """Record progress on a recommendation (optimistic locking on ``expected_version``)."""
    from haven.core.versioning import save_versioned

    _in_scope(actor, recommendation)
    if status not in ReviewRecommendation.Status.values:
        raise CarePlanningError([("status", "Select the progress")])
    recommendation.status = status
    if progress is not None:
        recommendation.progress = progress.strip()
    save_versioned(recommendation, expected_version=expected_version or recommendation.version, actor=actor)
    record(request or actor, Action.UPDATE, obj=recommendation, detail={"status": status})
    return recommendation


# -- IRO allocation --------------------------------------------------------------------------
def current_allocation(person, role: str):
    from haven.people.models import Allocation

    return (Allocation.objects.current().filter(person=person, role=role).select_related("worker", "team")
            .order_by("-start_date", "-pk").first())


def iro_candidates(person):
    """Users who hold the IRO role in a team serving the child's authority, by name."""
    from haven.accounts.models import Membership, User
    from haven.accounts.roles import Role

    ids = (Membership.objects.filter(role=Role.CP_CHAIR_IRO, team__serves=person.authority_id)
           .values("user_id"))
    return User.objects.filter(pk__in=ids, is_active=True).order_by("first_name", "last_name", "pk")


def _iro_team(worker, person):
    from haven.accounts.models import Membership
    from haven.accounts.roles import Role

    m = (Membership.objects.filter(user=worker, role=Role.CP_CHAIR_IRO, team__serves=person.authority_id)
         .select_related("team").order_by("pk").first())
    return m.team if m else None


@transaction.atomic
def allocate_iro(*, actor, person, worker, start_date: dt.date | None = None, request=None):
    """Allocate ``worker`` as the child's IRO from ``start_date`` (today by default), ending the
    current IRO's allocation the day before. Only a team manager (``people.allocate``)."""
    from haven.people.models import Allocation, Person

    if not actor.has_capability("people.allocate"):
        raise PermissionDenied("Only a team manager can allocate an independent reviewing officer")
    _in_scope(actor, person)
    Person.objects.select_for_update().filter(pk=person.pk).first()
    start_date = start_date or timezone.localdate()
    name = _name(person)
    problems: Problems = []
    if worker is None:
        problems.append(("worker", "Select the independent reviewing officer"))
    if start_date > timezone.localdate():
        problems.append(("start_date", "The start date must be today or in the past"))
    if current_period(person) is None and period_on(person, start_date) is None:
        problems.append((None, f"{name} is not looked after: an IRO is allocated to a looked-after child"))
    team = None
    if worker is not None:
        team = _iro_team(worker, person)
        if team is None:
            problems.append(("worker", f"{worker.get_full_name() or worker} is not an independent reviewing officer "
                                       f"for {person.authority}"))
    current = current_allocation(person, Allocation.Role.IRO)
    if current is not None and worker is not None and current.worker_id == worker.pk:
        problems.append(("worker", f"{worker.get_full_name() or worker} is already {name}'s IRO"))
    if current is not None and start_date <= current.start_date:
        problems.append(("start_date", f"The start date must be after the current IRO started on "
                                       f"{day(current.start_date)}"))
    if problems:
        raise CarePlanningError(problems)
    if current is not None:
        current.end_date = start_date - dt.timedelta(days=1)
        current.updated_by = actor
        current.save()
        record(request or actor, Action.UPDATE, obj=current, summary=f"IRO allocation of {person.full_name} ended")
    allocation = Allocation(person=person, worker=worker, team=team, role=Allocation.Role.IRO, start_date=start_date,
                            authority=person.authority, created_by=actor, updated_by=actor)
    allocation.save()
    record(request or actor, Action.CREATE, obj=allocation,
           summary=f"{worker.get_full_name() or worker} allocated as IRO of {person.full_name}")
    return allocation


# -- statutory visits ------------------------------------------------------------------------
def visit_problems(person, occurred_at: dt.datetime | None) -> Problems:
    if occurred_at is None:
        return [("date", "Enter the date of the visit")]
    if occurred_at > timezone.now():
        return [("date", "The date of the visit must be today or in the past")]
    on = timezone.localtime(occurred_at).date()
    if period_on(person, on) is None:
        return [("date", not_looked_after_message(person, on))]
    return []


@transaction.atomic
def record_visit(*, actor, person, occurred_at: dt.datetime | None, notes: str, seen: bool = True,
                 seen_alone: bool = False, title: str = "", request=None):
    """Record a statutory visit to a looked-after child: a ``recording.Recording`` of kind
    ``cla_visit`` with the child as its subject (seen, seen alone), through the recording
    module's own use-case. The visit must be in the past and while the child was looked after."""
    from haven.recording import services as recording
    from haven.recording.models import Recording

    _in_scope(actor, person)
    problems = visit_problems(person, occurred_at)
    if not (notes or "").strip():
        problems.append(("notes", "Enter what happened on the visit and what the child said"))
    if problems:
        raise CarePlanningError(problems)
    seen = bool(seen or seen_alone)
    kind = Recording.Kind.CLA_VISIT
    # The recording module records seen / seen alone for the kinds it calls visits.
    supported = kind in recording.VISITS
    try:
        rec = recording.record_family_event(
            actor=actor, kind=kind, occurred_at=occurred_at, title=(title or "").strip() or "Statutory visit",
            subjects=[recording.Subject(person=person, seen=seen and supported, seen_alone=seen_alone and supported)],
            parts=[recording.Part(text=notes)], request=request)
    except recording.RecordingError as error:
        raise CarePlanningError(error.errors) from None
    if not supported and seen:
        subject = rec.subjects.get(person=person)
        subject.seen, subject.seen_alone = seen, seen_alone
        subject.updated_by = actor
        subject.save()
    return rec


def visits_of(person, user, limit: int | None = 20):
    """The statutory visits to ``person`` the user may see (RecordingSubject rows), newest first."""
    from haven.recording.models import RecordingSubject

    qs = (RecordingSubject.objects.visible_to(user).filter(person=person, recording__kind="cla_visit")
          .select_related("recording", "recording__created_by").order_by("-recording__occurred_at"))
    return list(qs[:limit] if limit else qs)


def open_recommendations(person, user):
    return (ReviewRecommendation.objects.visible_to(user).filter(person=person)
            .filter(Q(status=ReviewRecommendation.Status.NOT_STARTED) | Q(status=ReviewRecommendation.Status.IN_PROGRESS)))
