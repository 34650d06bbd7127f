"""Plan use-cases shared by the pages and the API: each takes a keyword-only ``actor``, runs in
one transaction, writes its audit entry and raises ``PlanError`` (with field messages) when the
input is impossible."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction

from haven.audit.log import Action, record

from . import checks
from .models import Plan, PlanAction, PlanObjective, PlanReview


class PlanError(Exception):
    """Impossible input. ``errors`` is ``[(field or None, message)]``."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(message for _field, message in self.errors))


class IncompleteAction(PlanError):
    """The action lacks an owner, a measurable outcome or a due date, and the user has not
    chosen to save it anyway."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__([("save_incomplete", f"This action does not have {checks.join_missing(missing)}. "
                                              f"Add {'them' if len(missing) > 1 else 'it'}, or choose "
                                              f"'{checks.without(missing)}'")])


def _in_scope(actor, obj) -> None:
    if not type(obj).objects.visible_to(actor, "change").filter(pk=obj.pk).exists():
        raise PermissionDenied("The record is outside your scope")


@transaction.atomic
def create_cin_plan(*, actor, person, start_date: dt.date, summary: str = "", child_friendly: str = "",
                    request=None) -> Plan:
    """Start a child in need plan for ``person`` within their open child in need episode."""
    from haven.people.models import Person

    _in_scope(actor, person)
    # One plan start per child at a time: the overlap checks below must not race.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    episode = checks.open_episode_for(person)
    if start_date is None:
        raise PlanError([("start_date", "Enter the start date")])
    problems = checks.cin_plan_start(person, start_date, episode)
    if problems:
        raise PlanError(problems)
    plan = Plan(person=person, episode=episode, kind=Plan.Kind.CIN, start_date=start_date,
                summary=summary.strip(), child_friendly=child_friendly.strip(), authority=person.authority,
                created_by=actor, updated_by=actor)
    plan.save()
    record(request or actor, Action.CREATE, obj=plan, summary=f"{plan} for {person.full_name}")
    return plan


@transaction.atomic
def add_action(*, actor, plan: Plan, action: str, owner: str = "", measurable_outcome: str = "",
               due_date: dt.date | None = None, objective: PlanObjective | None = None,
               status: str = PlanAction.Status.NOT_STARTED, save_incomplete: bool = False,
               request=None) -> PlanAction:
    """Add an action to a plan. An action without an owner, a measurable outcome or a due date is
    saved only when ``save_incomplete`` says the user chose to (plans are written in meetings);
    the plan then shows it as incomplete."""
    _in_scope(actor, plan)
    problems = []
    if not (action or "").strip():
        problems.append(("action", "Enter what will be done"))
    if plan.end_date:
        problems.append((None, f"This plan ended on {checks.day(plan.end_date)}: actions cannot be added to it"))
    if objective is not None and objective.plan_id != plan.pk:
        problems.append(("objective", "Choose an objective of this plan"))
    if status not in PlanAction.Status.values:
        problems.append(("status", "Choose a status"))
    problems += checks.action_dates(plan, due_date)
    if problems:
        raise PlanError(problems)
    missing = checks.smart_missing(owner=owner, measurable_outcome=measurable_outcome, due_date=due_date)
    if missing and not save_incomplete:
        raise IncompleteAction(missing)
    obj = PlanAction(plan=plan, objective=objective, action=action.strip(), owner=(owner or "").strip(),
                     measurable_outcome=(measurable_outcome or "").strip(), due_date=due_date, status=status,
                     authority=plan.authority, created_by=actor, updated_by=actor)
    obj.save()
    record(request or actor, Action.CREATE, obj=obj,
           detail={"incomplete": missing} if missing else None)
    return obj


@transaction.atomic
def record_review(*, actor, plan: Plan, held_on: dt.date, notes: str = "", request=None) -> PlanReview:
    """Record a review of a child in need plan (it meets the plan's ``cin_review_3m`` clock)."""
    _in_scope(actor, plan)
    if held_on is None:
        raise PlanError([("held_on", "Enter the date of the review")])
    problems = checks.review_date(plan, held_on)
    if problems:
        raise PlanError(problems)
    review = PlanReview(plan=plan, held_on=held_on, notes=(notes or "").strip(), authority=plan.authority,
                        created_by=actor, updated_by=actor)
    review.save()
    record(request or actor, Action.CREATE, obj=review)
    return review
