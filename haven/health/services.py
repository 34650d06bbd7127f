"""Health use-cases shared by the pages and the API: the checks that refuse impossible data
(``problems``), and recording a health assessment, dental check, immunisations check or SDQ score
(``create``). The pages' forms run the same ``problems`` in ``clean()`` and save through the
generic record views (which check scope, version and audit); the API calls ``create``.

Refused: a date in the future or before the child was born; a health record for a day the child
was not looked after (a care leaver's final assessment needs a period of care that had started);
a second initial assessment in one period of care; a health history date on anything but a final
assessment, or before it; an SDQ score outside 0-40, a score and a reason together or neither;
a score (or SDQ2-SDQ5) for a child under 4 or aged 17 or over, who takes SDQ1, and SDQ1 for a
child aged 4 to 16 (SSDA903 rules 157, 188, 189, 197a)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from haven.audit.log import Action, record
from haven.core.codes.looked_after import SDQReason

from .models import DentalCheck, HealthAssessment, Immunisations, SDQScore, day

CAPABILITY = "health.record"


class Refused(Exception):
    """Impossible input. ``errors`` is ``[(field or None, message)]``."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(message for _field, message in self.errors))


# -- shared checks -----------------------------------------------------------------------------
def looked_after_on(person, on: dt.date) -> bool:
    from haven.looked_after.models import PeriodOfCare

    return PeriodOfCare.objects.filter(person=person).open_on(on).exists()


def period_on(person, on: dt.date):
    from haven.looked_after.models import PeriodOfCare

    return PeriodOfCare.objects.filter(person=person).open_on(on).order_by("-start_date").first()


def date_problems(person, field: str, value, label: str, *, looked_after: bool = True) -> list:
    """A date that must be given, not in the future, not before birth (nor after death), and
    (``looked_after``) a day the child was looked after."""
    if value is None:
        return [(field, f"Enter {label.lower()}")]
    if value > timezone.localdate():
        return [(field, f"{_cap(label)} must be today or in the past")]
    if person.date_of_birth and value < person.date_of_birth:
        return [(field, f"{_cap(label)} must be on or after {person.first_name}'s date of birth, "
                        f"{day(person.date_of_birth)}")]
    if person.date_of_death and value > person.date_of_death:
        return [(field, f"{_cap(label)} must be on or before {day(person.date_of_death)}")]
    if looked_after and not looked_after_on(person, value):
        return [(field, f"{person.first_name} was not looked after on {day(value)}: record health checks for "
                        "the time a child is looked after")]
    return []


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _required(data, field, message) -> list:
    return [] if (data.get(field) or "").strip() else [(field, message)]


# -- per record --------------------------------------------------------------------------------
def assessment_problems(person, data, instance=None) -> list:
    kind = data.get("kind")
    completed = data.get("completed_on")
    problems = []
    if kind not in HealthAssessment.Kind.values:
        problems.append(("kind", "Select the type of assessment"))
    problems += _required(data, "by_name", "Enter who completed the assessment")
    problems += _required(data, "outcome", "Enter the outcome of the assessment")
    final = kind == HealthAssessment.Kind.FINAL
    dated = date_problems(person, "completed_on", completed, "the date completed", looked_after=not final)
    problems += dated
    if completed and not dated and final:
        from haven.looked_after.models import PeriodOfCare

        if not PeriodOfCare.objects.filter(person=person, start_date__lte=completed).exists():
            problems.append(("completed_on", f"{person.first_name} had not been looked after by {day(completed)}: "
                                             "a final health assessment is for a young person leaving care"))
    if completed and not dated and kind == HealthAssessment.Kind.INITIAL:
        period = period_on(person, completed)
        others = HealthAssessment.objects.filter(person=person, kind=HealthAssessment.Kind.INITIAL,
                                                 completed_on__gte=period.start_date)
        if period.end_date:
            others = others.filter(completed_on__lte=period.end_date)
        if instance is not None and instance.pk:
            others = others.exclude(pk=instance.pk)
        first = others.order_by("completed_on").first()
        if first is not None:
            problems.append(("kind", f"{person.first_name} already had an initial health assessment in this period "
                                     f"of care, on {day(first.completed_on)}: record this one as a review"))
    given = data.get("health_history_given_on")
    if given is not None:
        if not final:
            problems.append(("health_history_given_on", "Only a final health assessment records the health history "
                                                        "given to the young person: leave it blank"))
        elif given > timezone.localdate():
            problems.append(("health_history_given_on", "The date the health history was given must be today or in "
                                                        "the past"))
        elif completed and given < completed:
            problems.append(("health_history_given_on", "The health history is written from the final assessment: "
                                                        f"it cannot be given before {day(completed)}"))
    return problems


