"""Fixtures for the education tests: looked-after children of our own in Westminster."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from haven.education.testing import looked_after


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def cla_child(world, today):
    """cla_child(born=…, start=…, end=None) -> a Westminster child looked after from ``start``."""
    from haven.core.testing import make_person

    def make(*, born=dt.date(2014, 3, 3), start=None, end=None, first="Edu"):
        child = make_person(world.westminster, first=first, last="Cation", born=born)
        looked_after(child, start or today - dt.timedelta(days=100), end)
        return child

    return make


def date_fields(name, value) -> dict:
    if value is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}
