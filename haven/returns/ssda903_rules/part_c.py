"""SSDA903 rules (third part of the DfE file): episodes against the collection year and last year's
return, adoption (AD1 and placed for adoption), previous permanence, deprivation of liberty orders
(DoLO) and social worker episodes.

Each rule reads the return's tables (``ret.tables``: rows of strings keyed by the DfE columns);
rules that compare with last year read ``ret.previous`` and find nothing when it is None. PL_LA,
PL_LOCATION and PL_DISTANCE are not columns of the return Haven writes (the DfE tool derives them
from the postcodes): the rules over them derive them the same way, with
``haven.looked_after.postcodes``. Haven writes no DoLO table: those rules read
``ret.tables.get("dolo", [])`` (columns CHILD, DOLO_START, DOLO_END) and need DOLO_START."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from itertools import pairwise

from haven.core.calendar import birthday
from haven.core.codes.looked_after import ADOPTED, ADOPTION_PLACEMENTS
from haven.looked_after import postcodes
from haven.looked_after.validation import RESPITE
from haven.returns.rules import Hit
from haven.returns.ssda903 import year_bounds

from .common import blank as _blank
from .common import by_child as _by_child
from .common import date as _date
from .common import invalid_date as _invalid_date
from .registry import SSDA903_2027 as R

ADOPTION_DETAILS = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")
ADOPTERS_NOT_HELD = ("FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")
PREVIOUS_PERMANENCE = ("PREV_PERM", "LA_PERM", "DATE_PERM")
PREV_PERM_CODES = {"P1", "P2", "P3", "P4", "Z1"}
# LA_PERM: the DfE's local authority codes (old and current, since an order may be years old),
# and WAL, SCO, NIR, NUK for an order made outside England.
LA_PERM_CODES = frozenset("""
    201 202 203 204 205 206 207 208 209 210 211 212 213 301 302 303 304 305 306 307 308 309 310 311
    312 313 314 315 316 317 318 319 320 330 331 332 333 334 335 336 340 341 342 343 344 350 351 352
    353 354 355 356 357 358 359 370 371 372 373 380 381 382 383 384 390 391 392 393 394 420 800 801
    802 803 805 806 807 808 810 811 812 813 815 816 821 822 823 825 826 830 831 835 836 837 838 839
    840 841 845 846 850 851 852 855 856 857 860 861 865 866 867 868 869 870 871 872 873 874 876 877
    878 879 880 881 882 883 884 885 886 887 888 889 890 891 892 893 894 895 896 908 909 916 919 921
    925 926 928 929 931 933 935 936 937 938 940 941 942 943 999 WAL SCO NIR NUK
""".split())
SW_REASONS = {"MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "SWDIED", "OTHERS"}
FIRST_CONTACT = "FCONTA"
# 709: the placements a child with a DoLO is expected to be in (children's home, and the DfE's
# "other" placements for unregistered settings); 710: the placements a DoLO cannot be in.
DOLO_EXPECTED_PLACEMENTS = {"K2", "Z12", "Z13"}
DOLO_BARRED_PLACEMENTS = {"K1", "P1", "R5", "H5"}


# -- helpers ------------------------------------------------------------------------------------
def _episodes(ret) -> dict[str, list[dict]]:
    return _by_child(ret.rows("episodes"), "DECOM")


def _looked_after_at_year_end(ret) -> set[str]:
    """Children with an episode open at 31 March (the return blanks a DEC after the year end),
    other than under short breaks (V3/V4) only."""
    return {row["CHILD"] for row in ret.rows("episodes")
            if _blank(row["DEC"]) and row["LS"] not in RESPITE}


def _carried_over(ret) -> Iterator[tuple[dict, dict]]:
    """(this year's first episode, last year's last episode) for each child whose last episode
    in last year's return was still open: the two should be the same episode."""
    if ret.previous is None:
        return
    last_year = _episodes(ret.previous)
    for child, episodes in _episodes(ret).items():
        before = last_year.get(child)
        if before and _blank(before[-1]["DEC"]):
            yield episodes[0], before[-1]


def _placed(ret, row: dict) -> postcodes.Placed:
    """PL_DISTANCE, PL_LA and PL_LOCATION as the DfE tool derives them from the postcodes."""
    uasc = any(u["CHILD"] == row["CHILD"] for u in ret.rows("uasc"))
    return postcodes.place(home_postcode=row["HOME_POST"], placement_postcode=row["PL_POST"],
                           authority_ons_code=getattr(ret.authority, "ons_code", "") or "", uasc=uasc)


def _distance_changed(now: Decimal | None, before: Decimal | None) -> bool:
    """The DfE's test: 0.2 miles or more apart, or a distance this year where last year had none."""
    if now is None:
        return False
    return before is None or abs(now - before) >= Decimal("0.2")


def _overlaps(start: dt.date, end: dt.date | None, row: dict) -> bool:
    """The period start..end (open when None) overlaps the episode ``row``."""
    decom, dec = _date(row["DECOM"]), _date(row["DEC"])
    return decom is not None and (end is None or decom <= end) and (dec is None or start <= dec)


# -- episodes -----------------------------------------------------------------------------------
@R.rule("353", fields=("DECOM",))
def episode_starts_before_14_october_1991(ret):
    for row in ret.rows("episodes"):
        start = _date(row["DECOM"])
        if start and start < dt.date(1991, 10, 14):
            yield Hit(row["CHILD"], "DECOM", row["DECOM"])


@R.rule("354", fields=("DECOM",))
def episode_starts_after_the_year_end(ret):
    _, end = year_bounds(ret.year)
    for row in ret.rows("episodes"):
        start = _date(row["DECOM"])
        if start and start > end:
            yield Hit(row["CHILD"], "DECOM", row["DECOM"])