def dental_problems(person, data, instance=None) -> list:
    return date_problems(person, "checked_on", data.get("checked_on"), "the date of the check")


def immunisations_problems(person, data, instance=None) -> list:
    problems = date_problems(person, "recorded_on", data.get("recorded_on"), "the date checked")
    if not data.get("up_to_date") and not (data.get("notes") or "").strip():
        problems.append(("notes", "Say which immunisations are missing and what is planned"))
    return problems


def sdq_problems(person, data, instance=None) -> list:
    completed = data.get("completed_on")
    score, reason = data.get("score"), data.get("reason") or ""
    problems = date_problems(person, "completed_on", completed, "the date completed")
    if reason and reason not in SDQReason.values:
        problems.append(("reason", "Select a reason from the list (SDQ1 to SDQ5)"))
    if score is not None and (score < 0 or score > 40):
        problems.append(("score", "The score must be a whole number from 0 to 40"))
    if score is not None and reason:
        problems.append(("reason", "Enter a score or a reason there is no score, not both"))
    elif score is None and not reason:
        problems.append(("score", "Enter the score, or select the reason there is no score"))
    age = person.age_on(completed) if completed else None
    if age is not None and not problems:
        out_of_range = age < 4 or age >= 17
        if out_of_range and reason != SDQReason.SDQ1:
            problems.append(("reason", f"{person.first_name} was {age} on {day(completed)}: an SDQ is for children "
                                       "aged 4 to 16. Select SDQ1 instead of a score"))
        elif not out_of_range and reason == SDQReason.SDQ1:
            problems.append(("reason", f"{person.first_name} was {age} on {day(completed)}: SDQ1 is only for a child "
                                       "under 4 or aged 17 or over"))
    return problems


CHECKS = {
    HealthAssessment: assessment_problems,
    DentalCheck: dental_problems,
    Immunisations: immunisations_problems,
    SDQScore: sdq_problems,
}


def problems(model, person, data, instance=None) -> list:
    """What is impossible about ``data`` (field values of ``model``) for ``person``."""
    if person.kind != person.Kind.CHILD:
        return [(None, f"{person.full_name} is not a child: health records here are for looked-after children")]
    return CHECKS[model](person, data, instance)


def _in_scope(actor, obj) -> None:
    if not actor.has_capability(CAPABILITY):
        raise PermissionDenied(f"You need the '{CAPABILITY}' capability")
    if not type(obj).objects.visible_to(actor, "change").filter(pk=obj.pk).exists():
        raise PermissionDenied("The record is outside your scope")


@transaction.atomic
def create(model, *, actor, person, data: dict, request=None):
    """Record a ``model`` row for ``person`` from ``data`` (its field values), or raise Refused."""
    _in_scope(actor, person)
    found = problems(model, person, data)
    if found:
        raise Refused(found)
    fields = {f.name for f in model._meta.get_fields()}
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if k in fields}
    obj = model(person=person, authority=person.authority, created_by=actor, updated_by=actor, **values)
    obj.save()
    record(request or actor, Action.CREATE, obj=obj, summary=f"{obj} for {person.full_name}")
    return obj
