"""What the SSDA903 rules share: reading the CSV values (dates DD/MM/YYYY, blanks) and grouping a
table's rows by child."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache

DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")


def date(value: str | None) -> dt.date | None:
    """A DD/MM/YYYY date, or None when blank or not a valid date."""
    return _date((value or "").strip())


@lru_cache(maxsize=65536)
def _date(value: str) -> dt.date | None:
    """(Cached: the rules read the same few thousand dates a hundred thousand times a return.)"""
    if not DATE.match(value):
        return None
    day, month, year = value.split("/")
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def blank(value: str | None) -> bool:
    return not (value or "").strip()


def invalid_date(value: str | None) -> bool:
    """Completed, but not a valid DD/MM/YYYY date."""
    return not blank(value) and date(value) is None


def by_child(rows: Iterable[dict], order: str = "") -> dict[str, list[dict]]:
    """Rows per child, in date order of column ``order`` when given (undated rows first)."""
    out: dict[str, list[dict]] = {}
    for row in rows:
        out.setdefault(row["CHILD"], []).append(row)
    if order:
        for group in out.values():
            group.sort(key=lambda r: date(r[order]) or dt.date.min)
    return out
