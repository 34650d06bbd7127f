"""The returns' headline figures computed twice: from the files Haven wrote (the CIN census XML
and the SSDA903 CSVs, read back as the DfE would read them) and from the database directly.
They must agree: a difference means a child was dropped from, or invented in, a return.

    children_in_need_at_31_march     CIN census: children with an episode open at 31 March
    cp_plans_starting                CIN census: child protection plans that started in the year
    looked_after_at_31_march         SSDA903: children whose episode is open at 31 March
    placements_starting              SSDA903: placements that started in the year (episodes
                                     starting in the year whose reason for new episode is a new
                                     placement: S, P, T, B or U)

The Returns page shows both columns; the tests check them on the seeded authorities.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.db.models import Q
from lxml import etree

from .ssda903 import year_bounds

FIGURES = {
    "children_in_need_at_31_march": "Children in need at 31 March",
    "cp_plans_starting": "Child protection plans starting in the year",
    "looked_after_at_31_march": "Children looked after at 31 March",
    "placements_starting": "Placements starting in the year",
}
NEW_PLACEMENT = {"S", "P", "T", "B", "U"}


def _iso(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _dmy(text: str) -> dt.date | None:
    return dt.datetime.strptime(text, "%d/%m/%Y").date() if text else None


def from_files(cin_xml: Path, ssda903_dir: Path, year: int) -> dict[str, int]:
    return {**from_cin_xml(cin_xml, year), **from_ssda903_files(ssda903_dir, year)}


def from_cin_xml(cin_xml: Path, year: int) -> dict[str, int]:
    start, end = year_bounds(year)
    tree = etree.parse(str(cin_xml))
    in_need, cp_starting = set(), 0
    for child in tree.iter("Child"):
        child_id = child.findtext("ChildIdentifiers/LAchildID")
        for details in child.iter("CINdetails"):
            referral = _iso(details.findtext("CINreferralDate"))
            closure = _iso(details.findtext("CINclosureDate"))
            if referral and referral <= end and (closure is None or closure > end):
                in_need.add(child_id)
            for plan in details.iter("ChildProtectionPlans"):
                started = _iso(plan.findtext("CPPstartDate"))
                if started and start <= started <= end:
                    cp_starting += 1
    return {"children_in_need_at_31_march": len(in_need), "cp_plans_starting": cp_starting}


def from_ssda903_files(ssda903_dir: Path, year: int) -> dict[str, int]:
    start, end = year_bounds(year)
    with (ssda903_dir / "episodes.csv").open(newline="", encoding="utf-8") as f:
        episodes = list(csv.DictReader(f))
    looked_after = {e["CHILD"] for e in episodes if not e["DEC"] and _dmy(e["DECOM"]) <= end}
    placements = sum(1 for e in episodes if e["RNE"] in NEW_PLACEMENT and start <= _dmy(e["DECOM"]) <= end)
    return {"looked_after_at_31_march": len(looked_after), "placements_starting": placements}


def from_database(authority, year: int) -> dict[str, int]:
    from haven.assessments.models import CINEpisode
    from haven.looked_after.models import PeriodOfCare, Placement
    from haven.plans.models import Plan

    start, end = year_bounds(year)
    in_need = CINEpisode.objects.filter(authority=authority).open_at_end_of(end).values("person_id").distinct().count()
    cp_starting = Plan.objects.filter(authority=authority, kind="cp", start_date__range=(start, end)).count()
    looked_after = (PeriodOfCare.objects.filter(authority=authority, start_date__lte=end)
                    .filter(Q(end_date__isnull=True) | Q(end_date__gt=end))
                    .values("person_id").distinct().count())
    placements = Placement.objects.filter(authority=authority, start_date__range=(start, end)).count()
    return {"children_in_need_at_31_march": in_need, "cp_plans_starting": cp_starting,
            "looked_after_at_31_march": looked_after, "placements_starting": placements}
