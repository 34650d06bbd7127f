"""Dated facts the people module holds, for the chronology."""

from __future__ import annotations

from haven.chronology.registry import Entry, chronology_source

from .models import Address, HouseholdMember


@chronology_source("life_event", "Life events", significant=True)
def life_events(person, user):
    if person.date_of_birth:
        yield Entry(date=person.date_of_birth, title="Born")
    elif person.expected_date_of_birth:
        yield Entry(date=person.expected_date_of_birth, title="Expected date of birth")
    if person.date_of_death:
        yield Entry(date=person.date_of_death, title="Died")


@chronology_source("address", "Addresses")
def addresses(person, user):
    for a in Address.objects.visible_to(user).filter(person=person):
        if a.start_date:
            yield Entry(date=a.start_date, title="Moved to address", detail=str(a), url=a.get_absolute_url())
        if a.end_date:
            yield Entry(date=a.end_date, title="Left address", detail=str(a), url=a.get_absolute_url())


@chronology_source("household", "Households")
def households(person, user):
    rows = HouseholdMember.objects.visible_to(user).filter(person=person).select_related("household")
    for m in rows:
        if m.start_date:
            yield Entry(date=m.start_date, title=f"Joined household {m.household}", url=m.get_absolute_url())
        if m.end_date:
            yield Entry(date=m.end_date, title=f"Left household {m.household}", url=m.get_absolute_url())


@chronology_source("relationship", "Relationships")
def relationships(person, user):
    from .services import relationships_for

    for label, other, r in relationships_for(person, user):
        other = other if other is not None else "a restricted record"
        if r.start_date:
            yield Entry(date=r.start_date, title=f"{label}: {other}", detail="Relationship began")
        if r.end_date:
            yield Entry(date=r.end_date, title=f"{label}: {other}", detail="Relationship ended")