@R.rule("385", fields=("DEC",))
def episode_ceases_after_the_year_end(ret):
    _, end = year_bounds(ret.year)
    for row in ret.rows("episodes"):
        ceased = _date(row["DEC"])
        if ceased and ceased > end:
            yield Hit(row["CHILD"], "DEC", row["DEC"])


@R.rule("399", fields=("LS", "MOTHER", "REVIEW", "REVIEW_CODE"))
def short_breaks_child_has_mother_or_reviews(ret):
    """Only a child whose every episode is under V3/V4 (the DfE's adjustment: any other episode
    makes the mother and review items expected)."""
    header = {row["CHILD"]: row for row in ret.rows("header")}
    reviews = _by_child(ret.rows("reviews"))
    for child, episodes in _episodes(ret).items():
        if not all(e["LS"] in RESPITE for e in episodes):
            continue
        if not _blank(header.get(child, {}).get("MOTHER")):
            yield Hit(child, "MOTHER")
        for review in reviews.get(child, []):
            yield Hit(child, "REVIEW", review["REVIEW"])


R.cannot_run("411", "Haven derives PL_LOCATION and PL_LA from the same placement postcode (its table of "
                    "postcode districts), so they cannot disagree; the return carries the postcodes, not "
                    "these two items")


@R.rule("426", fields=("LS",))
def short_breaks_under_both_v3_and_v4(ret):
    for child, episodes in _episodes(ret).items():
        statuses = {e["LS"] for e in episodes}
        if {"V3", "V4"} <= statuses:
            for e in episodes:
                if e["LS"] in RESPITE:
                    yield Hit(child, "LS", e["DECOM"])


@R.rule("446", fields=("DECOM", "LS"))
def placement_order_before_december_2005(ret):
    for row in ret.rows("episodes"):
        start = _date(row["DECOM"])
        if row["LS"] == "E1" and start and start < dt.date(2005, 12, 1):
            yield Hit(row["CHILD"], "LS", row["DECOM"])


@R.rule("452", fields=("PL_LA",))
def placement_la_differs_from_last_years_open_episode(ret):
    """Only when the first episode has the same RNE as last year's open one (the same episode)."""
    for now, before in _carried_over(ret):
        if now["RNE"] == before["RNE"] and _placed(ret, now).area != _placed(ret.previous, before).area:
            yield Hit(now["CHILD"], "PL_LA", now["DECOM"])


@R.rule("453", fields=("PL_DISTANCE",))
def placement_distance_differs_from_last_years_open_episode(ret):
    for now, before in _carried_over(ret):
        if now["RNE"] == before["RNE"] and _distance_changed(
                _placed(ret, now).distance_miles, _placed(ret.previous, before).distance_miles):
            yield Hit(now["CHILD"], "PL_DISTANCE", now["DECOM"])


@R.rule("502", fields=("DECOM",))
def first_episode_starts_other_than_last_years_open_episode(ret):
    for now, before in _carried_over(ret):
        if now["DECOM"] != before["DECOM"]:
            yield Hit(now["CHILD"], "DECOM", now["DECOM"])


def _same_as_last_years_open_episode(code: str, column: str) -> None:
    def check(ret):
        for now, before in _carried_over(ret):
            if now[column] != before[column]:
                yield Hit(now["CHILD"], column, now["DECOM"])

    check.__name__ = f"first_episode_{column.lower()}_differs_from_last_years_open_episode"
    R.rule(code, fields=(column,))(check)


for _code, _column in (("503A", "RNE"), ("503B", "LS"), ("503C", "CIN"), ("503D", "PLACE"),
                       ("503E", "PLACE_PROVIDER"), ("503F", "URN")):
    _same_as_last_years_open_episode(_code, _column)


@R.rule("503G", fields=("PL_DISTANCE",))
def first_episode_distance_differs_from_last_years_open_episode(ret):
    for now, before in _carried_over(ret):
        if _distance_changed(_placed(ret, now).distance_miles, _placed(ret.previous, before).distance_miles):
            yield Hit(now["CHILD"], "PL_DISTANCE", now["DECOM"])


@R.rule("503H", fields=("PL_LA",))
def first_episode_placement_la_differs_from_last_years_open_episode(ret):
    for now, before in _carried_over(ret):
        if _placed(ret, now).area != _placed(ret.previous, before).area:
            yield Hit(now["CHILD"], "PL_LA", now["DECOM"])


@R.rule("503J", fields=("PL_LOCATION",))
def first_episode_location_differs_from_last_years_open_episode(ret):
    for now, before in _carried_over(ret):
        if _placed(ret, now).location != _placed(ret.previous, before).location:
            yield Hit(now["CHILD"], "PL_LOCATION", now["DECOM"])


@R.rule("504", fields=("CIN",))
def category_of_need_changes_within_the_period_of_care(ret):
    """An episode that continues the previous one (REC X1, starting the day it ceased) keeps its
    category of need."""
    for child, episodes in _episodes(ret).items():
        for before, now in pairwise(episodes):
            if before["REC"] == "X1" and before["DEC"] == now["DECOM"] and before["CIN"] != now["CIN"]:
                yield Hit(child, "CIN", now["DECOM"])


@R.rule("562", fields=("DECOM",))
def first_episode_before_the_year_is_not_last_years_last(ret):
    """The first episode that started before the collection year must be the last episode of
    last year's return."""
    if ret.previous is None:
        return
    start, _ = year_bounds(ret.year)
    last_year = _episodes(ret.previous)
    for child, episodes in _episodes(ret).items():
        earlier = [e for e in episodes if (_date(e["DECOM"]) or start) < start]
        if earlier and (child not in last_year or last_year[child][-1]["DECOM"] != earlier[0]["DECOM"]):
            yield Hit(child, "DECOM", earlier[0]["DECOM"])


