"""Care leaver use-cases shared by the pages and the API: each takes a keyword-only ``actor``,
runs in one transaction, checks scope, refuses impossible input with ``LeaverError`` (field
messages from ``checks``) and writes its audit entry. ``ensure_tracking`` keeps the needs
assessment clock's trigger in step with the care history."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from haven.audit.log import Action, record

from . import checks
from .eligibility import birthday, eligibility_for, eligible_from, history_of
from .models import (
    LeaverStatus,
    LeavingCareTracking,
    PathwayPlan,
    PathwayPlanAction,
    PathwayPlanReview,
)


class LeaverError(Exception):
    """Impossible input. ``errors`` is ``[(field or None, message)]``."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(message for _field, message in self.errors))


class IncompleteAction(LeaverError):
    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__([("save_incomplete", f"This action does not have {checks.join_missing(missing)}. "
                                              f"Add {'them' if len(missing) > 1 else 'it'}, or choose "
                                              f"'{checks.without(missing)}'")])


def _in_scope(actor, obj) -> None:
    if not type(obj).objects.visible_to(actor, "change").filter(pk=obj.pk).exists():
        raise PermissionDenied("The record is outside your scope")


@transaction.atomic
def save_record(*, actor, obj, request=None):
    """Create or change one of a care leaver's dated records (contact, accommodation, activity,
    custody, staying put, health, review, action) after its checks."""
    person = obj.person if hasattr(obj, "person_id") and obj.person_id else obj.plan.person
    _in_scope(actor, person)
    check = checks.CHECKS.get(type(obj))
    problems = check(obj) if check else []
    if problems:
        raise LeaverError(problems)
    creating = obj.pk is None
    if creating:
        obj.authority = person.authority
        obj.created_by = actor
    obj.updated_by = actor
    if not creating:
        obj.version += 1
    obj.save()
    record(request or actor, Action.CREATE if creating else Action.UPDATE, obj=obj,
           summary=f"{obj} for {person.full_name}")
    return obj


@transaction.atomic
def confirm_status(*, actor, person, category: str, override_reason: str = "", on: dt.date | None = None,
                   request=None) -> LeaverStatus:
    """Confirm (or override) the leaving-care category. A category other than the computed one
    needs a reason."""
    _in_scope(actor, person)
    computed = eligibility_for(person, on)
    status = LeaverStatus.objects.filter(person=person).first() or LeaverStatus(person=person)
    status.category = category
    status.computed_category = computed.category
    status.confirmed_on = on or timezone.localdate()
    status.confirmed_by = actor
    status.override_reason = (override_reason or "").strip() if category != computed.category else ""
    problems = checks.status(status)
    if category not in dict(LeaverStatus._meta.get_field("category").choices):
        problems.append(("category", "Select the leaving care category"))
    if problems:
        raise LeaverError(problems)
    return save_status(actor=actor, status=status, request=request)


def save_status(*, actor, status, request=None):
    creating = status.pk is None
    if creating:
        status.authority = status.person.authority
        status.created_by = actor
    else:
        status.version += 1
    status.updated_by = actor
    status.save()
    record(request or actor, Action.CREATE if creating else Action.UPDATE, obj=status,
           summary=f"Leaving care category {status.get_category_display()} for {status.person.full_name}",
           detail={"computed": status.computed_category, "override": status.is_override})
    return status


@transaction.atomic
def create_pathway_plan(*, actor, person, request=None, **fields) -> PathwayPlan:
    """Start a pathway plan (one current plan at a time, for a care leaver)."""
    from haven.people.models import Person

    _in_scope(actor, person)
    Person.objects.select_for_update().filter(pk=person.pk).first()
    plan = PathwayPlan(person=person, **{k: v for k, v in fields.items() if v is not None})
    problems = checks.pathway_plan(plan, eligibility_for(person))
    if problems:
        raise LeaverError(problems)
    plan.authority, plan.created_by, plan.updated_by = person.authority, actor, actor
    plan.save()
    record(request or actor, Action.CREATE, obj=plan, summary=f"{plan} for {person.full_name}")
    return plan


