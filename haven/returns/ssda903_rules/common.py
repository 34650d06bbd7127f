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


SHORT_BREAKS = frozenset({"V3", "V4"})


def in_year(episode: dict, start: dt.date, end: dt.date) -> bool:
    """An episode open at some time from ``start`` to ``end``."""
    decom, dec = date(episode["DECOM"]), date(episode["DEC"])
    return decom is not None and decom <= end and (dec is None or dec >= start)


def continuously_looked_after(episodes: Iterable[dict], start: dt.date, end: dt.date) -> set[str]:
    """The OC2 cohort (the DfE's definition as the validator applies it): children looked after
    continuously for at least 12 months at the year's end: looked after in the year, and no
    episode starts a period of care (RNE S) after its first day, none ends other than by a
    change of episode (REC X1) in it (so a child who ceased to be looked after on 31 March is
    not in it), and none in it is a short break (V3/V4). The rules and the OC2 table read this
    one definition."""

    def breaks(e: dict) -> bool:
        decom, dec = date(e["DECOM"]), date(e["DEC"])
        starts_care = e["RNE"] == "S" and decom is not None and decom > start
        leaves_care = dec is not None and dec <= end and e["REC"] != "X1"
        return starts_care or leaves_care or e["LS"] in SHORT_BREAKS

    out = set()
    for child, eps in by_child(episodes).items():
        during = [e for e in eps if in_year(e, start, end)]
        if during and not any(breaks(e) for e in during):
            out.add(child)
    return out
