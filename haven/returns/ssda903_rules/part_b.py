"""SSDA903 rules over the episodes (beyond the episode checks), adoption, previous permanence and social worker tables.

Also: the DfE's internal checks between the tables (INT01-INT36, EPI), the header's motherhood
items, the missing table against the episodes and last year's return, and the code lists of the
episodes and adoption tables. Each rule reads the return's rows (strings, dates DD/MM/YYYY)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from haven.core.calendar import birthday
from haven.core.codes.looked_after import (
    ADOPTED,
    CategoryOfNeed,
    LegalStatus,
    PlacementProvider,
    PlacementType,
    ReasonEpisodeCeased,
    ReasonNewEpisode,
    ReasonPlaceChange,
)
from haven.returns.rules import Hit
from haven.returns.ssda903 import year_bounds

from .common import SHORT_BREAKS, continuously_looked_after
from .common import by_child as _by_child
from .common import date as _date
from .common import invalid_date as _invalid_date
from .registry import SSDA903_2027 as R

NO_PROVIDER_PLACEMENTS = {"T0", "T1", "T2", "T3", "T4", "Z1"}
ADOPTION_ITEMS = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")
CARE_LEAVER_ITEMS = ("IN_TOUCH", "ACTIV", "ACCOM")
DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")


# -- helpers ----------------------------------------------------------------------------------
def _headers(ret) -> dict[str, dict]:
    """The header row of each child (the first, if the child is there twice: INT32)."""
    out: dict[str, dict] = {}
    for r in ret.rows("header"):
        out.setdefault(r["CHILD"], r)
    return out


def _dob(row: dict, header: dict | None) -> dt.date | None:
    """The date of birth on the row, else the header's."""
    return _date(row.get("DOB", "")) or (_date(header["DOB"]) if header else None)


def _has_any(row: dict, items) -> bool:
    return any((row.get(item) or "").strip() for item in items)


def _episodes(ret) -> dict[str, list[dict]]:
    """Each child's episodes with a valid DECOM, in date order."""
    out = _by_child([r for r in ret.rows("episodes") if _date(r["DECOM"])])
    for rows in out.values():
        rows.sort(key=lambda r: _date(r["DECOM"]))
    return out


def _history(ret) -> dict[str, list[dict]]:
    """Each child's episodes in date order, with the episodes of last year's return (when there
    is one) that began before the child's first episode in this return: the DfE's portal holds
    earlier years, so a period or placement that began before this year is seen whole."""
    current = _episodes(ret)
    if ret.previous is None:
        return current
    out = {}
    for child, rows in _episodes(ret.previous).items():
        first = _date(current[child][0]["DECOM"]) if child in current else None
        out[child] = [r for r in rows if first is None or _date(r["DECOM"]) < first]
    for child, rows in current.items():
        out[child] = out.get(child, []) + rows
    return out