@R.rule("NoE", fields=("DECOM",))
def started_before_the_year_but_not_in_last_years_return(ret):
    if ret.previous is None:
        return
    start, _ = year_bounds(ret.year)
    last_year = {row["CHILD"] for row in ret.previous.rows("episodes")}
    for row in ret.rows("episodes"):
        decom = _date(row["DECOM"])
        if decom and decom < start and row["CHILD"] not in last_year:
            yield Hit(row["CHILD"], "DECOM", row["DECOM"])


@R.rule("580", fields=("REC",))
def missing_at_18th_birthday_when_care_ceased_not_e8(ret):
    """A child whose missing episode ended on their 18th birthday, the day care ceased, left
    care missing: REC must be E8."""
    ceased = _by_child([e for e in ret.rows("episodes") if not _blank(e["DEC"])])
    for m in ret.rows("missing"):
        born, ended = _date(m["DOB"]), _date(m["MIS_END"])
        if born is None or ended is None or ended != birthday(born, 18):
            continue
        for e in ceased.get(m["CHILD"], []):
            if _date(e["DEC"]) == ended and e["REC"] != "E8":
                yield Hit(m["CHILD"], "REC", e["DEC"])


@R.rule("607", fields=("DEC", "LS", "MOTHER", "REC", "SEX"))
def girl_ceased_care_without_mother(ret):
    start, end = year_bounds(ret.year)
    header = {row["CHILD"]: row for row in ret.rows("header")}
    for e in ret.rows("episodes"):
        ceased = _date(e["DEC"])
        child = header.get(e["CHILD"], {})
        if (ceased and start <= ceased <= end and not _blank(e["REC"]) and e["REC"] != "X1"
                and e["LS"] not in RESPITE and child.get("SEX") == "2" and _blank(child.get("MOTHER"))):
            yield Hit(e["CHILD"], "MOTHER", e["DEC"])


@R.rule("625", fields=("DEC", "MC_DOB"), needs=("MC_DOB",))
def mothers_child_born_after_the_year_or_care_ended(ret):
    _, end = year_bounds(ret.year)
    episodes = _by_child([e for e in ret.rows("episodes") if _date(e["DEC"])], "DEC")
    for row in ret.rows("header"):
        born = _date(row["MC_DOB"])
        if born is None:
            continue
        ceased = episodes.get(row["CHILD"])
        if born > end or (ceased and born > _date(ceased[-1]["DEC"])):
            yield Hit(row["CHILD"], "MC_DOB", row["MC_DOB"])


# -- adoption -----------------------------------------------------------------------------------
@R.rule("511", fields=("NB_ADOPTR", "SEX_ADOPTR"), needs=("NB_ADOPTR", "SEX_ADOPTR"))
def two_adopters_with_a_single_adopters_sex(ret):
    for row in ret.rows("ad1"):
        if row["NB_ADOPTR"] == "2" and row["SEX_ADOPTR"] in ("M1", "F1"):
            yield Hit(row["CHILD"], "SEX_ADOPTR", row["SEX_ADOPTR"])


def _adopters_sex_for_legal_status(code: str, legal_status: str, sexes: set[str]) -> None:
    def check(ret):
        for row in ret.rows("ad1"):
            if row["LS_ADOPTR"] == legal_status and row["SEX_ADOPTR"] not in sexes:
                yield Hit(row["CHILD"], "SEX_ADOPTR", row["SEX_ADOPTR"])

    check.__name__ = f"adopters_{legal_status.lower()}_sex_not_{'_or_'.join(sorted(sexes)).lower()}"
    R.rule(code, fields=("LS_ADOPTR", "SEX_ADOPTR"), needs=("LS_ADOPTR", "SEX_ADOPTR"))(check)


# L0 single adopter; L2 civil partners; L3 and L11 married couple of different sexes (L3 before
# 2014's code split); L4 and L12 same-sex couple.
for _code, _status, _sexes in (("514", "L0", {"M1", "F1"}), ("517", "L3", {"MF"}), ("518", "L4", {"MM", "FF"}),
                               ("519", "L2", {"MM", "FF", "MF"}), ("520", "L11", {"MF"}),
                               ("524", "L12", {"MM", "FF"})):
    _adopters_sex_for_legal_status(_code, _status, _sexes)


@R.rule("521", fields=("DATE_INT", "DECOM", "PLACE"))
def adoption_decision_after_placed_for_adoption(ret):
    decisions = _by_child(ret.rows("ad1"))
    for e in ret.rows("episodes"):
        placed = _date(e["DECOM"])
        if e["PLACE"] not in ADOPTION_PLACEMENTS or placed is None:
            continue
        for row in decisions.get(e["CHILD"], []):
            decided = _date(row["DATE_INT"])
            if decided and decided > placed:
                yield Hit(e["CHILD"], "DATE_INT", row["DATE_INT"])


@R.rule("522", fields=("DATE_PLACED", "DATE_PLACED_CEASED"))
def adoption_decision_ceased_before_it_was_made(ret):
    for row in ret.rows("placed_for_adoption"):
        decided, ceased = _date(row["DATE_PLACED"]), _date(row["DATE_PLACED_CEASED"])
        if decided and ceased and ceased < decided:
            yield Hit(row["CHILD"], "DATE_PLACED_CEASED", row["DATE_PLACED_CEASED"])


@R.rule("523", fields=("DATE_INT", "DATE_PLACED"))
def should_be_placed_dates_differ(ret):
    decisions = _by_child(ret.rows("placed_for_adoption"))
    for row in ret.rows("ad1"):
        interest = _date(row["DATE_INT"])
        if interest is None:
            continue
        for decision in decisions.get(row["CHILD"], []):
            decided = _date(decision["DATE_PLACED"])
            if decided and decided != interest:
                yield Hit(row["CHILD"], "DATE_PLACED", decision["DATE_PLACED"])


