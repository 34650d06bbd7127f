"""One test world per module (built inside a transaction rolled back at the end; each test runs
in a savepoint), a fresh child of our own per test, and helpers for the pages' POST data."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
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


@pytest.fixture
def kid(world):
    from haven.core.testing import make_person
    from haven.people.models import Address

    child = make_person(world.westminster, first="Sam", last="Placed", born=dt.date(2013, 5, 5), sex="M")
    Address.objects.create(person=child, authority=world.westminster, line_1="3 Test Mews", postcode="W2 4AB")
    return child


def date_fields(name: str, day: dt.date | None) -> dict:
    if day is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}
