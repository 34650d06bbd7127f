"""Working days in England (haven.core.calendar): pure, no database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haven.core.calendar import (
    add_months,
    add_working_days,
    is_bank_holiday,
    is_working_day,
    working_days_between,
)

D = dt.date
days = st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 12, 31))


# -- bank holidays in England ------------------------------------------------------------------
@pytest.mark.parametrize("day", [
    D(2025, 1, 1),    # New Year's Day
    D(2025, 4, 18),   # Good Friday 2025
    D(2025, 4, 21),   # Easter Monday 2025
    D(2025, 5, 5),    # early May bank holiday
    D(2025, 5, 26),   # spring bank holiday
    D(2025, 8, 25),   # summer bank holiday
    D(2025, 12, 25),  # Christmas Day (Thursday)
    D(2025, 12, 26),  # Boxing Day (Friday)
    D(2026, 1, 1),
    D(2026, 4, 3),    # Good Friday 2026
    D(2026, 4, 6),    # Easter Monday 2026
    D(2026, 5, 4),
    D(2026, 5, 25),
    D(2026, 8, 31),
    D(2026, 12, 25),  # Friday
    D(2026, 12, 28),  # Boxing Day falls on a Saturday: substitute day Monday 28 December
    D(2027, 12, 27),  # Christmas Day on a Saturday: substitute Monday
    D(2027, 12, 28),  # Boxing Day on a Sunday: substitute Tuesday
])
def test_it_knows_england_bank_holidays(day):
    assert is_bank_holiday(day)
    assert not is_working_day(day)


@pytest.mark.parametrize("day", [
    D(2025, 4, 17),   # Maundy Thursday is a working day
    D(2025, 4, 22),
    D(2025, 12, 24),  # Christmas Eve is a working day
    D(2025, 12, 29),
    D(2025, 12, 31),
    D(2026, 1, 2),    # 2 January is a holiday in Scotland, not in England
    D(2026, 3, 17),   # St Patrick's Day: Northern Ireland only
    D(2026, 4, 2),
    D(2026, 4, 7),
    D(2026, 12, 24),
    D(2026, 12, 29),
])
def test_it_knows_ordinary_working_days(day):
    assert day.weekday() < 5
    assert not is_bank_holiday(day)
    assert is_working_day(day)


def test_the_substitute_day_is_a_bank_holiday_but_the_weekend_day_is_a_weekend_anyway():
    assert is_bank_holiday(D(2026, 12, 26))  # the day itself, a Saturday
    assert not is_working_day(D(2026, 12, 26))
    assert not is_working_day(D(2026, 12, 27))  # Sunday


@given(days)
def test_weekends_are_never_working_days(day):
    if day.weekday() >= 5:
        assert not is_working_day(day)


# -- adding working days -----------------------------------------------------------------------
@pytest.mark.parametrize(("start", "n", "expected"), [
    (D(2025, 6, 2), 1, D(2025, 6, 3)),      # Monday → Tuesday
    (D(2025, 6, 6), 1, D(2025, 6, 9)),      # Friday → Monday
    (D(2025, 6, 7), 1, D(2025, 6, 9)),      # Saturday → Monday
    (D(2025, 6, 8), 1, D(2025, 6, 9)),      # Sunday → Monday
    (D(2025, 6, 2), 5, D(2025, 6, 9)),      # one working week
    (D(2025, 6, 2), 10, D(2025, 6, 16)),
    # Christmas 2025: Wednesday 24th + 1 skips Thu 25, Fri 26, the weekend → Monday 29th
    (D(2025, 12, 24), 1, D(2025, 12, 29)),
    (D(2025, 12, 24), 3, D(2025, 12, 31)),
    (D(2025, 12, 24), 4, D(2026, 1, 2)),    # New Year's Day skipped
    # Christmas 2026: Thursday 24th + 1 skips Fri 25, the weekend, Mon 28 (substitute) → Tue 29th
    (D(2026, 12, 24), 1, D(2026, 12, 29)),
    # Easter 2025: Thursday 17 April + 1 skips Good Friday, the weekend, Easter Monday → Tue 22nd
    (D(2025, 4, 17), 1, D(2025, 4, 22)),
    # Easter 2026: Thursday 2 April + 15 working days (ICPC) = Monday 27 April
    (D(2026, 4, 2), 1, D(2026, 4, 7)),
    (D(2026, 4, 2), 15, D(2026, 4, 27)),
    # Early May and spring bank holidays
    (D(2025, 5, 2), 1, D(2025, 5, 6)),      # Friday before the early May bank holiday
    (D(2026, 5, 22), 1, D(2026, 5, 26)),    # Friday before the spring bank holiday
    (D(2025, 4, 30), 5, D(2025, 5, 8)),     # across 5 May
])
def test_it_adds_working_days(start, n, expected):
    assert add_working_days(start, n) == expected


def test_zero_working_days_is_the_day_itself_or_the_next_working_day():
    assert add_working_days(D(2025, 6, 4), 0) == D(2025, 6, 4)
    assert add_working_days(D(2025, 6, 7), 0) == D(2025, 6, 9)
    assert add_working_days(D(2025, 12, 25), 0) == D(2025, 12, 29)


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2025, 6, 4), -1)


@given(days, st.integers(min_value=1, max_value=80))
def test_adding_working_days_lands_on_a_working_day_after_the_start(start, n):
    due = add_working_days(start, n)
    assert due > start
    assert is_working_day(due)
    assert working_days_between(start, due) == n


@given(days, st.integers(min_value=2, max_value=60))
def test_adding_working_days_counts_one_working_day_at_a_time(start, n):
    assert add_working_days(start, n) == add_working_days(add_working_days(start, n - 1), 1)
    assert add_working_days(start, n + 1) > add_working_days(start, n)


@given(days, st.integers(min_value=1, max_value=60))
def test_n_working_days_take_at_least_n_calendar_days(start, n):
    assert (add_working_days(start, n) - start).days >= n


@given(days, days)
def test_working_days_between_counts_working_days_after_the_start(a, b):
    n = working_days_between(a, b)
    if b <= a:
        assert n == 0
    else:
        brute = sum(1 for i in range(1, (b - a).days + 1) if is_working_day(a + dt.timedelta(days=i)))
        assert n == brute


# -- months --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("start", "n", "expected"), [
    (D(2025, 1, 15), 3, D(2025, 4, 15)),
    (D(2025, 1, 31), 1, D(2025, 2, 28)),     # month end: the last day of February
    (D(2024, 1, 31), 1, D(2024, 2, 29)),     # leap year
    (D(2025, 3, 31), 6, D(2025, 9, 30)),
    (D(2025, 8, 31), 3, D(2025, 11, 30)),
    (D(2025, 11, 30), 3, D(2026, 2, 28)),
    (D(2025, 10, 15), 3, D(2026, 1, 15)),    # across the year end
    (D(2025, 12, 31), 12, D(2026, 12, 31)),
    (D(2024, 2, 29), 12, D(2025, 2, 28)),
    (D(2025, 5, 31), -3, D(2025, 2, 28)),
])
def test_it_adds_months(start, n, expected):
    assert add_months(start, n) == expected


@given(days, st.integers(min_value=0, max_value=120))
def test_adding_months_keeps_the_day_or_clamps_to_the_month_end(start, n):
    end = add_months(start, n)
    assert (end.year - start.year) * 12 + end.month - start.month == n
    if end.day != start.day:
        assert end.day < start.day
        assert (end + dt.timedelta(days=1)).day == 1  # clamped to the last day of the month
    assert end >= start


def test_the_collection_year_is_named_by_its_31_march():
    from haven.core.calendar import collection_year

    assert collection_year(dt.date(2025, 4, 1)) == 2026
    assert collection_year(dt.date(2026, 3, 31)) == 2026
    assert collection_year(dt.date(2026, 4, 1)) == 2027
    assert collection_year(dt.date(2026, 12, 7)) == 2027


def test_whole_months_between_two_days():
    from haven.core.calendar import months_between

    assert months_between(dt.date(2025, 1, 31), dt.date(2025, 2, 28)) == 1     # the month's end counts as a month
    assert months_between(dt.date(2025, 1, 15), dt.date(2026, 4, 14)) == 14
    assert months_between(dt.date(2025, 1, 15), dt.date(2026, 4, 15)) == 15
    assert months_between(dt.date(2025, 3, 1), dt.date(2025, 2, 1)) == 0
