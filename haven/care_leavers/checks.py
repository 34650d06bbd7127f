"""The rules a care leaver's records must keep, in one place: the forms show them as field
errors, the services (and so the API) refuse with them. Each check takes an unsaved (or
changed) instance and returns ``[(field or None, message)]``; empty means possible."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from .eligibility import birthday, day
from .models import (
    NO_SUITABILITY,
    Accommodation,
    Activity,
    Custody,
    LeaverContact,
    LeaverHealth,
    LeaverStatus,
    PathwayPlan,
    PathwayPlanAction,
    PathwayPlanReview,
    StayingPut,
)

Problems = list[tuple[str | None, str]]


def _name(person) -> str:
    return person.first_name or "The young person"


def _not_future(field: str, label: str, value) -> Problems:
    if value is not None and value > timezone.localdate():
        return [(field, f"{label} must be today or in the past")]
    return []


def _life(person, field: str, label: str, value) -> Problems:
    if value is None:
        return []
    if person.date_of_birth and value < person.date_of_birth:
        return [(field, f"{label} must be on or after {_name(person)}'s date of birth")]
    if person.date_of_death and value > person.date_of_death:
        return [(field, f"{label} must be on or before {_name(person)}'s date of death")]
    return []


def _from_16(person, field: str, label: str, value) -> Problems:
    if value is not None and person.date_of_birth and value < birthday(person.date_of_birth, 16):
        return [(field, f"{label} must be on or after {_name(person)}'s 16th birthday "
                        f"({day(birthday(person.date_of_birth, 16))}): this is recorded for care leavers")]
    return []


def _spell(obj, what: str) -> Problems:
    """A dated spell: a start, not in the future, an end on or after it, and no overlap with
    another spell of the same kind for the same person."""
    problems: Problems = []
    if obj.start_date is None:
        return [("start_date", "Enter the date it started")]
    problems += _not_future("start_date", "The start date", obj.start_date)
    problems += _not_future("end_date", "The end date", obj.end_date)
    if obj.end_date is not None and obj.end_date < obj.start_date:
        problems.append(("end_date", f"The end date must be on or after the start date ({day(obj.start_date)})"))
    problems += _life(obj.person, "start_date", "The start date", obj.start_date)
    if problems:
        return problems
    others = type(obj).objects.filter(person=obj.person).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=obj.start_date))
    if obj.end_date is not None:
        others = others.filter(start_date__lte=obj.end_date)
    if obj.pk:
        others = others.exclude(pk=obj.pk)
    other = others.order_by("start_date").first()
    if other is not None:
        until = f" to {day(other.end_date)}" if other.end_date else " (still current)"
        problems.append(("start_date", f"{_name(obj.person)} already has {what} from {day(other.start_date)}{until}. "
                                       "Give that one an end date first, or change these dates so they do not overlap"))
    return problems


def accommodation(obj: Accommodation) -> Problems:
    problems = _spell(obj, "accommodation recorded")
    problems += _from_16(obj.person, "start_date", "The start date", obj.start_date)
    if obj.kind in NO_SUITABILITY:
        if obj.suitable is not None:
            problems.append(("suitable", "Leave suitability blank when the young person has gone abroad or been deported"))
    elif obj.kind and obj.suitable is None:
        problems.append(("suitable", "Select whether the accommodation is suitable"))
    return problems


def activity(obj: Activity) -> Problems:
    return _spell(obj, "an activity recorded") + _from_16(obj.person, "start_date", "The start date", obj.start_date)


def custody(obj: Custody) -> Problems:
    problems = _spell(obj, "a custody spell recorded")
    if obj.expected_release_on and obj.start_date and obj.expected_release_on < obj.start_date:
        problems.append(("expected_release_on", "The expected release date must be on or after the start date"))
    if not (obj.establishment or "").strip():
        problems.append(("establishment", "Enter the establishment"))
    return problems


def staying_put(obj: StayingPut) -> Problems:
    problems = _spell(obj, "a staying put arrangement")
    person = obj.person
    if obj.start_date and person.date_of_birth and obj.start_date < birthday(person.date_of_birth, 18):
        problems.append(("start_date", f"Staying put starts on or after {_name(person)}'s 18th birthday "
                                       f"({day(birthday(person.date_of_birth, 18))}): before that they are looked after"))
    if not (obj.carer or "").strip():
        problems.append(("carer", "Enter the former foster carer"))
    return problems


def contact(obj: LeaverContact) -> Problems:
    problems: Problems = []
    if obj.contact_on is None:
        return [("contact_on", "Enter the date of contact")]
    problems += _not_future("contact_on", "The date of contact", obj.contact_on)
    problems += _life(obj.person, "contact_on", "The date of contact", obj.contact_on)
    if obj.seen and obj.method not in (LeaverContact.Method.IN_PERSON, LeaverContact.Method.VIDEO):
        problems.append(("seen", "A young person can be seen only in person or on a video call"))
    if obj.seen and obj.in_touch not in ("YES", ""):
        problems.append(("in_touch", "The young person was seen, so they are in touch: choose 'In touch'"))
    return problems


def health(obj: LeaverHealth) -> Problems:
    problems: Problems = []
    for field, label in (("final_assessment_on", "The final health assessment"),
                         ("history_given_on", "The date the health history was given")):
        value = getattr(obj, field)
        problems += _not_future(field, label, value)
        problems += _life(obj.person, field, label, value)
    return problems


def pathway_plan(obj: PathwayPlan, eligibility=None) -> Problems:
    problems: Problems = []
    person = obj.person
    for field, label in (("needs_assessment_completed_on", "The needs assessment date"),
                         ("plan_agreed_on", "The date the plan was agreed"),
                         ("end_date", "The end date")):
        problems += _not_future(field, label, getattr(obj, field))
        problems += _life(person, field, label, getattr(obj, field))
    if person.date_of_birth:
        fifteen = birthday(person.date_of_birth, 15)
        for field, label in (("needs_assessment_completed_on", "The needs assessment date"),
                             ("plan_agreed_on", "The date the plan was agreed")):
            value = getattr(obj, field)
            if value and value < fifteen:
                problems.append((field, f"{label} must be after {_name(person)}'s 15th birthday: pathway planning "
                                        "starts as they approach 16"))
    if obj.plan_agreed_on and obj.needs_assessment_completed_on and obj.plan_agreed_on < obj.needs_assessment_completed_on:
        problems.append(("plan_agreed_on", "The plan is agreed after the needs assessment: the date the plan was agreed "
                                           f"must be on or after {day(obj.needs_assessment_completed_on)}"))
    if obj.plan_agreed_on and not obj.needs_assessment_completed_on:
        problems.append(("needs_assessment_completed_on", "Enter the date the needs assessment was completed: a pathway "
                                                          "plan is written from it"))
    start = obj.plan_agreed_on or obj.needs_assessment_completed_on
    if obj.end_date and start and obj.end_date < start:
        problems.append(("end_date", f"The end date must be on or after {day(start)}"))
    if obj.end_date and not obj.end_reason:
        problems.append(("end_reason", "Select the reason the plan ended"))
    if obj.next_review_on and obj.plan_agreed_on and obj.next_review_on < obj.plan_agreed_on:
        problems.append(("next_review_on", "The next review must be after the plan was agreed"))
    if not obj.pk:
        other = PathwayPlan.objects.filter(person=person, end_date__isnull=True).first()
        if other is not None:
            problems.append((None, f"{_name(person)} already has a current pathway plan ({other}). Change it, or end it "
                                   "first"))
        if eligibility is not None and not eligibility_allows_plan(person, eligibility):
            problems.append((None, f"{_name(person)} is not a care leaver ({eligibility.label.lower()}): "
                                   "confirm their leaving care category first"))
    if obj.pk and obj.plan_agreed_on:
        first = obj.reviews.order_by("held_on").first()
        if first is not None and first.held_on < obj.plan_agreed_on:
            problems.append(("plan_agreed_on", f"The plan must be agreed on or before its first review ({day(first.held_on)})"))
    return problems


def eligibility_allows_plan(person, eligibility) -> bool:
    status = LeaverStatus.objects.filter(person=person).first()
    category = status.category if status else eligibility.category
    return category != "not_eligible"


def review(obj: PathwayPlanReview) -> Problems:
    plan = obj.plan
    if obj.held_on is None:
        return [("held_on", "Enter the date of the review")]
    problems = _not_future("held_on", "The date of the review", obj.held_on)
    if not plan.plan_agreed_on:
        problems.append((None, "Record the date the plan was agreed before recording a review"))
    elif obj.held_on < plan.plan_agreed_on:
        problems.append(("held_on", f"The date of the review must be on or after the plan was agreed ({day(plan.plan_agreed_on)})"))
    if plan.end_date and obj.held_on > plan.end_date:
        problems.append(("held_on", f"The date of the review must be on or before the plan ended ({day(plan.end_date)})"))
    return problems


def action(obj: PathwayPlanAction) -> Problems:
    problems: Problems = []
    if not (obj.action or "").strip():
        problems.append(("action", "Enter what will be done"))
    if obj.plan.end_date and not obj.pk:
        problems.append((None, f"This plan ended on {day(obj.plan.end_date)}: actions cannot be added to it"))
    start = obj.plan.plan_agreed_on or obj.plan.needs_assessment_completed_on
    if obj.due_date and start and obj.due_date < start:
        problems.append(("due_date", f"By when must be on or after the plan was agreed ({day(start)})"))
    return problems


def status(obj: LeaverStatus) -> Problems:
    if obj.category != obj.computed_category and not (obj.override_reason or "").strip():
        return [("override_reason", "The category differs from the one the care history gives: say why")]
    return []


def smart_missing(*, owner: str, measurable_outcome: str, due_date: dt.date | None) -> list[str]:
    return PathwayPlanAction(owner=(owner or "").strip(), measurable_outcome=(measurable_outcome or "").strip(),
                             due_date=due_date).missing


def join_missing(missing: list[str]) -> str:
    if len(missing) <= 1:
        return "".join(missing)
    return f"{', '.join(missing[:-1])} and {missing[-1]}"


def without(missing: list[str]) -> str:
    return f"Save without {join_missing(missing)}"


CHECKS = {
    Accommodation: accommodation, Activity: activity, Custody: custody, StayingPut: staying_put,
    LeaverContact: contact, LeaverHealth: health, PathwayPlanReview: review, PathwayPlanAction: action,
    LeaverStatus: status,
}