@dataclass
class Period:
    """A period of care as the return shows it: episodes that follow on from each other."""

    start: dt.date
    end: dt.date | None

    def holds(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def _periods(episodes: list[dict]) -> list[Period]:
    """A child's periods of care: a new one starts when an episode begins after the previous
    one ended (as the DfE validator groups them)."""
    periods: list[Period] = []
    for r in episodes:
        decom, dec = _date(r["DECOM"]), _date(r["DEC"])
        if periods and not (periods[-1].end is not None and decom > periods[-1].end):
            periods[-1].end = dec
        else:
            periods.append(Period(decom, dec))
    return periods


def _continuously_looked_after(ret) -> set[str]:
    return continuously_looked_after(ret.rows("episodes"), *year_bounds(ret.year))


def _adopted_in_year(ret) -> set[str]:
    start, end = year_bounds(ret.year)
    return {r["CHILD"] for r in ret.rows("episodes")
            if r["REC"] in ADOPTED and (d := _date(r["DEC"])) and start <= d <= end}


# -- missing or away from placement ------------------------------------------------------------
@R.rule("576", fields=("CHILD",))
def open_missing_period_carried_into_this_year(ret) -> Iterator[Hit]:
    """A missing period open at the end of last year's return must be in this year's return,
    with the same start date."""
    if ret.previous is None:
        return
    this_year = {(r["CHILD"], _date(r["MIS_START"])) for r in ret.rows("missing")}
    for r in ret.previous.rows("missing"):
        start = _date(r["MIS_START"])
        if start and not r["MIS_END"].strip() and (r["CHILD"], start) not in this_year:
            yield Hit(r["CHILD"], "CHILD", r["MIS_START"])


@R.rule("577", fields=("MIS_END",))
def missing_period_open_after_care_ended(ret) -> Iterator[Hit]:
    episodes = _history(ret)
    for r in ret.rows("missing"):
        start = _date(r["MIS_START"])
        if not start or r["MIS_END"].strip():
            continue
        period = next((p for p in _periods(episodes.get(r["CHILD"], [])) if p.holds(start)), None)
        if period is not None and period.end is not None:
            yield Hit(r["CHILD"], "MIS_END", r["MIS_START"])


def _outside_care(ret) -> Iterator[tuple[dict, dt.date, list[Period]]]:
    """Missing rows whose start is in none of the child's periods of care."""
    episodes = _history(ret)
    for r in ret.rows("missing"):
        start = _date(r["MIS_START"])
        if not start:
            continue
        periods = _periods(episodes.get(r["CHILD"], []))
        if not any(p.holds(start) for p in periods):
            yield r, start, periods


@R.rule("578", fields=("MIS_START",))
def missing_after_care_ended(ret) -> Iterator[Hit]:
    for r, start, periods in _outside_care(ret):
        if any(p.end is not None and p.end < start for p in periods):
            yield Hit(r["CHILD"], "MIS_START", r["MIS_START"])


@R.rule("581", fields=("MIS_START",))
def missing_before_care_started(ret) -> Iterator[Hit]:
    for r, start, periods in _outside_care(ret):
        if not any(p.end is not None and p.end < start for p in periods):
            yield Hit(r["CHILD"], "MIS_START", r["MIS_START"])


@R.rule("586", fields=("MIS_START",))
def missing_before_birth(ret) -> Iterator[Hit]:
    """As the DfE validator: a missing period starting on or before the date of birth."""
    headers = _headers(ret)
    for r in ret.rows("missing"):
        start, dob = _date(r["MIS_START"]), _dob(r, headers.get(r["CHILD"]))
        if start and dob and start <= dob:
            yield Hit(r["CHILD"], "MIS_START", r["MIS_START"])


# -- header: motherhood, UPN --------------------------------------------------------------------
@R.rule("602", fields=("CHILD",))
def adoption_data_without_adoption_in_year(ret) -> Iterator[Hit]:
    """AD1 is for children adopted in the year: an episode ending E11 or E12 in the year."""
    adopted = _adopted_in_year(ret)
    for r in ret.rows("ad1"):
        if r["CHILD"] not in adopted:
            yield Hit(r["CHILD"], "CHILD")


@R.rule("611", fields=("MOTHER", "MC_DOB"), needs=("MC_DOB",))
def mother_without_childs_date_of_birth(ret) -> Iterator[Hit]:
    for r in ret.rows("header"):
        if r["MOTHER"] == "1" and not r["MC_DOB"].strip():
            yield Hit(r["CHILD"], "MC_DOB")


@R.rule("612", fields=("MC_DOB", "MOTHER", "SEX"), needs=("MC_DOB",))
def childs_date_of_birth_but_not_a_mother(ret) -> Iterator[Hit]:
    for r in ret.rows("header"):
        if r["SEX"] == "2" and r["MOTHER"] in ("0", "") and r["MC_DOB"].strip():
            yield Hit(r["CHILD"], "MC_DOB")


@R.rule("620", fields=("DOB", "MOTHER"))
def mother_under_eleven(ret) -> Iterator[Hit]:
    """Under 11 at the start of the collection year (as the DfE validator)."""
    start, _ = year_bounds(ret.year)
    for r in ret.rows("header"):
        dob = _date(r["DOB"])
        if r["MOTHER"] == "1" and dob and birthday(dob, 11) > start:
            yield Hit(r["CHILD"], "MOTHER")


@R.rule("621", fields=("DOB", "MC_DOB"), needs=("MC_DOB",))
def mother_younger_than_her_child(ret) -> Iterator[Hit]:
    for r in ret.rows("header"):
        dob, mc_dob = _date(r["DOB"]), _date(r["MC_DOB"])
        if dob and mc_dob and mc_dob <= dob:
            yield Hit(r["CHILD"], "MC_DOB")


@R.rule("624", fields=("MC_DOB",), needs=("MC_DOB",))
def childs_date_of_birth_changed_since_last_year(ret) -> Iterator[Hit]:
    if ret.previous is None:
        return
    last = _headers(ret.previous)
    for r in ret.rows("header"):
        before = last.get(r["CHILD"])
        if before and before["MC_DOB"].strip() and r["MC_DOB"] != before["MC_DOB"]:
            yield Hit(r["CHILD"], "MC_DOB", before["MC_DOB"])


@R.rule("626", fields=("MC_DOB", "MOTHER"), needs=("MC_DOB",))
def mother_this_year_of_a_child_born_before_it_but_not_last_year(ret) -> Iterator[Hit]:
    if ret.previous is None:
        return
    start, _ = year_bounds(ret.year)
    last = _headers(ret.previous)
    for r in ret.rows("header"):
        before, mc_dob = last.get(r["CHILD"]), _date(r["MC_DOB"])
        if before and r["MOTHER"] == "1" and before["MOTHER"] == "0" and mc_dob and mc_dob < start:
            yield Hit(r["CHILD"], "MOTHER", r["MC_DOB"])


@R.rule("628", fields=("MOTHER",))
def mother_recorded_for_care_leaver_not_looked_after(ret) -> Iterator[Hit]:
    looked_after = {r["CHILD"] for r in ret.rows("episodes")}
    leavers = {r["CHILD"] for r in ret.rows("oc3") if _has_any(r, CARE_LEAVER_ITEMS)}
    for r in ret.rows("header"):
        if r["MOTHER"].strip() and r["CHILD"] in leavers and r["CHILD"] not in looked_after:
            yield Hit(r["CHILD"], "MOTHER")


@R.rule("165", fields=("MOTHER", "SEX", "DECOM", "ACCOM", "ACTIV", "IN_TOUCH"))
def mother_status_invalid(ret) -> Iterator[Hit]:
    """MOTHER, when given, is 0 or 1 and only for a girl; a girl looked after in the year
    (not only on short breaks) has it; a care leaver not looked after in the year does not."""
    start, end = year_bounds(ret.year)
    in_year = {r["CHILD"] for r in ret.rows("episodes")
               if r["LS"] not in SHORT_BREAKS and (decom := _date(r["DECOM"])) and decom <= end
               and ((dec := _date(r["DEC"])) is None or dec >= start)}
    leavers = {r["CHILD"] for r in ret.rows("oc3") if _has_any(r, CARE_LEAVER_ITEMS)}
    for r in ret.rows("header"):
        mother, sex, child = r["MOTHER"].strip(), r["SEX"], r["CHILD"]
        if ((mother and mother not in ("0", "1"))
                or (mother and sex == "1")
                or (not mother and sex == "2" and child in in_year)
                or (mother and sex == "2" and child not in in_year and child in leavers)):
            yield Hit(child, "MOTHER")


@R.rule("210", fields=("UPN", "DECOM"))
def un4_for_child_looked_after_over_a_week(ret) -> Iterator[Hit]:
    """UN4 (UPN not yet obtained) is for a child newly looked after: not for one looked after at
    31 March whose period of care began before 24 March. (The DfE's message is followed: the
    open validator, lac_validator, flags UN4 when an episode begins on or after 24 March, the
    other way round.)"""
    _, end = year_bounds(ret.year)
    week_before = end - dt.timedelta(days=7)
    episodes = _episodes(ret)
    for r in ret.rows("header"):
        if r["UPN"] != "UN4":
            continue
        periods = _periods(episodes.get(r["CHILD"], []))
        if any(p.end is None and p.start < week_before for p in periods):
            yield Hit(r["CHILD"], "UPN")


@R.rule("EPI", fields=("CHILD",))
def child_without_episodes_or_care_leaver_data(ret) -> Iterator[Hit]:
    known = {r["CHILD"] for r in ret.rows("episodes")} | {r["CHILD"] for r in ret.rows("oc3")}
    for child in _headers(ret):
        if child not in known:
            yield Hit(child, "CHILD")


# -- internal checks between the tables ----------------------------------------------------------
def _child_in_header(table: str):
    def check(ret) -> Iterator[Hit]:
        headers = _headers(ret)
        for child in dict.fromkeys(r["CHILD"] for r in ret.rows(table)):
            if child not in headers:
                yield Hit(child, "CHILD", table)

    check.__name__ = f"child_in_{table}_is_in_the_header"
    return check


def _same_as_header(table: str, item: str, parse=lambda v: v.strip() or None):
    def check(ret) -> Iterator[Hit]:
        headers = _headers(ret)
        for r in ret.rows(table):
            header = headers.get(r["CHILD"])
            ours, theirs = parse(r[item]), parse(header[item]) if header else None
            if ours is not None and theirs is not None and ours != theirs:
                yield Hit(r["CHILD"], item, f"{table} {r[item]}, header {header[item]}")

    check.__name__ = f"{item.lower()}_in_{table}_is_the_header_{item.lower()}"
    return check


def _once_only(table: str):
    def check(ret) -> Iterator[Hit]:
        counts: dict[str, int] = {}
        for r in ret.rows(table):
            counts[r["CHILD"]] = counts.get(r["CHILD"], 0) + 1
        for child, n in counts.items():
            if n > 1:
                yield Hit(child, "CHILD", f"{n} rows in {table}")

    check.__name__ = f"child_once_only_in_{table}"
    return check


for _code, _table in (("INT01", "ad1"), ("INT02", "placed_for_adoption"), ("INT03", "episodes"),
                      ("INT04", "missing"), ("INT05", "oc2"), ("INT06", "oc3"),
                      ("INT07", "previous_permanence"), ("INT08", "reviews"), ("INT09", "uasc")):
    R.rule(_code, fields=("CHILD",))(_child_in_header(_table))
for _code, _table in (("INT11", "ad1"), ("INT12", "placed_for_adoption"), ("INT13", "missing"),
                      ("INT14", "oc2"), ("INT15", "oc3"), ("INT16", "previous_permanence"),
                      ("INT17", "reviews"), ("INT18", "uasc")):
    R.rule(_code, fields=("DOB",))(_same_as_header(_table, "DOB", _date))
R.rule("INT21", fields=("SEX",))(_same_as_header("uasc", "SEX"))
for _code, _table in (("INT31", "ad1"), ("INT32", "header"), ("INT33", "oc2"), ("INT34", "oc3"),
                      ("INT35", "previous_permanence"), ("INT36", "uasc")):
    R.rule(_code, fields=("CHILD",))(_once_only(_table))


# -- valid dates and codes ----------------------------------------------------------------------
def _date_valid(code: str, table: str, item: str) -> None:
    def check(ret) -> Iterator[Hit]:
        for r in ret.rows(table):
            if _invalid_date(r[item]):
                yield Hit(r["CHILD"], item, r[item])

    check.__name__ = f"{item.lower()}_is_a_valid_date"
    R.rule(code, fields=(item,))(check)


def _code_valid(code: str, table: str, item: str, valid, needs=()) -> None:
    valid = frozenset(valid)

    def check(ret) -> Iterator[Hit]:
        for r in ret.rows(table):
            if r[item].strip() and r[item] not in valid:
                yield Hit(r["CHILD"], item, r[item])

    check.__name__ = f"{item.lower()}_is_a_valid_code"
    R.rule(code, fields=(item,), needs=needs)(check)


_date_valid("112", "ad1", "DATE_INT")
_date_valid("113", "ad1", "DATE_MATCH")
_date_valid("115", "placed_for_adoption", "DATE_PLACED")
_date_valid("116", "placed_for_adoption", "DATE_PLACED_CEASED")
_date_valid("141", "episodes", "DECOM")
_date_valid("147", "episodes", "DEC")

_code_valid("1009", "episodes", "REASON_PLACE_CHANGE", ReasonPlaceChange.values)
_code_valid("143", "episodes", "RNE", ReasonNewEpisode.values)
_code_valid("144", "episodes", "LS", LegalStatus.values)
_code_valid("145", "episodes", "CIN", CategoryOfNeed.values)
_code_valid("146", "episodes", "PLACE", PlacementType.values)
_code_valid("149", "episodes", "REC", ReasonEpisodeCeased.values)
# AD1 codes (DfE guidance): former foster carers 0/1, one or two adopters, their sex, their
# legal status.
_code_valid("114", "ad1", "FOSTER_CARE", ("0", "1"), needs=("FOSTER_CARE",))
_code_valid("175", "ad1", "NB_ADOPTR", ("1", "2"), needs=("NB_ADOPTR",))
_code_valid("176", "ad1", "SEX_ADOPTR", ("M1", "F1", "MM", "FF", "MF"), needs=("SEX_ADOPTR",))
_code_valid("177", "ad1", "LS_ADOPTR", ("L0", "L11", "L12", "L2", "L3", "L4"), needs=("LS_ADOPTR",))


@R.rule("120", fields=("REASON_PLACED_CEASED",))
def reason_placed_ceased_is_a_valid_code(ret) -> Iterator[Hit]:
    from haven.permanence.models import ReasonPlacedCeased

    for r in ret.rows("placed_for_adoption"):
        if r["REASON_PLACED_CEASED"].strip() and r["REASON_PLACED_CEASED"] not in ReasonPlacedCeased.values:
            yield Hit(r["CHILD"], "REASON_PLACED_CEASED", r["REASON_PLACED_CEASED"])


@R.rule("178", fields=("PLACE_PROVIDER",))
def placement_provider_is_valid_for_the_placement(ret) -> Iterator[Hit]:
    """A provider, when given, is PR0-PR5, and none is given for a temporary move (T0-T4) or
    other placement (Z1)."""
    for r in ret.rows("episodes"):
        provider = r["PLACE_PROVIDER"].strip()
        if provider and (provider not in PlacementProvider.values or r["PLACE"] in NO_PROVIDER_PLACEMENTS):
            yield Hit(r["CHILD"], "PLACE_PROVIDER", r["DECOM"])


# -- placed for adoption ------------------------------------------------------------------------
@R.rule("1003", fields=("DATE_PLACED", "DECOM", "RNE"))
def decision_to_place_before_care_started(ret) -> Iterator[Hit]:
    """DATE_PLACED before the DECOM of the child's first episode starting care (RNE S) on
    record."""
    first = {}
    for child, rows in _history(ret).items():
        starts = [r for r in rows if r["RNE"] == "S"]
        if starts:
            first[child] = _date(starts[0]["DECOM"])
    for r in ret.rows("placed_for_adoption"):
        placed = _date(r["DATE_PLACED"])
        if placed and r["CHILD"] in first and placed < first[r["CHILD"]]:
            yield Hit(r["CHILD"], "DATE_PLACED", r["DATE_PLACED"])


@R.rule("117", fields=("DATE_PLACED", "DATE_PLACED_CEASED", "DEC", "DECOM", "REC"))
def decision_to_place_after_year_or_care(ret) -> Iterator[Hit]:
    """DATE_PLACED and DATE_PLACED_CEASED are not after 31 March, nor after the DEC of the
    child's latest episode that does not continue into another (REC not X1)."""
    _, end = year_bounds(ret.year)
    latest = {}
    for child, rows in _history(ret).items():
        ending = [r for r in rows if r["REC"] != "X1"]
        if ending:
            latest[child] = _date(ending[-1]["DEC"])
    for r in ret.rows("placed_for_adoption"):
        dec = latest.get(r["CHILD"])
        for item in ("DATE_PLACED", "DATE_PLACED_CEASED"):
            day = _date(r[item])
            if day and (day > end or (dec is not None and day > dec)):
                yield Hit(r["CHILD"], item, r[item])
                break


@R.rule("118", fields=("DATE_PLACED_CEASED", "DECOM", "LS"))
def decision_reversed_before_year_or_care(ret) -> Iterator[Hit]:
    """DATE_PLACED_CEASED is not before 1 April, nor before the DECOM of the child's earliest
    episode that is not a short break (LS V3/V4)."""
    start, _ = year_bounds(ret.year)
    earliest = {}
    for child, rows in _history(ret).items():
        care = [r for r in rows if r["LS"] not in SHORT_BREAKS]
        if care:
            earliest[child] = _date(care[0]["DECOM"])
    for r in ret.rows("placed_for_adoption"):
        ceased = _date(r["DATE_PLACED_CEASED"])
        decom = earliest.get(r["CHILD"])
        if ceased and (ceased < start or (decom is not None and ceased < decom)):
            yield Hit(r["CHILD"], "DATE_PLACED_CEASED", r["DATE_PLACED_CEASED"])


@R.rule("119", fields=("DATE_PLACED_CEASED", "REASON_PLACED_CEASED"))
def decision_reversed_has_date_and_reason(ret) -> Iterator[Hit]:
    for r in ret.rows("placed_for_adoption"):
        has_date, has_reason = bool(r["DATE_PLACED_CEASED"].strip()), bool(r["REASON_PLACED_CEASED"].strip())
        if has_date != has_reason:
            yield Hit(r["CHILD"], "REASON_PLACED_CEASED" if has_date else "DATE_PLACED_CEASED", r["DATE_PLACED"])


@R.rule("184", fields=("DATE_PLACED", "DOB"))
def decision_to_place_before_birth(ret) -> Iterator[Hit]:
    headers = _headers(ret)
    for r in ret.rows("placed_for_adoption"):
        placed, dob = _date(r["DATE_PLACED"]), _dob(r, headers.get(r["CHILD"]))
        if placed and dob and placed < dob:
            yield Hit(r["CHILD"], "DATE_PLACED", r["DATE_PLACED"])


# -- adoptions (AD1) ----------------------------------------------------------------------------
@R.rule("134", fields=("ACCOM", "ACTIV", "IN_TOUCH", "DATE_INT", "DATE_MATCH"))
def adoption_and_care_leaver_data_together(ret) -> Iterator[Hit]:
    leavers = {r["CHILD"] for r in ret.rows("oc3") if _has_any(r, CARE_LEAVER_ITEMS)}
    for r in ret.rows("ad1"):
        if r["CHILD"] in leavers and _has_any(r, ADOPTION_ITEMS):
            yield Hit(r["CHILD"], "DATE_INT")


@R.rule("151", fields=ADOPTION_ITEMS, needs=("FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"))
def adoption_items_all_or_none(ret) -> Iterator[Hit]:
    for r in ret.rows("ad1"):
        filled = [bool(r[item].strip()) for item in ADOPTION_ITEMS]
        if any(filled) and not all(filled):
            yield Hit(r["CHILD"], ADOPTION_ITEMS[filled.index(False)])


@R.rule("187", fields=("ACCOM", "ACTIV", "IN_TOUCH", "DATE_INT", "DATE_MATCH"))
def oc2_cohort_with_adoption_or_care_leaver_data(ret) -> Iterator[Hit]:
    cohort = _continuously_looked_after(ret)
    for r in ret.rows("ad1"):
        if r["CHILD"] in cohort and _has_any(r, ADOPTION_ITEMS):
            yield Hit(r["CHILD"], "DATE_INT", "ad1")
    for r in ret.rows("oc3"):
        if r["CHILD"] in cohort and _has_any(r, CARE_LEAVER_ITEMS):
            yield Hit(r["CHILD"], "IN_TOUCH", "oc3")


@R.rule("331", fields=("DATE_MATCH", "DECOM", "REC"))
def matched_after_placed_for_adoption(ret) -> Iterator[Hit]:
    """DATE_MATCH is on or before the DECOM of the episode that ended in adoption (E11/E12)."""
    placed = {}
    for r in ret.rows("episodes"):
        if r["REC"] in ADOPTED and (decom := _date(r["DECOM"])):
            placed.setdefault(r["CHILD"], []).append(decom)
    for r in ret.rows("ad1"):
        match = _date(r["DATE_MATCH"])
        if match and any(match > decom for decom in placed.get(r["CHILD"], [])):
            yield Hit(r["CHILD"], "DATE_MATCH", r["DATE_MATCH"])


@R.rule("333", fields=("DATE_INT",))
def decision_to_place_after_matching(ret) -> Iterator[Hit]:
    for r in ret.rows("ad1"):
        match, decided = _date(r["DATE_MATCH"]), _date(r["DATE_INT"])
        if match and (not r["DATE_INT"].strip() or (decided and decided > match)):
            yield Hit(r["CHILD"], "DATE_INT", r["DATE_INT"])


@R.rule("334", fields=("DATE_INT", "DECOM", "RNE"))
def decision_to_place_before_latest_period_started(ret) -> Iterator[Hit]:
    """DATE_INT is not before the DECOM of the child's latest episode starting care (RNE S)."""
    latest = {}
    for child, rows in _history(ret).items():
        starts = [r for r in rows if r["RNE"] == "S"]
        if starts:
            latest[child] = _date(starts[-1]["DECOM"])
    for r in ret.rows("ad1"):
        decided = _date(r["DATE_INT"])
        if decided and r["CHILD"] in latest and decided < latest[r["CHILD"]]:
            yield Hit(r["CHILD"], "DATE_INT", r["DATE_INT"])


@R.rule("335", fields=("FOSTER_CARE", "PLACE"), needs=("FOSTER_CARE",))
def adopted_by_foster_carer_matches_placement(ret) -> Iterator[Hit]:
    """Adopted (E11/E12) from A3/A5 (with current foster carers): FOSTER_CARE is not 0; from
    A4/A6 (not with current foster carers): not 1. (A1, A2 no longer exist.)"""
    foster = {r["CHILD"]: r["FOSTER_CARE"] for r in ret.rows("ad1")}
    for r in ret.rows("episodes"):
        if r["REC"] not in ADOPTED or r["CHILD"] not in foster:
            continue
        value = foster[r["CHILD"]]
        if (r["PLACE"] in ("A3", "A5") and value == "0") or (r["PLACE"] in ("A4", "A6") and value == "1"):
            yield Hit(r["CHILD"], "FOSTER_CARE", r["DECOM"])


@R.rule("336", fields=("PLACE",))
def placed_with_foster_carer_for_adoption_without_foster_placement(ret) -> Iterator[Hit]:
    """A placement for adoption with the current foster carers (A3, A5) follows a foster or
    adoption placement (A3-A6, U1-U6); the child's first episode on record is not checked."""
    allowed = {"A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6"}
    for child, rows in _history(ret).items():
        for prev, r in pairwise(rows):
            if r["PLACE"] in ("A3", "A5") and prev["PLACE"] not in allowed:
                yield Hit(child, "PLACE", r["DECOM"])


# -- care leavers (OC3) -------------------------------------------------------------------------
@R.rule("3001", fields=("ACCOM",))
def seventeen_year_old_care_leaver_with_former_foster_carers(ret) -> Iterator[Hit]:
    """ACCOM Z (with former foster carers) for a young person whose 17th birthday is in the
    year. (The DfE file names REC; the item at fault is ACCOM.)"""
    start, end = year_bounds(ret.year)
    headers = _headers(ret)
    for r in ret.rows("oc3"):
        header = headers.get(r["CHILD"])
        dob = (_date(header["DOB"]) if header else None) or _date(r["DOB"])
        if r["ACCOM"] in ("Z1", "Z2") and dob and start <= birthday(dob, 17) <= end:
            yield Hit(r["CHILD"], "ACCOM", r["ACCOM"])


@R.rule("347", fields=("ACCOM",))
def care_leaver_under_18_in_a_foyer(ret) -> Iterator[Hit]:
    """ACCOM T (foyer) for a young person under 18 at the start of the year (as the DfE
    validator). (The DfE file names DEC, PLACE and URN; the item at fault is ACCOM.)"""
    start, _ = year_bounds(ret.year)
    for r in ret.rows("oc3"):
        dob = _date(r["DOB"])
        if r["ACCOM"].startswith("T") and dob and birthday(dob, 18) > start:
            yield Hit(r["CHILD"], "ACCOM", r["ACCOM"])


# -- what Haven cannot check --------------------------------------------------------------------
_POSTCODE_FILE = ("{item} is derived by the DfE's tool from its national postcode file, which Haven does not "
                  "hold (Haven's own table of postcode districts is partial, so a missing value cannot be told "
                  "from an invalid postcode); Haven's episode checks 392a-392c, 1015 and 454 cover the "
                  "postcodes, the location and the distance")
R.cannot_run("164", _POSTCODE_FILE.format(item="PL_DISTANCE"))
R.cannot_run("169", _POSTCODE_FILE.format(item="PL_LA"))
R.cannot_run("179", _POSTCODE_FILE.format(item="PL_LOCATION"))

_OFSTED_REGISTER = ("needs Ofsted's register of providers (the DfE's URN lookup: each URN's placement types, "
                    "provider type, postcode, local authority, registration dates{extra}), which Haven does not "
                    "hold; Haven checks the URN's format (1008) and when one is required or not (218, 222)")
for _code, _extra in (("219", ""), ("221", ""), ("224", ""), ("227", ""), ("228", ""), ("229", ""),
                      ("241", ", premises"), ("242", ", which providers are regional adoption agencies"),
                      ("243", ", which providers Ofsted registers")):
    R.cannot_run(_code, _OFSTED_REGISTER.format(extra=_extra))
