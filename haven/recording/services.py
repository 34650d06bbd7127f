"""Family-level recording: a visit, meeting, phone call or case note is recorded once, linked to
each person it concerns, with parts that can be kept off a particular child's record.

``record_family_event`` is the one way to create one (the page and the API both call it): one
transaction, keyword-only arguments with a required ``actor``, ``RecordingError`` when the input
is impossible. Saving the subjects recomputes each child's clocks (a CP visit with the child seen
meets the plan's ``cp_visit_10wd`` clock) through ``haven.work.signals``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from haven.audit.log import Action, record

from .models import Recording, RecordingPart, RecordingSubject

VISITS = {Recording.Kind.HOME_VISIT, Recording.Kind.CP_VISIT, Recording.Kind.CIN_VISIT, Recording.Kind.CLA_VISIT}


class RecordingError(Exception):
    """Impossible input. ``errors`` is ``[(field or None, message)]``."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(message for _field, message in self.errors))


@dataclass
class Subject:
    person: object
    seen: bool = False
    seen_alone: bool = False


@dataclass
class Part:
    text: str
    hidden_from: Sequence = field(default_factory=list)


def family_of(person, user) -> list:
    """Who a recording started from ``person`` may concern: the person, their siblings (by
    relationship) and the members of their current households, limited to the user's scope.
    The person first, then children, then adults, by name."""
    from haven.people.models import HouseholdMember, Person, Relationship

    siblings = {"sibling", "half_sibling", "step_sibling"}
    ids = {person.pk}
    for r in Relationship.objects.involving(person).current().filter(type__in=siblings):
        ids.add(r.other_id if r.person_id == person.pk else r.person_id)
    households = HouseholdMember.objects.current().filter(person=person).values("household_id")
    ids |= set(HouseholdMember.objects.current().filter(household_id__in=households).values_list("person_id", flat=True))
    people = list(Person.objects.visible_to(user, "change").filter(pk__in=ids, date_of_death__isnull=True)
                  | Person.objects.visible_to(user, "change").filter(pk=person.pk))
    people.sort(key=lambda p: (p.pk != person.pk, p.kind != "child", p.last_name, p.first_name))
    return people


def _check(*, actor, kind, occurred_at, title, subjects: list[Subject], parts: list[Part]):
    from haven.people.models import Person

    problems = []
    if kind not in Recording.Kind.values:
        problems.append(("kind", "Select what it was"))
    if occurred_at is None:
        problems.append(("date", "Enter the date"))
    elif occurred_at > timezone.now():
        problems.append(("date", "The date and time must be now or in the past"))
    if not (title or "").strip():
        problems.append(("title", "Enter a title"))
    if not subjects:
        problems.append(("subjects", "Select who it concerns"))
    people = {s.person.pk for s in subjects}
    allowed = set(Person.objects.visible_to(actor, "change").filter(pk__in=people).values_list("pk", flat=True))
    for s in subjects:
        if s.person.pk not in allowed:
            problems.append(("subjects", f"You cannot record on the record of person {s.person.pk}"))
        if (s.seen or s.seen_alone) and kind not in VISITS:
            problems.append(("seen", "Seen and seen alone are recorded for visits only"))
            break
        if (s.seen or s.seen_alone) and occurred_at is not None and s.person.date_of_birth \
                and timezone.localtime(occurred_at).date() < s.person.date_of_birth:
            problems.append(("seen", f"{s.person.first_name} was not born on that date, so cannot have been seen"))
    if not any((p.text or "").strip() for p in parts):
        problems.append(("parts", "Enter what happened"))
    names = {s.person.pk: s.person.first_name for s in subjects}
    for n, p in enumerate(parts, start=1):
        if not (p.text or "").strip():
            if p.hidden_from:
                problems.append(("parts", f"Part {n} is empty: enter its text or untick who it is not shown to"))
            continue
        hidden = {h.pk for h in p.hidden_from}
        if hidden - people:
            problems.append(("parts", f"Part {n} is kept off the record of someone it does not concern: "
                                      "select them under 'Who it concerns', or untick them"))
        elif people and hidden >= people:
            problems.append(("parts", f"Part {n} is not shown on anyone's record. It must be shown on at least one "
                                      f"of {', '.join(sorted(names.values()))}'s records"))
    return problems


@transaction.atomic
def record_family_event(*, actor, kind: str, occurred_at: dt.datetime, title: str, subjects: Iterable[Subject],
                        parts: Iterable[Part], significant: bool = False, authority=None,
                        request=None) -> Recording:
    """Record a visit, meeting, phone call or case note once for everyone it concerns."""
    unique: dict[int, Subject] = {}
    for s in subjects:
        if s.seen_alone:
            s.seen = True  # seen alone is a way of being seen
        unique.setdefault(s.person.pk, s)
    subjects = list(unique.values())
    parts = list(parts)
    problems = _check(actor=actor, kind=kind, occurred_at=occurred_at, title=title, subjects=subjects, parts=parts)
    if problems:
        raise RecordingError(problems)
    recording = Recording(kind=kind, occurred_at=occurred_at, title=title.strip(), significant=significant,
                          authority=authority or subjects[0].person.authority, created_by=actor, updated_by=actor)
    recording.save()
    for p in parts:
        if not (p.text or "").strip():
            continue
        part = RecordingPart(recording=recording, text=p.text.strip(), authority=recording.authority,
                             created_by=actor, updated_by=actor)
        part.save()
        if p.hidden_from:
            part.hidden_from.set([h.pk for h in p.hidden_from])
    for s in subjects:
        RecordingSubject(recording=recording, person=s.person, seen=s.seen and kind in VISITS,
                         seen_alone=s.seen_alone and kind in VISITS, authority=s.person.authority,
                         created_by=actor, updated_by=actor).save()
    record(request or actor, Action.CREATE, obj=recording,
           detail={"subjects": [s.person.pk for s in subjects], "parts": len([p for p in parts if p.text.strip()])})
    return recording


def visible_parts(recording: Recording, user, person=None):
    """[(part, [people it is hidden from, as the user may see them])] for a reader.

    As seen from ``person`` (one of the subjects): only the parts on that person's record.
    Otherwise the whole recording: every part shown on the record of at least one subject the
    user may see (a part kept off the only child in the user's scope stays hidden from them).
    """
    from haven.people.models import Person

    subject_ids = list(recording.subjects.values_list("person_id", flat=True))
    visible = set(Person.objects.visible_to(user).filter(pk__in=subject_ids).values_list("pk", flat=True))
    out = []
    for part in recording.parts.prefetch_related("hidden_from"):
        hidden = list(part.hidden_from.all())
        hidden_ids = {h.pk for h in hidden}
        if person is not None:
            if person.pk in hidden_ids:
                continue
        elif not (visible - hidden_ids):
            continue
        out.append((part, [h if h.pk in visible else None for h in hidden]))
    return out


def subjects_for(recording: Recording, user):
    """[(subject, person or None when outside the user's scope)]."""
    from haven.people.models import Person

    subjects = list(recording.subjects.select_related("person").order_by("person__kind", "person__last_name",
                                                                           "person__first_name"))
    visible = set(Person.objects.visible_to(user).filter(pk__in=[s.person_id for s in subjects])
                  .values_list("pk", flat=True))
    return [(s, s.person if s.person_id in visible else None) for s in subjects]


def recordings_about(person, user):
    """Recordings concerning ``person`` that the user may see, newest first."""
    return (Recording.objects.visible_to(user).filter(Q(subjects__person=person)).distinct()
            .order_by("-occurred_at"))
