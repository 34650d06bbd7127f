"""Fixtures for the permanence tests: looked-after children of our own in Westminster (so the
other modules' test-world records do not decide these tests), and POST-data helpers."""

from __future__ import annotations

import datetime as dt

import pytest

D = dt.date


@pytest.fixture
def child(world):
    """Mia, born 2021, looked after from 9 January 2023 (period open)."""
    from haven.core.testing import make_person
    from haven.permanence.testing import looked_after

    mia = make_person(world.westminster, first="Mia", last="Tester", born=D(2021, 5, 5), sex="F")
    looked_after(mia, D(2023, 1, 9))
    return mia


def date_fields(name: str, day: dt.date | None) -> dict:
    if day is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}
