"""Fixtures for the protection tests: a family of two siblings of our own in Westminster (so the
other modules' test-world records about Lily and Jack do not decide these tests), and helpers
that build the pages' POST data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone


@dataclass
class Family:
    older: object
    younger: object


@pytest.fixture
def family(world):
    from haven.core.testing import make_person
    from haven.people.models import Relationship

    older = make_person(world.westminster, first="Maisie", last="Test", born=dt.date(2014, 4, 4), sex="F")
    younger = make_person(world.westminster, first="Kai", last="Test", born=dt.date(2020, 8, 8), sex="M")
    Relationship.objects.create(person=older, other=younger, type="sibling", authority=world.westminster)
    return Family(older, younger)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def date_fields(name: str, day: dt.date | None) -> dict:
    if day is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def formset(prefix: str, rows: list[dict], *, initial: int = 0) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            if key == "due_date":
                data.update(date_fields(f"{prefix}-{i}-due_date", value))
            elif value is True:
                data[f"{prefix}-{i}-{key}"] = "on"
            elif value not in (False, None):
                data[f"{prefix}-{i}-{key}"] = value
    return data


EVERYONE = [
    {"name": "DS Rowe", "agency": "police", "role": "Detective sergeant", "attended": True},
    {"name": "Dr Patel", "agency": "health", "role": "Named doctor", "attended": True},
    {"name": "Ms Green", "agency": "education", "role": "Designated safeguarding lead", "attended": True},
    {"name": "Sam Social", "agency": "csc", "role": "Social worker", "attended": True},
]


def strategy_post(children, *, decisions=None, day: dt.date, time: str = "10:00", attendees=None, actions=None,
                  **extra) -> dict:
    decisions = decisions or {c.pk: "yes" for c in children}
    data = {"time": time, "children": [str(c.pk) for c in children], "summary": "Bruising seen at nursery",
            **date_fields("held_on", day)}
    for pk, decision in decisions.items():
        data[f"s47_{pk}"] = decision
    data.update(formset("attendees", EVERYONE if attendees is None else attendees))
    data.update(formset("actions", actions if actions is not None else [
        {"action": "Police check", "owner": "DS Rowe", "due_date": day + dt.timedelta(days=1)}]))
    data.update(extra)
    return data


def conference_post(children_forms: dict, *, day: dt.date, chair, parents: str = "yes", attendees=None) -> dict:
    """``children_forms``: {person_pk: {field: value}} (include is implied)."""
    data = {"chair": str(chair.pk), "parents_received_report": parents, "summary": "", **date_fields("held_on", day)}
    for pk, fields in children_forms.items():
        data[f"child-{pk}-include"] = "on"
        for key, value in fields.items():
            if value is True:
                data[f"child-{pk}-{key}"] = "on"
            elif value not in (False, None):
                data[f"child-{pk}-{key}"] = value
    data.update(formset("attendees", EVERYONE if attendees is None else attendees))
    return data
