"""Fixtures for the care leaver tests: young people of our own, and helpers for POST data."""

from __future__ import annotations

import datetime as dt

import pytest

D = dt.date


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """One world per module (it is large), inside a transaction rolled back at the end; each
    test runs in a savepoint (``db``)."""
    from django.db import transaction

    from haven.core.testing import World

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield World.build()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(module_world, db):
    return module_world


def date_fields(name: str, day: dt.date | None) -> dict:
    if day is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def make_care(person, start, end=None, *, legal_status="C2", breaks=()):
    """A period of care with one placement and episodes (``breaks``: (start, end) V3 episodes
    inside it, the rest C2), created row by row so that the signals run."""
    from haven.looked_after.models import Episode, PeriodOfCare, Placement

    period = PeriodOfCare.objects.create(person=person, authority=person.authority, start_date=start, end_date=end,
                                         end_reason="E8" if end else "")
    placement = Placement.objects.create(period=period, person=person, authority=person.authority, start_date=start,
                                         end_date=end, place="U4", provider_code="PR1")
    for b0, b1 in breaks:
        Episode.objects.create(period=period, person=person, placement=placement, authority=person.authority,
                               start_date=b0, end_date=b1, reason_new="S", legal_status="V3", category_of_need="N1")
    if not breaks:
        Episode.objects.create(period=period, person=person, placement=placement, authority=person.authority,
                               start_date=start, end_date=end, reason_new="S", legal_status=legal_status,
                               category_of_need="N1")
    return period


@pytest.fixture
def teen(world):
    """Born 10 March 2008: 16 on 10 March 2024, 18 on 10 March 2026."""
    from haven.core.testing import make_person

    return make_person(world.westminster, first="Tia", last="Leaver", born=D(2008, 3, 10), sex="F")


@pytest.fixture
def young(world):
    """A care leaver aged 19 today, looked after from 14 to 18, in Westminster, no other records."""
    from django.utils import timezone

    from haven.care_leavers.eligibility import birthday
    from haven.core.testing import make_person

    born = timezone.localdate() - dt.timedelta(days=19 * 365 + 40)
    person = make_person(world.westminster, first="Sam", last="Leaver", born=born, sex="M")
    make_care(person, birthday(born, 14) + dt.timedelta(days=5), birthday(born, 18))
    return person
