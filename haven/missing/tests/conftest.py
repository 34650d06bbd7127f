"""Fixtures for the missing tests: a child of our own in Westminster (so the test world's other
records do not decide these tests), a Hammersmith team manager (charlie, a social worker, has no
``missing.report``), and helpers for the pages' POST data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def moment(name: str, value: dt.datetime | None) -> dict:
    if value is None:
        return {f"{name}_date_0": "", f"{name}_date_1": "", f"{name}_date_2": "", f"{name}_time": ""}
    local = timezone.localtime(value)
    return {f"{name}_date_0": str(local.day), f"{name}_date_1": str(local.month), f"{name}_date_2": str(local.year),
            f"{name}_time": f"{local:%H:%M}"}


def date_fields(name: str, day: dt.date | None) -> dict:
    if day is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@pytest.fixture
def child(world):
    from haven.core.testing import make_person

    return make_person(world.westminster, first="Skye", last="Test", born=dt.date(2011, 4, 4), sex="F")


@pytest.fixture
def hf_child(world):
    from haven.core.testing import make_person

    return make_person(world.hammersmith, first="Zane", last="Test", born=dt.date(2012, 2, 2), sex="M")


@pytest.fixture
def hf_manager(world):
    from haven.accounts.roles import Role
    from haven.core.testing import make_user

    return make_user("harriet", role=Role.TEAM_MANAGER, team=world.hf_team, first="Harriet")


def looked_after(child, start: dt.date, end: dt.date | None = None):
    """A period of care with one placement (created directly: the looked-after services belong to
    another module)."""
    from haven.looked_after.models import PeriodOfCare, Placement

    period = PeriodOfCare.objects.create(person=child, authority=child.authority, start_date=start, end_date=end)
    placement = Placement.objects.create(period=period, person=child, authority=child.authority, start_date=start,
                                         end_date=end, place="U1", provider_code="PR1", carer="Ms Carer")
    return period, placement
