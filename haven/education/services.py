"""Education use-cases shared by the pages and the API: the checks that refuse impossible data
(``problems``) and recording a school, PEP, attendance, exclusion or virtual school note
(``create``). The pages' forms run the same ``problems`` in ``clean()`` and save through the
generic record views (scope, version, audit); the API calls ``create``.

Refused: dates in the future (a school start may be up to a term ahead) or before birth; a PEP or
exclusion on a day the child was not looked after, attendance for a period with no day in care;
a URN that is not 6 digits; a school that overlaps another; a period that ends before it starts;
more sessions attended than possible; a suspension without its length (or longer than the 45
school days a pupil may be suspended in a year), a permanent exclusion with one; a school of
another child.

School history and virtual school notes are not limited to periods of care: schools attended
before care matter, and virtual schools also support previously looked-after children."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from haven.audit.log import Action, record

from .models import (
    Attendance,
    Exclusion,
    PersonalEducationPlan,
    SchoolPlacement,
    VirtualSchoolNote,
    day,
)

CAPABILITY = "education.record"
URN = re.compile(r"^\d{6}$")
MAX_SUSPENSION_SESSIONS = 90  # 45 school days: the most a pupil may be suspended in a school year (Education Act 2002, s.51A)


class Refused(Exception):
    """Impossible input. ``errors`` is ``[(field or None, message)]``."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(message for _field, message in self.errors))


def looked_after_on(person, on: dt.date) -> bool:
    from haven.looked_after.models import PeriodOfCare

    return PeriodOfCare.objects.filter(person=person).open_on(on).exists()


def looked_after_during(person, start: dt.date, end: dt.date) -> bool:
    from haven.looked_after.models import PeriodOfCare

    return PeriodOfCare.objects.filter(person=person, start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)).exists()


def date_problems(person, field: str, value, label: str, *, looked_after: bool = False, ahead: int = 0) -> list:
    """A date that must be given, not in the future (or more than ``ahead`` days ahead), not
    before birth, and (``looked_after``) a day the child was looked after."""
    if value is None:
        return [(field, f"Enter {label.lower()}")]
    if value > timezone.localdate() + dt.timedelta(days=ahead):
        if ahead:
            return [(field, f"{_cap(label)} must be no more than {ahead} days from today")]
        return [(field, f"{_cap(label)} must be today or in the past")]
    if person.date_of_birth and value < person.date_of_birth:
        return [(field, f"{_cap(label)} must be on or after {person.first_name}'s date of birth, "
                        f"{day(person.date_of_birth)}")]
    if looked_after and not looked_after_on(person, value):
        return [(field, f"{person.first_name} was not looked after on {day(value)}")]
    return []


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _required(data, field, message) -> list:
    return [] if (data.get(field) or "").strip() else [(field, message)]


def _school_problems(person, data) -> list:
    school = data.get("school")
    if school is not None and school.person_id != person.pk:
        return [("school", f"Choose one of {person.first_name}'s schools")]
    return []


def school_problems(person, data, instance=None) -> list:
    start, end = data.get("start_date"), data.get("end_date")
    problems = _required(data, "school_name", "Enter the name of the school or setting")
    urn = (data.get("urn") or "").strip()
    if urn and not URN.match(urn):
        problems.append(("urn", "The URN must be 6 digits, like 100000"))
    dated = date_problems(person, "start_date", start, "the date the child started", ahead=120)
    problems += dated
    if end is not None:
        if end > timezone.localdate():
            problems.append(("end_date", "The date the child left must be today or in the past"))
        elif start and end < start:
            problems.append(("end_date", f"The date the child left must be on or after they started, {day(start)}"))
    if start and not dated and not any(f == "end_date" for f, _ in problems):
        others = SchoolPlacement.objects.filter(person=person).filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        if end is not None:
            others = others.filter(start_date__lte=end)
        if instance is not None and instance.pk:
            others = others.exclude(pk=instance.pk)
        other = others.order_by("start_date").first()
        if other is not None:
            until = f"to {day(other.end_date)}" if other.end_date else "with no date they left"
            problems.append(("start_date", f"This overlaps {other.school_name} (from {day(other.start_date)} {until}). "
                                           "Enter when the child left that school first"))
    return problems


def pep_problems(person, data, instance=None) -> list:
    problems = date_problems(person, "held_on", data.get("held_on"), "the date of the PEP meeting", looked_after=True)
    problems += _school_problems(person, data)
    problems += _required(data, "attendees", "Enter who took part")
    problems += _required(data, "targets", "Enter the targets agreed")
    return problems


def attendance_problems(person, data, instance=None) -> list:
    start, end = data.get("start_date"), data.get("end_date")
    possible, attended = data.get("sessions_possible"), data.get("sessions_attended")
    problems = date_problems(person, "start_date", start, "the start of the period")
    problems += date_problems(person, "end_date", end, "the end of the period")
    problems += _school_problems(person, data)
    if start and end and end < start:
        problems.append(("end_date", f"The end of the period must be on or after its start, {day(start)}"))
    elif start and end and not problems and not looked_after_during(person, start, end):
        problems.append(("start_date", f"{person.first_name} was not looked after between {day(start)} and {day(end)}"))
    if possible is None:
        problems.append(("sessions_possible", "Enter the number of sessions possible"))
    elif possible < 1:
        problems.append(("sessions_possible", "Sessions possible must be 1 or more"))
    if attended is None:
        problems.append(("sessions_attended", "Enter the number of sessions attended"))
    elif attended < 0:
        problems.append(("sessions_attended", "Sessions attended must be 0 or more"))
    elif possible and attended > possible:
        problems.append(("sessions_attended", f"Sessions attended must be no more than the {possible} possible"))
    return problems


def exclusion_problems(person, data, instance=None) -> list:
    kind, sessions = data.get("kind"), data.get("sessions")
    problems = []
    if kind not in Exclusion.Kind.values:
        problems.append(("kind", "Select suspension or permanent exclusion"))
    problems += date_problems(person, "start_date", data.get("start_date"), "the start date", looked_after=True)
    problems += _school_problems(person, data)
    problems += _required(data, "reason", "Enter the reason the school gave")
    if kind == Exclusion.Kind.SUSPENSION:
        if sessions is None:
            problems.append(("sessions", "Enter the length of the suspension in sessions (2 a day)"))
        elif sessions < 1 or sessions > MAX_SUSPENSION_SESSIONS:
            problems.append(("sessions", f"A suspension is from 1 to {MAX_SUSPENSION_SESSIONS} sessions (45 school days)"))
    elif kind == Exclusion.Kind.PERMANENT and sessions is not None:
        problems.append(("sessions", "A permanent exclusion has no length: leave it blank"))
    return problems


def note_problems(person, data, instance=None) -> list:
    problems = date_problems(person, "written_on", data.get("written_on"), "the date")
    problems += _required(data, "note", "Enter the note")
    problems += _required(data, "author", "Enter who wrote the note")
    return problems


CHECKS = {
    SchoolPlacement: school_problems,
    PersonalEducationPlan: pep_problems,
    Attendance: attendance_problems,
    Exclusion: exclusion_problems,
    VirtualSchoolNote: note_problems,
}


def problems(model, person, data, instance=None) -> list:
    """What is impossible about ``data`` (field values of ``model``) for ``person``."""
    if person.kind != person.Kind.CHILD:
        return [(None, f"{person.full_name} is not a child: education records here are for looked-after children")]
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
