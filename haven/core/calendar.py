"""Working days in England (pure): weekends and England and Wales bank holidays, from the
``holidays`` package (subdivision ENG), are not working days.

Counting convention (Working Together 2023 and DfE timeliness measures): "within N working days
of X" means on or before the Nth working day after X; the day of X itself is day 0.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[year]).keys())


def is_bank_holiday(day: dt.date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start`` (``days`` >= 0; 0 gives ``start`` itself, or
    the next working day if ``start`` is not one)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    day = start
    if days == 0:
        while not is_working_day(day):
            day += dt.timedelta(days=1)
        return day
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days after ``start`` ``end`` falls (0 if on or before ``start``)."""
    if end <= start:
        return 0
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def birthday(born: dt.date, years: int) -> dt.date:
    """The day a person born on ``born`` turns ``years`` (29 February → 1 March)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return dt.date(born.year + years, 3, 1)


def age_on(born: dt.date, on: dt.date) -> int:
    """Age in whole years on ``on``."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def add_months(start: dt.date, months: int) -> dt.date:
    """Calendar months; the 31st becomes the last day of a shorter month."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, _calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def collection_year(day: dt.date) -> int:
    """The collection (financial) year ``day`` falls in, named by its 31 March: 1 April 2025
    to 31 March 2026 is 2026, as the DfE's returns name it."""
    return day.year + 1 if day.month >= 4 else day.year


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end`` (the most ``n`` with
    ``add_months(start, n) <= end``; 0 when ``end`` is before a month has passed)."""
    n = max(0, (end.year - start.year) * 12 + end.month - start.month)
    while n > 0 and add_months(start, n) > end:
        n -= 1
    return n