@R.rule("525", fields=("DATE_INT", "DATE_MATCH", "DATE_PLACED_CEASED", *ADOPTERS_NOT_HELD),
        needs=ADOPTERS_NOT_HELD)
def adopted_after_the_decision_was_reversed(ret):
    adoptions = _by_child(ret.rows("ad1"))
    for row in ret.rows("placed_for_adoption"):
        if _blank(row["DATE_PLACED_CEASED"]):
            continue
        if any(not _blank(a[item]) for a in adoptions.get(row["CHILD"], []) for item in ADOPTION_DETAILS):
            yield Hit(row["CHILD"], "DATE_PLACED_CEASED", row["DATE_PLACED_CEASED"])


@R.rule("551", fields=("DATE_PLACED", "PLACE"))
def placed_for_adoption_without_a_decision(ret):
    decisions = _by_child(ret.rows("placed_for_adoption"))
    for e in ret.rows("episodes"):
        if e["PLACE"] not in ADOPTION_PLACEMENTS:
            continue
        rows = decisions.get(e["CHILD"], [])
        if not rows or any(_blank(d["DATE_PLACED"]) for d in rows):
            yield Hit(e["CHILD"], "DATE_PLACED", e["DECOM"])


@R.rule("552", fields=("DATE_PLACED", "DECOM"))
def latest_decision_after_first_placed_for_adoption(ret):
    """The latest decision that the child should be placed must be on or before the start of
    their first adoption placement."""
    decisions = _by_child([d for d in ret.rows("placed_for_adoption") if _date(d["DATE_PLACED"])], "DATE_PLACED")
    placements = _by_child([e for e in ret.rows("episodes")
                            if e["PLACE"] in ADOPTION_PLACEMENTS and _date(e["DECOM"])], "DECOM")
    for child, episodes in placements.items():
        if child in decisions:
            latest = decisions[child][-1]
            if _date(episodes[0]["DECOM"]) < _date(latest["DATE_PLACED"]):
                yield Hit(child, "DATE_PLACED", latest["DATE_PLACED"])


