"""SSDA903 Episodes rows for the children looked after return (used by the returns issue).

``episodes_for_return(authority, year_start, year_end)`` yields one dict per episode that was
open at any time in the collection year (DECOM on or before the year end, DEC blank or on or
after the year start), in the DfE's column names, dates as DD/MM/YYYY. CHILD is Haven's
person id (the returns module maps it to the local child id)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Q

from . import validation

COLUMNS = ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE",
           "HOME_POST", "PL_POST", "URN")


def _d(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def episodes_for_return(authority, year_start: dt.date, year_end: dt.date) -> Iterator[dict]:
    from .models import Episode

    people = (Episode.objects.filter(authority=authority, start_date__lte=year_end)
              .filter(Q(end_date__isnull=True) | Q(end_date__gte=year_start))
              .values_list("person_id", flat=True).distinct())
    people = sorted(set(people))
    rows_of = validation.rows_by_person(people)
    for pk in people:
        for row in rows_of.get(pk, []):
            if row.decom > year_end or (row.dec is not None and row.dec < year_start):
                continue
            row = validation.known_at(row, year_end)   # DEC/REC after the year end are not yet known
            yield {
                "CHILD": str(pk), "DECOM": _d(row.decom), "RNE": row.rne, "LS": row.ls, "CIN": row.cin,
                "PLACE": row.place, "PLACE_PROVIDER": row.place_provider, "DEC": _d(row.dec), "REC": row.rec,
                "REASON_PLACE_CHANGE": row.reason_place_change if row.dec else "",
                "HOME_POST": "" if row.ls in validation.RESPITE else row.home_post,
                "PL_POST": "" if row.ls in validation.RESPITE else row.pl_post, "URN": row.urn or "",
            }