@transaction.atomic
def add_action(*, actor, plan: PathwayPlan, save_incomplete: bool = False, request=None, **fields) -> PathwayPlanAction:
    """Add an action; without an owner, a measurable outcome or a due date it is saved only
    when ``save_incomplete`` says the worker chose to."""
    _in_scope(actor, plan)
    obj = PathwayPlanAction(plan=plan, **fields)
    problems = checks.action(obj)
    if problems:
        raise LeaverError(problems)
    missing = obj.missing
    if missing and not save_incomplete:
        raise IncompleteAction(missing)
    return save_record(actor=actor, obj=obj, request=request)


def record_review(*, actor, plan: PathwayPlan, held_on: dt.date, notes: str = "", young_person_took_part: bool = True,
                  request=None) -> PathwayPlanReview:
    _in_scope(actor, plan)
    return save_record(actor=actor, obj=PathwayPlanReview(plan=plan, held_on=held_on, notes=(notes or "").strip(),
                                                          young_person_took_part=young_person_took_part),
                       request=request)


@transaction.atomic
def allocate_adviser(*, actor, person, worker, team, start_date: dt.date, request=None):
    """Allocate a personal adviser (a ``people.Allocation`` with role ``personal_adviser``); the
    previous adviser's allocation ends the day before."""
    from haven.people.models import Allocation

    _in_scope(actor, person)
    problems = []
    if start_date is None:
        problems.append(("start_date", "Enter the date the allocation starts"))
    elif start_date > timezone.localdate() + dt.timedelta(days=31):
        problems.append(("start_date", "The allocation must start within the next month"))
    if worker is None:
        problems.append(("worker", "Select the personal adviser"))
    if problems:
        raise LeaverError(problems)
    current = list(Allocation.objects.current().filter(person=person, role=Allocation.Role.PERSONAL_ADVISER))
    for old in current:
        if old.worker_id == worker.pk:
            raise LeaverError([("worker", f"{worker.get_full_name() or worker} is already the personal adviser")])
    for old in current:
        if old.start_date >= start_date:
            raise LeaverError([("start_date", f"The allocation must start after the current one ({checks.day(old.start_date)})")])
        old.end_date = start_date - dt.timedelta(days=1)
        old.version += 1
        old.updated_by = actor
        old.save()
    alloc = Allocation(person=person, worker=worker, team=team, role=Allocation.Role.PERSONAL_ADVISER,
                       start_date=start_date, authority=person.authority, created_by=actor, updated_by=actor)
    alloc.save()
    record(request or actor, Action.CREATE, obj=alloc,
           summary=f"Personal adviser {worker.get_full_name() or worker} allocated to {person.full_name}")
    return alloc


def current_adviser(person):
    from haven.people.models import Allocation

    return (Allocation.objects.current().filter(person=person, role=Allocation.Role.PERSONAL_ADVISER)
            .select_related("worker", "team").order_by("-start_date").first())


def ensure_tracking(person) -> LeavingCareTracking | None:
    """Create, move or remove the person's ``LeavingCareTracking`` row from their care history:
    present when they were (or, if still looked after, will be) eligible before 18. Its
    ``assessment_clock_from`` (the later of the 16th birthday and the day they became eligible)
    starts the needs assessment clock."""
    if person is None or not person.date_of_birth:
        return None
    periods, breaks, _custody = history_of(person)
    existing = LeavingCareTracking.objects.filter(person=person).first()
    start = eligible_from(person.date_of_birth, periods, breaks) if periods else None
    if start is None:
        if existing is not None:
            existing.delete()
        return None
    sixteen = birthday(person.date_of_birth, 16)
    clock_from = max(sixteen, start)
    if existing is None:
        return LeavingCareTracking.objects.create(person=person, authority=person.authority, turned_16_on=sixteen,
                                                  became_eligible_on=start, assessment_clock_from=clock_from)
    if (existing.turned_16_on, existing.became_eligible_on, existing.assessment_clock_from) != (sixteen, start, clock_from):
        existing.turned_16_on, existing.became_eligible_on, existing.assessment_clock_from = sixteen, start, clock_from
        existing.version += 1
        existing.save()
    return existing


def ensure_tracking_all() -> int:
    """Run ``ensure_tracking`` for everyone with a period of care (after a bulk load, such as the
    seed, that bypassed the signals). Returns how many are tracked."""
    from haven.people.models import Person

    count = 0
    for person in Person.objects.filter(periods_of_care__isnull=False).distinct().iterator():
        count += ensure_tracking(person) is not None
    return count