@R.rule("553", fields=("CHILD", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"))
def placement_order_without_a_decision(ret):
    """An E1 episode needs a decision that the child should be placed; while it is open, that
    decision cannot have ceased."""
    decisions = _by_child(ret.rows("placed_for_adoption"))
    for e in ret.rows("episodes"):
        if e["LS"] != "E1":
            continue
        rows = decisions.get(e["CHILD"], [])
        if not rows:
            yield Hit(e["CHILD"], "DATE_PLACED", e["DECOM"])
        elif _blank(e["DEC"]):
            for d in rows:
                if not (_blank(d["DATE_PLACED_CEASED"]) and _blank(d["REASON_PLACED_CEASED"])):
                    yield Hit(e["CHILD"], "DATE_PLACED_CEASED", d["DATE_PLACED_CEASED"])


@R.rule("554", fields=("DATE_PLACED", "DECOM", "LS"))
def decision_after_the_placement_order(ret):
    decisions = _by_child(ret.rows("placed_for_adoption"))
    orders = _by_child([e for e in ret.rows("episodes") if e["LS"] == "E1" and _date(e["DECOM"])], "DECOM")
    for child, episodes in orders.items():
        granted = _date(episodes[0]["DECOM"])
        for d in decisions.get(child, []):
            decided = _date(d["DATE_PLACED"])
            if decided and decided > granted:
                yield Hit(child, "DATE_PLACED", d["DATE_PLACED"])


@R.rule("557", fields=("DATE_PLACED_CEASED", "LS", "PLACE", "REASON_PLACED_CEASED", "REC"))
def left_care_not_adopted_with_the_decision_open(ret):
    """An episode placed for adoption or under a placement order that ended the period of care
    other than by adoption: the decision must say when and why it ceased."""
    decisions = _by_child(ret.rows("placed_for_adoption"))
    for e in ret.rows("episodes"):
        if not (e["PLACE"] in ADOPTION_PLACEMENTS or e["LS"] == "E1"):
            continue
        if _blank(e["REC"]) or e["REC"] in ADOPTED or e["REC"] == "X1":
            continue
        rows = decisions.get(e["CHILD"], [])
        if not rows or any(_blank(d["DATE_PLACED_CEASED"]) or _blank(d["REASON_PLACED_CEASED"]) for d in rows):
            yield Hit(e["CHILD"], "DATE_PLACED_CEASED", e["DEC"])


@R.rule("558", fields=("DATE_PLACED_CEASED", "REC"))
def adopted_with_every_decision_ceased(ret):
    """The DfE's test: an adopted child whose decisions (more than one) have all ceased; a child
    with a decision still open is fine."""
    decisions = _by_child(ret.rows("placed_for_adoption"))
    for e in ret.rows("episodes"):
        if e["REC"] not in ADOPTED:
            continue
        rows = decisions.get(e["CHILD"], [])
        if len(rows) > 1 and all(not _blank(d["DATE_PLACED_CEASED"]) for d in rows):
            yield Hit(e["CHILD"], "DATE_PLACED_CEASED", e["DEC"])


def _last_years_decisions(ret) -> dict[str, list[dict]] | None:
    return None if ret.previous is None else _by_child(ret.previous.rows("placed_for_adoption"))


@R.rule("559", fields=("DATE_PLACED",))
def decision_before_the_year_missing_from_last_year(ret):
    last_year = _last_years_decisions(ret)
    if last_year is None:
        return
    start, _ = year_bounds(ret.year)
    for row in ret.rows("placed_for_adoption"):
        decided = _date(row["DATE_PLACED"])
        if decided and decided < start and not any(
                not _blank(d["DATE_PLACED"]) for d in last_year.get(row["CHILD"], [])):
            yield Hit(row["CHILD"], "DATE_PLACED", row["DATE_PLACED"])


@R.rule("560", fields=("DATE_PLACED", "DATE_PLACED_CEASED"))
def open_decision_last_year_has_a_different_date(ret):
    """Last year's open decision (no date ceased) must be in this year's return with the same date."""
    last_year = _last_years_decisions(ret)
    if last_year is None:
        return
    this_year = _by_child(ret.rows("placed_for_adoption"))
    for child, rows in this_year.items():
        dates = {r["DATE_PLACED"] for r in rows}
        for before in last_year.get(child, []):
            if (not _blank(before["DATE_PLACED"]) and _blank(before["DATE_PLACED_CEASED"])
                    and before["DATE_PLACED"] not in dates):
                yield Hit(child, "DATE_PLACED", before["DATE_PLACED"])


@R.rule("561", fields=("DATE_PLACED",))
def decision_ceased_last_year_reported_again(ret):
    last_year = _last_years_decisions(ret)
    if last_year is None:
        return
    for row in ret.rows("placed_for_adoption"):
        for before in last_year.get(row["CHILD"], []):
            ceased = not (_blank(before["DATE_PLACED_CEASED"]) and _blank(before["REASON_PLACED_CEASED"]))
            if ceased and not _blank(row["DATE_PLACED"]) and row["DATE_PLACED"] == before["DATE_PLACED"]:
                yield Hit(row["CHILD"], "DATE_PLACED", row["DATE_PLACED"])


@R.rule("584", fields=("DATE_PLACED",))
def new_decision_not_after_last_years_ceased_one(ret):
    """After a decision that ceased last year, this year's decision must be a new, later one."""
    last_year = _last_years_decisions(ret)
    if last_year is None:
        return
    for row in ret.rows("placed_for_adoption"):
        decided = _date(row["DATE_PLACED"])
        for before in last_year.get(row["CHILD"], []):
            if _blank(before["DATE_PLACED_CEASED"]) and _blank(before["REASON_PLACED_CEASED"]):
                continue
            earlier = _date(before["DATE_PLACED"])
            if decided is None or (earlier and decided <= earlier):
                yield Hit(row["CHILD"], "DATE_PLACED", row["DATE_PLACED"])


@R.rule("563", fields=("DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"))
def decision_ceased_without_a_decision_date(ret):
    for row in ret.rows("placed_for_adoption"):
        if not _blank(row["REASON_PLACED_CEASED"]) and not _blank(row["DATE_PLACED_CEASED"]) and _blank(row["DATE_PLACED"]):
            yield Hit(row["CHILD"], "DATE_PLACED", row["DATE_PLACED_CEASED"])


@R.rule("579", fields=("DATE_PLACED", "DATE_PLACED_CEASED"))
def decisions_overlap(ret):
    for child, rows in _by_child(ret.rows("placed_for_adoption"), "DATE_PLACED").items():
        for before, now in pairwise(rows):
            ceased, decided = _date(before["DATE_PLACED_CEASED"]), _date(now["DATE_PLACED"])
            if ceased is None or (decided and decided < ceased):
                yield Hit(child, "DATE_PLACED", now["DATE_PLACED"])


@R.rule("583", fields=("DATE_PLACED", "DATE_PLACED_CEASED"))
def earlier_decision_not_ceased(ret):
    for child, rows in _by_child(ret.rows("placed_for_adoption"), "DATE_PLACED").items():
        for earlier in rows[:-1]:
            if _blank(earlier["DATE_PLACED_CEASED"]):
                yield Hit(child, "DATE_PLACED_CEASED", earlier["DATE_PLACED"])


@R.rule("582", fields=("DATE_MATCH", "DEC"))
def adopted_the_day_matched(ret):
    matched = _by_child(ret.rows("ad1"))
    for e in ret.rows("episodes"):
        if e["REC"] in ADOPTED and not _blank(e["DEC"]) and any(
                a["DATE_MATCH"] == e["DEC"] for a in matched.get(e["CHILD"], [])):
            yield Hit(e["CHILD"], "DATE_MATCH", e["DEC"])


@R.rule("601", fields=("DATE_INT", "DATE_MATCH", "REC", *ADOPTERS_NOT_HELD), needs=ADOPTERS_NOT_HELD)
def adopted_in_the_year_without_the_adoption_details(ret):
    start, end = year_bounds(ret.year)
    adoptions = _by_child(ret.rows("ad1"))
    for e in ret.rows("episodes"):
        ceased = _date(e["DEC"])
        if e["REC"] not in ADOPTED or ceased is None or not start <= ceased <= end:
            continue
        for a in adoptions.get(e["CHILD"], []):
            missing = [item for item in ADOPTION_DETAILS if _blank(a[item])]
            if missing:
                yield Hit(e["CHILD"], missing[0], e["DEC"])


# -- previous permanence ------------------------------------------------------------------------
def _perm_date(value: str) -> tuple[bool, dt.date | None]:
    """DATE_PERM may replace an unknown day or month by ZZ (and an unknown year by ZZZZ): whether
    it is valid, and the latest date it can be (None when the year is unknown)."""
    parts = (value or "").strip().split("/")
    if len(parts) != 3:
        return False, None
    day, month, year = parts
    if year == "ZZZZ":
        return (day == "ZZ" or day.isdigit()) and (month == "ZZ" or month.isdigit()), None
    if not (year.isdigit() and len(year) == 4):
        return False, None
    if month == "ZZ":
        return day == "ZZ" or day.isdigit(), dt.date(int(year), 12, 31)
    if day == "ZZ":
        first = _date(f"01/{month}/{year}")
        if first is None:
            return False, None
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return True, following - dt.timedelta(days=1)
    known = _date(value)
    return known is not None, known


@R.rule("630", fields=("RNE",), needs=PREVIOUS_PERMANENCE)
def started_care_without_previous_permanence(ret):
    """A child who started to be looked after in the year needs a previous permanence row; other
    than Z1 (none), with the authority and the date of the order."""
    start, _ = year_bounds(ret.year)
    permanence = _by_child(ret.rows("previous_permanence"))
    for e in ret.rows("episodes"):
        began = _date(e["DECOM"])
        if e["RNE"] != "S" or began is None or began < start:
            continue
        rows = permanence.get(e["CHILD"], [])
        if not rows or any(_blank(p["PREV_PERM"]) or (p["PREV_PERM"] != "Z1" and (_blank(p["LA_PERM"]) or _blank(p["DATE_PERM"])))
                           for p in rows):
            yield Hit(e["CHILD"], "RNE", e["DECOM"])


@R.rule("631", fields=("PREV_PERM",), needs=("PREV_PERM",))
def previous_permanence_code_not_valid(ret):
    for row in ret.rows("previous_permanence"):
        if not _blank(row["PREV_PERM"]) and row["PREV_PERM"] not in PREV_PERM_CODES:
            yield Hit(row["CHILD"], "PREV_PERM", row["PREV_PERM"])


@R.rule("632", fields=("DATE_PERM", "DECOM"), needs=("DATE_PERM",))
def previous_permanence_date_not_valid(ret):
    """Not a valid date (ZZ allowed for an unknown part), or not before the child's first episode."""
    episodes = _episodes(ret)
    for row in ret.rows("previous_permanence"):
        if _blank(row["DATE_PERM"]):
            continue
        valid, latest = _perm_date(row["DATE_PERM"])
        first = episodes.get(row["CHILD"])
        began = _date(first[0]["DECOM"]) if first else None
        if not valid or (latest and began and latest >= began):
            yield Hit(row["CHILD"], "DATE_PERM", row["DATE_PERM"])


@R.rule("633", fields=("LA_PERM",), needs=("LA_PERM",))
def previous_permanence_authority_not_valid(ret):
    for row in ret.rows("previous_permanence"):
        if not _blank(row["LA_PERM"]) and row["LA_PERM"].strip() not in LA_PERM_CODES:
            yield Hit(row["CHILD"], "LA_PERM", row["LA_PERM"])


@R.rule("634", fields=("DATE_PERM", "DECOM", "LA_PERM", "PREV_PERM"), needs=PREVIOUS_PERMANENCE)
def previous_permanence_for_a_child_in_care_before_april_2016(ret):
    """As the message says: no episode started on or after 1 April 2016 (the DfE's tool compares
    with the start of the collection year instead)."""
    episodes = _episodes(ret)
    for row in ret.rows("previous_permanence"):
        if all(_blank(row[item]) for item in PREVIOUS_PERMANENCE):
            continue
        starts = [d for d in (_date(e["DECOM"]) for e in episodes.get(row["CHILD"], [])) if d]
        if starts and max(starts) < dt.date(2016, 4, 1):
            yield Hit(row["CHILD"], "PREV_PERM", row["PREV_PERM"])


@R.rule("635", fields=("DATE_PERM", "LA_PERM", "PREV_PERM"), needs=PREVIOUS_PERMANENCE)
def previous_permanence_z1_with_order_details(ret):
    """As the message says: PREV_PERM Z1 (no previous permanence) with an order's date or
    authority (the DfE's tool tests a blank PREV_PERM, which 630 reports)."""
    for row in ret.rows("previous_permanence"):
        if row["PREV_PERM"] == "Z1" and not (_blank(row["LA_PERM"]) and _blank(row["DATE_PERM"])):
            yield Hit(row["CHILD"], "PREV_PERM", row["PREV_PERM"])


# -- deprivation of liberty orders ----------------------------------------------------------------
def _dolos(ret) -> list[dict]:
    return ret.tables.get("dolo", [])


@R.rule("700", fields=("DOLO_START",), needs=("DOLO_START",))
def dolo_start_not_a_valid_date(ret):
    for row in _dolos(ret):
        if _blank(row.get("DOLO_START")) or _invalid_date(row["DOLO_START"]):
            yield Hit(row["CHILD"], "DOLO_START", row.get("DOLO_START", ""))


@R.rule("701", fields=("DOLO_END",), needs=("DOLO_END",))
def dolo_end_not_a_valid_date(ret):
    for row in _dolos(ret):
        if _invalid_date(row.get("DOLO_END")):
            yield Hit(row["CHILD"], "DOLO_END", row["DOLO_END"])


@R.rule("702", fields=("DOLO_END", "DOLO_START"), needs=("DOLO_START", "DOLO_END"))
def dolo_ends_before_it_starts(ret):
    for row in _dolos(ret):
        started, ended = _date(row.get("DOLO_START")), _date(row.get("DOLO_END"))
        if started and ended and ended < started:
            yield Hit(row["CHILD"], "DOLO_END", row["DOLO_END"])


@R.rule("703", fields=("DOLO_START",), needs=("DOLO_START",))
def dolo_starts_after_the_year(ret):
    _, end = year_bounds(ret.year)
    for row in _dolos(ret):
        started = _date(row.get("DOLO_START"))
        if started and started > end:
            yield Hit(row["CHILD"], "DOLO_START", row["DOLO_START"])


@R.rule("704", fields=("DOLO_END",), needs=("DOLO_END",))
def dolo_ends_outside_the_year(ret):
    start, end = year_bounds(ret.year)
    for row in _dolos(ret):
        ended = _date(row.get("DOLO_END"))
        if ended and not start <= ended <= end:
            yield Hit(row["CHILD"], "DOLO_END", row["DOLO_END"])


@R.rule("705", fields=("DOLO_END", "DOLO_START"), needs=("DOLO_START", "DOLO_END"))
def dolo_starts_while_the_previous_is_open(ret):
    """In order of end (an open DoLO by its start), each DoLO must start on or after the
    previous one ended, and the previous one must have ended."""
    for child, rows in _by_child(_dolos(ret)).items():
        rows = sorted(rows, key=lambda r: (_date(r.get("DOLO_END")) or _date(r.get("DOLO_START")) or dt.date.min,
                                           _date(r.get("DOLO_START")) or dt.date.min))
        for before, now in pairwise(rows):
            ended, started = _date(before.get("DOLO_END")), _date(now.get("DOLO_START"))
            if ended is None or (started and started < ended):
                yield Hit(child, "DOLO_START", now.get("DOLO_START", ""))


@R.rule("706", fields=("DOLO_START",), needs=("DOLO_START", "DOLO_END"))
def last_years_open_dolo_not_carried_over(ret):
    if ret.previous is None:
        return
    this_year = {(row["CHILD"], row.get("DOLO_START", "")) for row in _dolos(ret)}
    for row in _dolos(ret.previous):
        if _blank(row.get("DOLO_END")) and (row["CHILD"], row.get("DOLO_START", "")) not in this_year:
            yield Hit(row["CHILD"], "DOLO_START", row.get("DOLO_START", ""))


@R.rule("707", fields=("DOLO_END",), needs=("DOLO_START", "DOLO_END"))
def ceased_care_with_an_open_dolo(ret):
    """A child with no episode open at the year end (care ceased) cannot have an open DoLO."""
    open_at_end = {e["CHILD"] for e in ret.rows("episodes") if _blank(e["DEC"])}
    in_return = {e["CHILD"] for e in ret.rows("episodes")}
    for row in _dolos(ret):
        if row["CHILD"] in in_return and row["CHILD"] not in open_at_end and _blank(row.get("DOLO_END")):
            yield Hit(row["CHILD"], "DOLO_END", row.get("DOLO_START", ""))


@R.rule("708", fields=("DOLO_START",), needs=("DOLO_START",))
def dolo_before_birth(ret):
    born = {row["CHILD"]: _date(row["DOB"]) for row in ret.rows("header")}
    for row in _dolos(ret):
        started, dob = _date(row.get("DOLO_START")), born.get(row["CHILD"])
        if started and dob and started <= dob:
            yield Hit(row["CHILD"], "DOLO_START", row["DOLO_START"])


def _placements_during(ret, row: dict) -> list[dict]:
    started = _date(row.get("DOLO_START"))
    if started is None:
        return []
    ended = _date(row.get("DOLO_END"))
    return [e for e in ret.rows("episodes", row["CHILD"]) if _overlaps(started, ended, e)]


@R.rule("709", fields=("DOLO_START", "PLACEMENT"), needs=("DOLO_START", "DOLO_END"))
def dolo_in_an_unexpected_placement(ret):
    """Every episode during the DoLO (an open one runs on) should be a children's home (K2) or
    one of the DfE's other placements for unregistered settings (Z12, Z13). The barred
    placements are left to 710."""
    for row in _dolos(ret):
        for e in _placements_during(ret, row):
            if e["PLACE"] not in DOLO_EXPECTED_PLACEMENTS | DOLO_BARRED_PLACEMENTS:
                yield Hit(row["CHILD"], "PLACEMENT", e["DECOM"])


@R.rule("710", fields=("DOLO_START", "PLACEMENT"), needs=("DOLO_START", "DOLO_END"))
def dolo_in_a_barred_placement(ret):
    """Secure children's home (K1), with parents (P1), young offender institution (R5) or
    supported accommodation (H5)."""
    for row in _dolos(ret):
        for e in _placements_during(ret, row):
            if e["PLACE"] in DOLO_BARRED_PLACEMENTS:
                yield Hit(row["CHILD"], "PLACEMENT", e["DECOM"])


# -- social worker episodes -----------------------------------------------------------------------
def _sw_episodes(ret) -> dict[str, list[dict]]:
    """Each child's social worker episodes in order of start (then end; an open one last)."""
    out = _by_child(ret.rows("sw_episodes"))
    for rows in out.values():
        rows.sort(key=lambda r: (_date(r["SW_DECOM"]) or dt.date.min, _date(r["SW_DEC"]) or dt.date.max))
    return out


def _consecutive_sw_episodes(ret) -> Iterator[tuple[dict, dict]]:
    for rows in _sw_episodes(ret).values():
        yield from pairwise(rows)


@R.rule("SW02STG1", fields=("SW_ID",))
def social_worker_id_not_sw_or_xx(ret):
    for row in ret.rows("sw_episodes"):
        if not row["SW_ID"].startswith(("SW", "XX")):
            yield Hit(row["CHILD"], "SW_ID", row["SW_DECOM"])


@R.rule("SW04STG1", fields=("SW_DECOM",))
def social_worker_start_not_a_valid_date(ret):
    for row in ret.rows("sw_episodes"):
        if _invalid_date(row["SW_DECOM"]):
            yield Hit(row["CHILD"], "SW_DECOM", row["SW_DECOM"])


@R.rule("SW05STG1", fields=("SW_DEC",))
def social_worker_end_not_a_valid_date(ret):
    for row in ret.rows("sw_episodes"):
        if _invalid_date(row["SW_DEC"]):
            yield Hit(row["CHILD"], "SW_DEC", row["SW_DEC"])


@R.rule("SW06STG2", fields=("SW_DECOM",))
def social_worker_episode_starts_after_the_year(ret):
    _, end = year_bounds(ret.year)
    for row in ret.rows("sw_episodes"):
        started = _date(row["SW_DECOM"])
        if started and started > end:
            yield Hit(row["CHILD"], "SW_DECOM", row["SW_DECOM"])


@R.rule("SW07STG2", fields=("SW_DEC",))
def social_worker_episode_ends_outside_the_reporting_period(ret):
    """The reporting period: as the DfE's tool reads it, from a year before the collection year
    starts to its end."""
    start, end = year_bounds(ret.year)
    for row in ret.rows("sw_episodes"):
        ended = _date(row["SW_DEC"])
        if ended and not start.replace(year=start.year - 1) <= ended <= end:
            yield Hit(row["CHILD"], "SW_DEC", row["SW_DEC"])


@R.rule("SW08STG2", fields=("SW_DEC",))
def earlier_social_worker_episode_not_ended(ret):
    for child, rows in _sw_episodes(ret).items():
        for row in rows[:-1]:
            if _blank(row["SW_DEC"]) and _date(row["SW_DECOM"]):
                yield Hit(child, "SW_DEC", row["SW_DECOM"])


@R.rule("SW09STG2", fields=("SW_DEC", "SW_DECOM"))
def social_worker_episode_under_a_day(ret):
    for row in ret.rows("sw_episodes"):
        if not _blank(row["SW_DEC"]) and row["SW_DEC"] == row["SW_DECOM"]:
            yield Hit(row["CHILD"], "SW_DEC", row["SW_DECOM"])


@R.rule("SW10STG2", fields=("SW_DECOM",))
def social_worker_episode_starts_before_the_previous_ended(ret):
    for before, now in _consecutive_sw_episodes(ret):
        ended, started = _date(before["SW_DEC"]), _date(now["SW_DECOM"])
        if ended and started and started < ended:
            yield Hit(now["CHILD"], "SW_DECOM", now["SW_DECOM"])


@R.rule("SW10aSTG2", fields=("SW_DECOM",), needs=("SW_REASON",))
def social_worker_episode_not_within_7_days_of_the_previous(ret):
    """Other than a first contact (FCONTA), a new episode starts within 7 days either side of the
    previous one's end."""
    for before, now in _consecutive_sw_episodes(ret):
        ended, started = _date(before["SW_DEC"]), _date(now["SW_DECOM"])
        if now["SW_REASON"] != FIRST_CONTACT and ended and started and abs((started - ended).days) > 7:
            yield Hit(now["CHILD"], "SW_DECOM", now["SW_DECOM"])


@R.rule("SW10bSTG2", fields=("SW_DECOM", "SW_REASON"), needs=("SW_REASON",))
def first_contact_before_the_previous_episode_ended(ret):
    for before, now in _consecutive_sw_episodes(ret):
        ended, started = _date(before["SW_DEC"]), _date(now["SW_DECOM"])
        if now["SW_REASON"] == FIRST_CONTACT and started and (ended is None or started < ended):
            yield Hit(now["CHILD"], "SW_DECOM", now["SW_DECOM"])


@R.rule("SW11bSTG2", fields=("SW_DEC",))
def social_worker_episode_ended_just_before_31_march_without_a_successor(ret):
    """As the DfE's tool: the child's last episode ended in the last 5 days of the year. Only for
    a child looked after on 31 March (the social worker table is about them)."""
    _, end = year_bounds(ret.year)
    looked_after = _looked_after_at_year_end(ret)
    for child, rows in _sw_episodes(ret).items():
        ended = _date(rows[-1]["SW_DEC"])
        if child in looked_after and ended and end - dt.timedelta(days=5) <= ended <= end:
            yield Hit(child, "SW_DEC", rows[-1]["SW_DEC"])


@R.rule("SW12STG2", fields=("SW_DECOM",))
def social_worker_episodes_do_not_cover_the_year(ret):
    """A child looked after on 31 March: their social worker episodes must cover the year from
    1 April, or from when they started to be looked after in the year if later (earlier episodes,
    while not looked after, count). The DfE's tool compares each episode with each social worker
    episode; this is its intent, read from the message."""
    start, _ = year_bounds(ret.year)
    looked_after = _looked_after_at_year_end(ret)
    workers = _sw_episodes(ret)
    for child, episodes in _episodes(ret).items():
        if child not in looked_after:
            continue
        from_ = max(start, _date(episodes[0]["DECOM"]) or start)
        starts = [d for d in (_date(r["SW_DECOM"]) for r in workers.get(child, [])) if d]
        if not starts or min(starts) > from_:
            yield Hit(child, "SW_DECOM", min(starts).strftime("%d/%m/%Y") if starts else "")


@R.rule("SW13STG1", fields=("SW_REASON",), needs=("SW_REASON",))
def social_worker_change_reason_not_valid(ret):
    for row in ret.rows("sw_episodes"):
        if not _blank(row["SW_REASON"]) and row["SW_REASON"] not in SW_REASONS:
            yield Hit(row["CHILD"], "SW_REASON", row["SW_REASON"])


@R.rule("SW17STG2", fields=("SW_DEC", "SW_DECOM"))
def no_social_worker_episode_open_at_31_march(ret):
    """For a child looked after on 31 March."""
    workers = _sw_episodes(ret)
    for child in sorted(_looked_after_at_year_end(ret)):
        if not any(_blank(r["SW_DEC"]) for r in workers.get(child, [])):
            yield Hit(child, "SW_DEC")


@R.rule("SW18STG2", fields=("SW_DEC", "SW_DECOM"))
def social_worker_episode_ends_before_it_starts(ret):
    for row in ret.rows("sw_episodes"):
        started, ended = _date(row["SW_DECOM"]), _date(row["SW_DEC"])
        if started and ended and ended < started:
            yield Hit(row["CHILD"], "SW_DEC", row["SW_DEC"])


@R.rule("SW19STG2", fields=("SW_DEC", "SW_DECOM"))
def two_social_worker_episodes_start_the_same_day(ret):
    seen = set()
    for row in ret.rows("sw_episodes"):
        key = (row["CHILD"], row["SW_DECOM"])
        if key in seen:
            yield Hit(row["CHILD"], "SW_DECOM", row["SW_DECOM"])
        seen.add(key)
