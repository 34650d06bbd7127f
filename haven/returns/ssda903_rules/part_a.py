"""SSDA903 rules over the header, UASC, reviews, missing, OC2 and OC3 tables, and the rules that
compare them with the episodes or with last year's return (``ret.previous``).

Every value is the string the CSV file holds ("" for blank). In the CSV return the header has no
UASC column: a child's UASC status is a row in the UASC table (as the DfE's CSV loader reads it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from itertools import pairwise

from haven.core.calendar import age_on, birthday
from haven.core.codes import Ethnicity, Sex
from haven.core.codes.looked_after import (
    ADOPTED,
    AccommodationType,
    Activity,
    InTouch,
    MissingKind,
    Participation,
    SDQReason,
)
from haven.returns.rules import Hit
from haven.returns.ssda903 import year_bounds

from .common import SHORT_BREAKS, continuously_looked_after, in_year
from .common import by_child as _by_child
from .common import date as _date
from .registry import SSDA903_2027 as R

UPN_UNKNOWN = {"UN1", "UN2", "UN3", "UN4", "UN5"}
UPN_FORMAT = re.compile(r"^[A-HJ-NP-RT-Z](\d{12}|\d{11}[A-Z])$")
OC3_ITEMS = ("IN_TOUCH", "ACTIV", "ACCOM")
OC2_ITEMS = ("CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT",
             "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")
OC2_CORE = ("IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE")
NOT_HELD_OC2 = ("CONVICTED", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")
# ACCOM: the accommodation letter, then 1 (suitable) or 2 (not suitable); S (no fixed abode) and
# X (in custody) are never suitable; "0" where the young person died or returned home (344).
ACCOM_CODES = {f"{k}{n}" for k in AccommodationType.values for n in "12"} - {"S1", "X1"} | {"0"}
ACTIV_CODES = set(Activity.values) | {"0"}


# Helpers ----------------------------------------------------------------------------------

def _filled(value: str | None) -> bool:
    return bool((value or "").strip())


def _turns(dob: str, years: int) -> dt.date | None:
    """The day a child born on ``dob`` (DD/MM/YYYY) turns ``years``; None without a valid DOB."""
    born = _date(dob)
    return birthday(born, years) if born else None


def _previous_returns(ret) -> Iterator:
    """This return, then last year's, and so on as far as they were built."""
    while ret is not None:
        yield ret
        ret = ret.previous


def _episodes_over_years(ret) -> dict[str, list[dict]]:
    """Every child's episodes in this return and the previous ones loaded (an episode open at
    one year end appears in both years: the latest copy, the one with its end, is kept), in
    order of start."""
    seen: dict[tuple[str, str], dict] = {}
    for r in _previous_returns(ret):
        for e in r.rows("episodes"):
            seen.setdefault((e["CHILD"], e["DECOM"]), e)
    out = _by_child(seen.values())
    for eps in out.values():
        eps.sort(key=lambda e: _date(e["DECOM"]) or dt.date.min)
    return out


def _continuously_looked_after(ret) -> set[str]:
    return continuously_looked_after(ret.rows("episodes"), *year_bounds(ret.year))


def _uasc(ret) -> set[str]:
    """Children with UASC status in the return: a UASC row with anything beyond the child's ID
    and date of birth (as the DfE reads the CSV files)."""
    return {r["CHILD"] for r in ret.rows("uasc") if _filled(r["SEX"]) or _filled(r["DUC"])}


def _oc3_completed(row: dict) -> bool:
    return any(_filled(row[item]) for item in OC3_ITEMS)


def _latest(episodes: list[dict]) -> dict | None:
    dated = [e for e in episodes if _date(e["DECOM"])]
    return max(dated, key=lambda e: _date(e["DECOM"])) if dated else None


# Header -----------------------------------------------------------------------------------

@R.rule("101", fields=("SEX",))
def sex_is_not_a_valid_code(ret):
    for r in ret.rows("header"):
        if r["SEX"] not in Sex.values:
            yield Hit(r["CHILD"], "SEX", r["SEX"])


@R.rule("102", fields=("DOB",))
def date_of_birth_is_not_a_valid_date(ret):
    for r in ret.rows("header"):
        if _date(r["DOB"]) is None:
            yield Hit(r["CHILD"], "DOB", r["DOB"])


@R.rule("103", fields=("ETHNIC",))
def ethnicity_is_not_a_valid_code(ret):
    for r in ret.rows("header"):
        if r["ETHNIC"] not in Ethnicity.values:
            yield Hit(r["CHILD"], "ETHNIC", r["ETHNIC"])


@R.rule("168", fields=("UPN",))
def upn_is_not_valid(ret):
    """A UPN is a check letter (not I, O or S) then 12 digits, or 11 digits and a letter for a
    temporary UPN; UN1 to UN5 where it is not known. Blank is rule 442's."""
    for r in ret.rows("header"):
        upn = r["UPN"]
        if _filled(upn) and upn not in UPN_UNKNOWN and not UPN_FORMAT.match(upn):
            yield Hit(r["CHILD"], "UPN", upn)


@R.rule("171", fields=("MC_DOB",), needs=("MC_DOB",))
def mothers_child_date_of_birth_is_not_a_valid_date(ret):
    for r in ret.rows("header"):
        if _filled(r["MC_DOB"]) and _date(r["MC_DOB"]) is None:
            yield Hit(r["CHILD"], "MC_DOB", r["MC_DOB"])


@R.rule("174", fields=("MC_DOB", "SEX"), needs=("MC_DOB",))
def mothers_child_date_of_birth_for_a_male(ret):
    for r in ret.rows("header"):
        if r["SEX"] == Sex.MALE and _filled(r["MC_DOB"]):
            yield Hit(r["CHILD"], "MC_DOB", r["MC_DOB"])


@R.rule("209", fields=("DOB", "UPN"))
def school_age_child_with_upn_un1(ret):
    """UN1 is for a child not yet of school age: a child 4 or over on 31 August before the year
    preceding the collection year (the validator's reference date) is of school age."""
    start, _ = year_bounds(ret.year)
    reference = dt.date(start.year - 1, 8, 31)
    for r in ret.rows("header"):
        fourth = _turns(r["DOB"], 4)
        if r["UPN"] == "UN1" and fourth and fourth <= reference:
            yield Hit(r["CHILD"], "UPN", r["UPN"])


@R.rule("231", fields=("DOB", "UASC_STATUS"))
def uasc_child_under_11(ret):
    _, end = year_bounds(ret.year)
    uasc = _uasc(ret)
    for r in ret.rows("header"):
        eleventh = _turns(r["DOB"], 11)
        if r["CHILD"] in uasc and eleventh and eleventh > end:
            yield Hit(r["CHILD"], "DOB", r["DOB"])


@R.rule("232", fields=("SEX",))
def sex_reported_as_unknown(ret):
    for r in ret.rows("header"):
        if r["SEX"].upper() == Sex.UNKNOWN:
            yield Hit(r["CHILD"], "SEX", r["SEX"])


@R.rule("301", fields=("DOB",))
def date_of_birth_after_the_year_end(ret):
    _, end = year_bounds(ret.year)
    for r in ret.rows("header"):
        born = _date(r["DOB"])
        if born and born > end:
            yield Hit(r["CHILD"], "DOB", r["DOB"])


@R.rule("351", fields=("DOB",))
def over_25_at_the_start_of_the_year(ret):
    start, _ = year_bounds(ret.year)
    for r in ret.rows("header"):
        turned_25 = _turns(r["DOB"], 25)
        if turned_25 and turned_25 < start:
            yield Hit(r["CHILD"], "DOB", r["DOB"])


def _looked_after_other_than_short_breaks(ret) -> set[str]:
    return {e["CHILD"] for e in ret.rows("episodes") if e["LS"] not in SHORT_BREAKS}


@R.rule("393", fields=("MOTHER",))
def looked_after_girl_without_mother_status(ret):
    looked_after = _looked_after_other_than_short_breaks(ret)
    for r in ret.rows("header"):
        if r["SEX"] == Sex.FEMALE and r["CHILD"] in looked_after and not _filled(r["MOTHER"]):
            yield Hit(r["CHILD"], "MOTHER")


@R.rule("442", fields=("UPN",))
def upn_not_completed(ret):
    looked_after = _looked_after_other_than_short_breaks(ret)
    for r in ret.rows("header"):
        if r["CHILD"] in looked_after and not _filled(r["UPN"]):
            yield Hit(r["CHILD"], "UPN")


@R.rule("444", fields=("UPN",))
def duplicate_upn(ret):
    """The same UPN (not an unknown code) for more than one child: each of them is reported."""
    children: dict[str, set[str]] = {}
    for r in ret.rows("header"):
        upn = r["UPN"].strip().upper()
        if upn and upn not in UPN_UNKNOWN:
            children.setdefault(upn, set()).add(r["CHILD"])
    for upn, ids in children.items():
        if len(ids) > 1:
            for child in sorted(ids):
                yield Hit(child, "UPN", upn)


# Header compared with last year's ---------------------------------------------------------

def _header_pairs(ret) -> Iterator[tuple[dict, dict]]:
    """(this year's header row, last year's) for each child in both; nothing without last
    year's return."""
    if ret.previous is None:
        return
    last = {r["CHILD"]: r for r in ret.previous.rows("header")}
    for r in ret.rows("header"):
        if r["CHILD"] in last:
            yield r, last[r["CHILD"]]


@R.rule("202", fields=("SEX",))
def sex_differs_from_last_year(ret):
    for now, last in _header_pairs(ret):
        if now["SEX"] != last["SEX"]:
            yield Hit(now["CHILD"], "SEX", f"{last['SEX']} → {now['SEX']}")


@R.rule("203", fields=("DOB",))
def date_of_birth_differs_from_last_year(ret):
    for now, last in _header_pairs(ret):
        if (_date(now["DOB"]) or now["DOB"]) != (_date(last["DOB"]) or last["DOB"]):
            yield Hit(now["CHILD"], "DOB", f"{last['DOB']} → {now['DOB']}")


@R.rule("204", fields=("ETHNIC",))
def ethnicity_differs_from_last_year(ret):
    for now, last in _header_pairs(ret):
        if now["ETHNIC"].upper() != last["ETHNIC"].upper():
            yield Hit(now["CHILD"], "ETHNIC", f"{last['ETHNIC']} → {now['ETHNIC']}")


@R.rule("207", fields=("MOTHER",))
def mother_last_year_but_not_this_year(ret):
    """A child recorded as a mother last year who is looked after this year (has episodes) and
    is not recorded as a mother now."""
    with_episodes = {e["CHILD"] for e in ret.rows("episodes")}
    for now, last in _header_pairs(ret):
        if last["MOTHER"] == "1" and now["MOTHER"] != "1" and now["CHILD"] in with_episodes:
            yield Hit(now["CHILD"], "MOTHER", f"{last['MOTHER']} → {now['MOTHER']}")


def _upn_change_allowed(last: str, now: str) -> bool:
    """A UPN may change only from unknown (blank or a UN code) to a UPN, or from blank or UN1
    (not yet of school age) to another unknown code."""
    last_unknown = not last or last in UPN_UNKNOWN
    if last_unknown and now and now not in UPN_UNKNOWN:
        return True
    return last in ("", "UN1") and now in UPN_UNKNOWN


@R.rule("208", fields=("UPN",))
def upn_differs_from_last_year(ret):
    for now, last in _header_pairs(ret):
        upn, upn_last = now["UPN"].strip().upper(), last["UPN"].strip().upper()
        if upn != upn_last and not _upn_change_allowed(upn_last, upn):
            yield Hit(now["CHILD"], "UPN", f"{last['UPN']} → {now['UPN']}")


# UASC -------------------------------------------------------------------------------------

@R.rule("104", fields=("DUC",))
def date_uasc_ceased_is_not_valid(ret):
    """Not a date, or before the collection year (the validator's reading)."""
    start, _ = year_bounds(ret.year)
    for r in ret.rows("uasc"):
        duc = _date(r["DUC"])
        if _filled(r["DUC"]) and (duc is None or duc < start):
            yield Hit(r["CHILD"], "DUC", r["DUC"])


@R.rule("304", fields=("DUC",))
def date_uasc_ceased_after_18th_birthday(ret):
    for r in ret.rows("uasc"):
        duc, eighteenth = _date(r["DUC"]), _turns(r["DOB"], 18)
        if duc and eighteenth and duc > eighteenth:
            yield Hit(r["CHILD"], "DUC", r["DUC"])


R.cannot_run("105", "The CSV return has no UASC status column to code: a child's UASC status is "
                    "their row in the UASC table (the DfE checks this item in XML returns only)")
R.cannot_run("303", "The CSV return has no UASC status column: a date UASC ceased is in the UASC "
                    "table row that is itself the child's UASC status, so it cannot disagree")
R.cannot_run("205C", "The CSV return has no UASC status column: a date UASC ceased is in the UASC "
                     "table row that is itself the child's UASC status, so a child with one is UASC")


def _uasc_rows(ret) -> dict[str, dict]:
    return {r["CHILD"]: r for r in ret.rows("uasc")}


@R.rule("205A", fields=("CHILD", "UASC"))
def uasc_last_year_not_this_year_without_ceasing(ret):
    """UASC last year and not this year: last year's date UASC ceased must fall in last year.
    Only children looked after this year: a care leaver's UASC details are not required (1014),
    so one who left care last year is not in this year's UASC table whatever the date ceased."""
    if ret.previous is None:
        return
    start, end = year_bounds(ret.year - 1)
    last = _uasc_rows(ret.previous)
    uasc_last, uasc_now = _uasc(ret.previous), _uasc(ret)
    looked_after = {e["CHILD"] for e in ret.rows("episodes")}
    for r in ret.rows("header"):
        child = r["CHILD"]
        if child in uasc_last and child not in uasc_now and child in looked_after:
            duc = _date(last[child]["DUC"])
            if duc is None or not start <= duc <= end:
                yield Hit(child, "UASC", last[child]["DUC"])


@R.rule("205B", fields=("DUC", "UASC"))
def uasc_both_years_dates_ceased_disagree(ret):
    """UASC in both years: last year's date ceased must be the 18th birthday (status had not
    ceased), and this year's must be the same date or fall in this year."""
    if ret.previous is None:
        return
    start, end = year_bounds(ret.year)
    last = _uasc_rows(ret.previous)
    uasc_last, uasc_now = _uasc(ret.previous), _uasc(ret)
    for child, r in _uasc_rows(ret).items():
        if child not in uasc_now or child not in uasc_last:
            continue
        duc, duc_last = _date(r["DUC"]), _date(last[child]["DUC"])
        this_year_ok = duc is not None and (start <= duc <= end or duc == duc_last)
        last_year_ok = duc_last is not None and duc_last == _turns(last[child]["DOB"], 18)
        if not (this_year_ok and last_year_ok):
            yield Hit(child, "DUC", r["DUC"])


@R.rule("205D", fields=("CHILD", "UASC"))
def uasc_this_year_not_last_year(ret):
    if ret.previous is None:
        return
    in_last = {r["CHILD"] for r in ret.previous.rows("header")}
    uasc_last, uasc_now = _uasc(ret.previous), _uasc(ret)
    for r in ret.rows("header"):
        child = r["CHILD"]
        if child in uasc_now and child in in_last and child not in uasc_last:
            yield Hit(child, "UASC")


@R.rule("1014", fields=("ACCOM", "ACTIV", "DUC", "IN_TOUCH"))
def uasc_information_for_a_care_leaver(ret):
    """A care leaver (OC3 completed, no episode in the year) with a UASC row."""
    start, end = year_bounds(ret.year)
    in_care = {e["CHILD"] for e in ret.rows("episodes") if in_year(e, start, end)}
    uasc = _uasc(ret)
    for r in ret.rows("oc3"):
        if r["CHILD"] in uasc and r["CHILD"] not in in_care and _oc3_completed(r):
            yield Hit(r["CHILD"], "DUC")


# Reviews ----------------------------------------------------------------------------------

@R.rule("166", fields=("REVIEW",))
def review_date_invalid_or_blank(ret):
    for r in ret.rows("reviews"):
        if _date(r["REVIEW"]) is None:
            yield Hit(r["CHILD"], "REVIEW", r["REVIEW"])


@R.rule("167", fields=("REVIEW_CODE",))
def participation_invalid_or_blank(ret):
    """A review needs a valid participation code; a code needs a review date."""
    for r in ret.rows("reviews"):
        if _filled(r["REVIEW"]):
            bad = r["REVIEW_CODE"] not in Participation.values
        else:
            bad = _filled(r["REVIEW_CODE"])
        if bad:
            yield Hit(r["CHILD"], "REVIEW_CODE", r["REVIEW"])


@R.rule("440", fields=("DOB", "REVIEW", "REVIEW_CODE"))
def pn0_for_a_child_aged_4_or_over(ret):
    for r in ret.rows("reviews"):
        review, fourth = _date(r["REVIEW"]), _turns(r["DOB"], 4)
        if r["REVIEW_CODE"] == Participation.PN0 and review and fourth and review >= fourth:
            yield Hit(r["CHILD"], "REVIEW_CODE", r["REVIEW"])


@R.rule("441", fields=("DOB", "REVIEW", "REVIEW_CODE"))
def participation_for_a_child_under_4(ret):
    for r in ret.rows("reviews"):
        review, fourth = _date(r["REVIEW"]), _turns(r["DOB"], 4)
        over_4_code = r["REVIEW_CODE"] in Participation.values and r["REVIEW_CODE"] != Participation.PN0
        if over_4_code and review and fourth and review < fourth:
            yield Hit(r["CHILD"], "REVIEW_CODE", r["REVIEW"])


# Missing ----------------------------------------------------------------------------------

@R.rule("1004", fields=("MIS_START",))
def missing_start_not_a_valid_date(ret):
    for r in ret.rows("missing"):
        if _date(r["MIS_START"]) is None:
            yield Hit(r["CHILD"], "MIS_START", r["MIS_START"])


@R.rule("1005", fields=("MIS_END",))
def missing_end_not_a_valid_date(ret):
    for r in ret.rows("missing"):
        if _filled(r["MIS_END"]) and _date(r["MIS_END"]) is None:
            yield Hit(r["CHILD"], "MIS_END", r["MIS_END"])


@R.rule("1006", fields=("MISSING",))
def missing_type_invalid(ret):
    for r in ret.rows("missing"):
        if _filled(r["MISSING"]) and r["MISSING"] not in MissingKind.values:
            yield Hit(r["CHILD"], "MISSING", r["MIS_START"])


@R.rule("564", fields=("MISSING", "MIS_START"))
def missing_without_a_start_date(ret):
    for r in ret.rows("missing"):
        if r["MISSING"].upper() in MissingKind.values and not _filled(r["MIS_START"]):
            yield Hit(r["CHILD"], "MIS_START")


@R.rule("565", fields=("MISSING", "MIS_START"))
def missing_start_without_type(ret):
    for r in ret.rows("missing"):
        if _filled(r["MIS_START"]) and not _filled(r["MISSING"]):
            yield Hit(r["CHILD"], "MISSING", r["MIS_START"])


@R.rule("566", fields=("MISSING", "MIS_END"))
def missing_end_without_type(ret):
    for r in ret.rows("missing"):
        if _filled(r["MIS_END"]) and not _filled(r["MISSING"]):
            yield Hit(r["CHILD"], "MISSING", r["MIS_START"])


@R.rule("567", fields=("MIS_END", "MIS_START"))
def missing_ends_before_it_starts(ret):
    for r in ret.rows("missing"):
        began, ended = _date(r["MIS_START"]), _date(r["MIS_END"])
        if began and ended and ended < began:
            yield Hit(r["CHILD"], "MIS_END", r["MIS_START"])


@R.rule("570", fields=("MIS_START",))
def missing_starts_after_the_year(ret):
    _, end = year_bounds(ret.year)
    for r in ret.rows("missing"):
        began = _date(r["MIS_START"])
        if began and began > end:
            yield Hit(r["CHILD"], "MIS_START", r["MIS_START"])


@R.rule("571", fields=("MIS_END",))
def missing_ends_outside_the_year(ret):
    start, end = year_bounds(ret.year)
    for r in ret.rows("missing"):
        ended = _date(r["MIS_END"])
        if ended and not start <= ended <= end:
            yield Hit(r["CHILD"], "MIS_END", r["MIS_START"])


@R.rule("574", fields=("MIS_END", "MIS_START"))
def missing_periods_overlap(ret):
    """In order of end (an open period in order of its start), a period starts while the one
    before it is still open or before it ended."""
    for child, rows in _by_child(ret.rows("missing")).items():
        dated = [(_date(r["MIS_START"]), _date(r["MIS_END"]), r) for r in rows if _date(r["MIS_START"])]
        dated.sort(key=lambda t: (t[1] or t[0], t[0]))
        for (_, prev_end, _), (began, _, r) in pairwise(dated):
            if prev_end is None or began < prev_end:
                yield Hit(child, "MIS_START", r["MIS_START"])


@R.rule("575", fields=("MIS_END",))
def missing_open_after_its_placement_ended(ret):
    """A missing period still open that started during an episode whose placement has ended:
    the episode has an end date and the next one is not a change of legal status only (RNE L,
    same placement)."""
    episodes = _by_child(ret.rows("episodes"))
    for r in ret.rows("missing"):
        began = _date(r["MIS_START"])
        if began is None or _filled(r["MIS_END"]):
            continue
        eps = sorted(episodes.get(r["CHILD"], []), key=lambda e: _date(e["DECOM"]) or dt.date.min)
        for e, following in zip(eps, eps[1:] + [None], strict=True):
            decom, dec = _date(e["DECOM"]), _date(e["DEC"])
            if not (decom and dec and decom <= began <= dec):
                continue
            same_placement = following is not None and following["RNE"] == "L" and following["DECOM"] == e["DEC"]
            if not same_placement:
                yield Hit(r["CHILD"], "MIS_END", r["MIS_START"])
                break


# OC2 --------------------------------------------------------------------------------------

def _oc2_with_ages(ret) -> Iterator[tuple[dict, dt.date]]:
    """OC2 rows with the child's date of birth (rows without a valid one are rule 102's)."""
    for r in ret.rows("oc2"):
        born = _date(r["DOB"])
        if born:
            yield r, born


@R.rule("157", fields=("DOB", "SDQ_REASON"))
def sdq1_for_a_child_of_sdq_age(ret):
    """SDQ1 (under 4 or over 17) for a child continuously looked after, 4 or over at the start
    of the year and 16 or under at the end, with no score."""
    start, end = year_bounds(ret.year)
    cla = _continuously_looked_after(ret)
    for r, born in _oc2_with_ages(ret):
        of_age = birthday(born, 4) <= start and birthday(born, 17) > end
        if r["CHILD"] in cla and of_age and not _filled(r["SDQ_SCORE"]) and r["SDQ_REASON"] == SDQReason.SDQ1:
            yield Hit(r["CHILD"], "SDQ_REASON", r["SDQ_REASON"])


@R.rule("158", fields=("INTERVENTION_OFFERED", "INTERVENTION_RECEIVED"),
        needs=("INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"))
def intervention_offered_when_received(ret):
    for r in ret.rows("oc2"):
        if r["INTERVENTION_RECEIVED"] == "1" and _filled(r["INTERVENTION_OFFERED"]):
            yield Hit(r["CHILD"], "INTERVENTION_OFFERED", r["INTERVENTION_OFFERED"])


@R.rule("159", fields=("INTERVENTION_OFFERED", "INTERVENTION_RECEIVED", "SUBSTANCE_MISUSE"),
        needs=("SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"))
def intervention_offered_blank_when_not_received(ret):
    for r in ret.rows("oc2"):
        if r["SUBSTANCE_MISUSE"] == "1" and r["INTERVENTION_RECEIVED"] == "0" and not _filled(r["INTERVENTION_OFFERED"]):
            yield Hit(r["CHILD"], "INTERVENTION_OFFERED")


@R.rule("180", fields=("SDQ_SCORE",))
def sdq_score_invalid(ret):
    """The SDQ total difficulties score is a whole number from 0 to 40."""
    for r in ret.rows("oc2"):
        score = r["SDQ_SCORE"].strip()
        if score and not (score.isdigit() and int(score) <= 40):
            yield Hit(r["CHILD"], "SDQ_SCORE", score)


@R.rule("181", fields=OC2_ITEMS, needs=NOT_HELD_OC2)
def oc2_items_not_0_or_1(ret):
    for r in ret.rows("oc2"):
        for item in OC2_ITEMS:
            if _filled(r[item]) and r[item] not in ("0", "1"):
                yield Hit(r["CHILD"], item, r[item])


@R.rule("182", fields=OC2_ITEMS, needs=NOT_HELD_OC2)
def oc2_items_partly_completed(ret):
    """Any of immunisations, teeth check, health assessment and substance misuse blank while
    another OC2 item is completed."""
    others = ("CONVICTED", "HEALTH_CHECK", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")
    for r in ret.rows("oc2"):
        blank = [item for item in OC2_CORE if not _filled(r[item])]
        if blank and any(_filled(r[item]) for item in others):
            yield Hit(r["CHILD"], blank[0])


@R.rule("185", fields=("SDQ_SCORE",))
def sdq_score_when_not_continuously_looked_after(ret):
    cla = _continuously_looked_after(ret)
    for r in ret.rows("oc2"):
        if _filled(r["SDQ_SCORE"]) and r["CHILD"] not in cla:
            yield Hit(r["CHILD"], "SDQ_SCORE", r["SDQ_SCORE"])


@R.rule("186", fields=("SDQ_SCORE",), at_year_end=True)
def sdq_score_missing(ret):
    """4 or over at the start of the year, under 17 at the end, continuously looked after, and
    neither a score nor a reason for no score."""
    start, end = year_bounds(ret.year)
    cla = _continuously_looked_after(ret)
    for r, born in _oc2_with_ages(ret):
        of_age = birthday(born, 4) <= start and birthday(born, 17) > end
        if of_age and r["CHILD"] in cla and not _filled(r["SDQ_SCORE"]) and not _filled(r["SDQ_REASON"]):
            yield Hit(r["CHILD"], "SDQ_SCORE")


@R.rule("188", fields=("SDQ_REASON", "SDQ_SCORE"))
def sdq_for_a_child_under_4(ret):
    _, end = year_bounds(ret.year)
    for r, born in _oc2_with_ages(ret):
        if birthday(born, 4) > end and (_filled(r["SDQ_SCORE"]) or _filled(r["SDQ_REASON"])):
            yield Hit(r["CHILD"], "SDQ_SCORE" if _filled(r["SDQ_SCORE"]) else "SDQ_REASON")


@R.rule("189", fields=("DOB", "SDQ_REASON", "SDQ_SCORE"))
def sdq_for_a_child_17_or_over(ret):
    start, _ = year_bounds(ret.year)
    for r, born in _oc2_with_ages(ret):
        if birthday(born, 17) <= start and (_filled(r["SDQ_SCORE"]) or _filled(r["SDQ_REASON"])):
            yield Hit(r["CHILD"], "SDQ_SCORE" if _filled(r["SDQ_SCORE"]) else "SDQ_REASON")


@R.rule("190", fields=OC2_ITEMS, needs=NOT_HELD_OC2)
def oc2_items_when_not_continuously_looked_after(ret):
    cla = _continuously_looked_after(ret)
    for r in ret.rows("oc2"):
        completed = [item for item in OC2_ITEMS if _filled(r[item])]
        if completed and r["CHILD"] not in cla:
            yield Hit(r["CHILD"], completed[0], r[completed[0]])


@R.rule("191", fields=("CHILD",) + OC2_CORE, needs=("SUBSTANCE_MISUSE",), at_year_end=True)
def oc2_items_blank_when_continuously_looked_after(ret):
    """A child continuously looked after needs an OC2 row with immunisations, teeth check,
    health assessment and substance misuse completed."""
    cla = _continuously_looked_after(ret)
    oc2 = {r["CHILD"]: r for r in ret.rows("oc2")}
    for child in sorted(cla):
        r = oc2.get(child)
        if r is None:
            yield Hit(child, "CHILD")
            continue
        blank = [item for item in OC2_CORE if not _filled(r[item])]
        if blank:
            yield Hit(child, blank[0])


@R.rule("192", fields=("INTERVENTION_RECEIVED", "SUBSTANCE_MISUSE"),
        needs=("SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED"))
def substance_misuse_without_intervention_received(ret):
    for r in ret.rows("oc2"):
        if r["SUBSTANCE_MISUSE"] == "1" and not _filled(r["INTERVENTION_RECEIVED"]):
            yield Hit(r["CHILD"], "INTERVENTION_RECEIVED")


@R.rule("193", fields=("INTERVENTION_OFFERED", "INTERVENTION_RECEIVED", "SUBSTANCE_MISUSE"),
        needs=("SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"))
def intervention_without_substance_misuse(ret):
    for r in ret.rows("oc2"):
        no_misuse = r["SUBSTANCE_MISUSE"] in ("", "0")
        if no_misuse and (_filled(r["INTERVENTION_RECEIVED"]) or _filled(r["INTERVENTION_OFFERED"])):
            yield Hit(r["CHILD"], "SUBSTANCE_MISUSE", r["SUBSTANCE_MISUSE"])


@R.rule("196", fields=("SDQ_REASON",))
def sdq_reason_invalid(ret):
    for r in ret.rows("oc2"):
        if _filled(r["SDQ_REASON"]) and r["SDQ_REASON"] not in SDQReason.values:
            yield Hit(r["CHILD"], "SDQ_REASON", r["SDQ_REASON"])


@R.rule("197B", fields=("DOB", "SDQ_REASON"), at_year_end=True)
def sdq_missing_for_a_child_turning_4_or_17(ret):
    """A child continuously looked after whose 4th or 17th birthday is in the year needs a score
    or a reason for none. A child whose 17th birthday is the first day of the year is 17 at its
    start, and then must not have one (189)."""
    start, end = year_bounds(ret.year)
    cla = _continuously_looked_after(ret)
    for r, born in _oc2_with_ages(ret):
        turning = start <= birthday(born, 4) <= end or start < birthday(born, 17) <= end
        if turning and r["CHILD"] in cla and not _filled(r["SDQ_SCORE"]) and not _filled(r["SDQ_REASON"]):
            yield Hit(r["CHILD"], "SDQ_REASON")


@R.rule("197a", fields=("SDQ_REASON", "SDQ_SCORE"))
def sdq_reason_with_a_score(ret):
    for r in ret.rows("oc2"):
        if _filled(r["SDQ_SCORE"]) and _filled(r["SDQ_REASON"]):
            yield Hit(r["CHILD"], "SDQ_REASON", r["SDQ_REASON"])


@R.rule("198", fields=("SDQ_REASON",))
def sdq_reason_when_not_continuously_looked_after(ret):
    cla = _continuously_looked_after(ret)
    for r in ret.rows("oc2"):
        if _filled(r["SDQ_REASON"]) and r["CHILD"] not in cla:
            yield Hit(r["CHILD"], "SDQ_REASON", r["SDQ_REASON"])


@R.rule("542", fields=("CONVICTED",), needs=("CONVICTED",))
def conviction_for_a_child_under_10(ret):
    _, end = year_bounds(ret.year)
    for r, born in _oc2_with_ages(ret):
        if birthday(born, 10) > end and _filled(r["CONVICTED"]):
            yield Hit(r["CHILD"], "CONVICTED", r["CONVICTED"])


@R.rule("543", fields=("CONVICTED", "DOB"), needs=("CONVICTED",), at_year_end=True)
def conviction_missing_for_a_child_10_or_over(ret):
    _, end = year_bounds(ret.year)
    cla = _continuously_looked_after(ret)
    for r, born in _oc2_with_ages(ret):
        if birthday(born, 10) <= end and r["CHILD"] in cla and not _filled(r["CONVICTED"]):
            yield Hit(r["CHILD"], "CONVICTED")


@R.rule("544", fields=("CONVICTED",) + OC2_CORE, needs=("CONVICTED", "SUBSTANCE_MISUSE"))
def conviction_without_the_other_oc2_items(ret):
    for r in ret.rows("oc2"):
        blank = [item for item in OC2_CORE if not _filled(r[item])]
        if r["CONVICTED"] == "1" and blank:
            yield Hit(r["CHILD"], blank[0])


@R.rule("545", fields=("DOB", "HEALTH_CHECK"), at_year_end=True)
def health_check_missing_for_a_child_under_5(ret):
    _, end = year_bounds(ret.year)
    cla = _continuously_looked_after(ret)
    for r, born in _oc2_with_ages(ret):
        if birthday(born, 5) > end and r["CHILD"] in cla and not _filled(r["HEALTH_CHECK"]):
            yield Hit(r["CHILD"], "HEALTH_CHECK")


@R.rule("546", fields=("DOB", "HEALTH_CHECK"))
def health_check_for_a_child_5_or_over(ret):
    _, end = year_bounds(ret.year)
    cla = _continuously_looked_after(ret)
    for r, born in _oc2_with_ages(ret):
        if birthday(born, 5) <= end and r["CHILD"] in cla and _filled(r["HEALTH_CHECK"]):
            yield Hit(r["CHILD"], "HEALTH_CHECK", r["HEALTH_CHECK"])


@R.rule("547", fields=("HEALTH_CHECK",) + OC2_CORE, needs=("SUBSTANCE_MISUSE",))
def health_check_without_the_other_oc2_items(ret):
    for r in ret.rows("oc2"):
        blank = [item for item in OC2_CORE if not _filled(r[item])]
        if r["HEALTH_CHECK"] == "1" and blank:
            yield Hit(r["CHILD"], blank[0])


@R.rule("215", fields=OC3_ITEMS + OC2_ITEMS, needs=NOT_HELD_OC2)
def care_leaver_with_oc2_items(ret):
    oc2 = {r["CHILD"]: r for r in ret.rows("oc2")}
    for r in ret.rows("oc3"):
        other = oc2.get(r["CHILD"])
        if other and _oc3_completed(r) and any(_filled(other[item]) for item in OC2_ITEMS):
            yield Hit(r["CHILD"], "IN_TOUCH")


# OC3 --------------------------------------------------------------------------------------

@R.rule("131", fields=("IN_TOUCH",))
def in_touch_invalid(ret):
    """A code that is not valid (a blank is rule 153's: all three coded or all blank)."""
    for r in ret.rows("oc3"):
        if _filled(r["IN_TOUCH"]) and r["IN_TOUCH"] not in InTouch.values:
            yield Hit(r["CHILD"], "IN_TOUCH", r["IN_TOUCH"])


@R.rule("132", fields=("ACTIV",))
def activity_invalid(ret):
    for r in ret.rows("oc3"):
        if _filled(r["ACTIV"]) and r["ACTIV"] not in ACTIV_CODES:
            yield Hit(r["CHILD"], "ACTIV", r["ACTIV"])


@R.rule("133", fields=("ACCOM",))
def accommodation_invalid(ret):
    for r in ret.rows("oc3"):
        if _filled(r["ACCOM"]) and r["ACCOM"] not in ACCOM_CODES:
            yield Hit(r["CHILD"], "ACCOM", r["ACCOM"])


@R.rule("153", fields=OC3_ITEMS)
def care_leaver_items_partly_completed(ret):
    for r in ret.rows("oc3"):
        blank = [item for item in OC3_ITEMS if not _filled(r[item])]
        if blank and len(blank) < len(OC3_ITEMS):
            yield Hit(r["CHILD"], blank[0])


@R.rule("344", fields=OC3_ITEMS)
def activity_or_accommodation_for_died_or_returned_home(ret):
    for r in ret.rows("oc3"):
        if r["IN_TOUCH"] in (InTouch.DIED, InTouch.RHOM):
            for item in ("ACTIV", "ACCOM"):
                if _filled(r[item]) and r[item] != "0":
                    yield Hit(r["CHILD"], item, r[item])


@R.rule("345", fields=OC3_ITEMS)
def in_touch_but_activity_or_accommodation_zero(ret):
    for r in ret.rows("oc3"):
        if r["IN_TOUCH"] == InTouch.YES:
            for item in ("ACTIV", "ACCOM"):
                if r[item] == "0":
                    yield Hit(r["CHILD"], item, r[item])


@R.rule("348", fields=("IN_TOUCH",))
def care_leaver_reported_as_died_last_year(ret):
    if ret.previous is None:
        return
    died = {r["CHILD"] for r in ret.previous.rows("oc3") if r["IN_TOUCH"] == InTouch.DIED}
    for r in ret.rows("oc3"):
        if r["CHILD"] in died and _filled(r["IN_TOUCH"]):
            yield Hit(r["CHILD"], "IN_TOUCH")


@R.rule("391", fields=("ACCOM", "ACTIV", "DOB", "IN_TOUCH"))
def care_leaver_not_17_to_21_in_the_year(ret):
    """Care leaver information for a young person who was not aged 17 to 21 at any time in the
    year: 17 only after the year ended, or 22 before it began."""
    start, end = year_bounds(ret.year)
    for r in ret.rows("oc3"):
        born = _date(r["DOB"])
        if born and _oc3_completed(r) and (birthday(born, 17) > end or birthday(born, 22) <= start):
            yield Hit(r["CHILD"], "DOB", r["DOB"])


@R.rule("1000", fields=OC3_ITEMS)
def care_leaver_who_died_in_care(ret):
    """An OC3 row for a child with an episode ending E2 (died) this year or last."""
    died = {e["CHILD"] for r in (ret, ret.previous) if r is not None
            for e in r.rows("episodes") if e["REC"].upper() == "E2"}
    for r in ret.rows("oc3"):
        if r["CHILD"] in died:
            yield Hit(r["CHILD"], "IN_TOUCH")


def _days_in_care_since(episodes: list[dict], since: dt.date, end: dt.date) -> int:
    """Days looked after from ``since`` (an open episode runs to the year end), short breaks
    (V3/V4) left out."""
    total = 0
    for e in episodes:
        decom = _date(e["DECOM"])
        if decom is None or e["LS"] in SHORT_BREAKS:
            continue
        dec = _date(e["DEC"]) or end
        total += max(0, (dec - max(decom, since)).days)
    return total


def _loaded_from(ret) -> dt.date:
    """The first day of the earliest collection year loaded (this return and the previous ones)."""
    return min(year_bounds(r.year)[0] for r in _previous_returns(ret))


@R.rule("1001", fields=OC3_ITEMS)
def care_leaver_not_relevant_or_former_relevant(ret):
    """A care leaver must have been looked after for at least 13 weeks (91 days) since their
    14th birthday, some of it after their 16th, and not have left care by adoption. Judged on
    the years loaded (this year's return and the previous ones), and only where they tell: the
    time since the 16th (or 14th) birthday is counted only when the years loaded start on or
    before that birthday, so care before the loaded years never makes a false finding."""
    if ret.previous is None:
        return
    _, end = year_bounds(ret.year)
    loaded_from = _loaded_from(ret)
    episodes = _episodes_over_years(ret)
    for r in ret.rows("oc3"):
        born = _date(r["DOB"])
        if born is None:
            continue
        eps = episodes.get(r["CHILD"], [])
        latest = _latest(eps)
        adopted = latest is not None and latest["REC"] in ADOPTED
        sixteenth, fourteenth = birthday(born, 16), birthday(born, 14)
        none_after_16 = loaded_from <= sixteenth and _days_in_care_since(eps, sixteenth, end) < 1
        under_13_weeks = loaded_from <= fourteenth and _days_in_care_since(eps, fourteenth, end) < 91
        if adopted or none_after_16 or under_13_weeks:
            yield Hit(r["CHILD"], "IN_TOUCH")


@R.rule("1002", fields=OC3_ITEMS)
def care_leaver_with_no_episodes(ret):
    """An OC3 row for a young person with no episode in the years loaded, where those years
    start on or before their 16th birthday: a care leaver was looked after at 16 or 17, so
    their episodes would be there (older young people cannot be judged on the years loaded)."""
    if ret.previous is None:
        return
    loaded_from = _loaded_from(ret)
    episodes = _episodes_over_years(ret)
    for r in ret.rows("oc3"):
        born = _date(r["DOB"])
        if born and loaded_from <= birthday(born, 16) and r["CHILD"] not in episodes:
            yield Hit(r["CHILD"], "IN_TOUCH")


def _birthday_this_year(born: dt.date, end: dt.date) -> dt.date:
    """The child's last birthday on or before ``end``."""
    return birthday(born, age_on(born, end))


@R.rule("1007", fields=OC3_ITEMS)
def care_leaver_information_for_17_or_18_still_looked_after(ret):
    """Aged 17 or 18 at the year end and looked after on their last birthday (an episode open
    that day), with care leaver information completed."""
    _, end = year_bounds(ret.year)
    episodes = _by_child(ret.rows("episodes"))
    for r in ret.rows("oc3"):
        born = _date(r["DOB"])
        if born is None or not _oc3_completed(r) or age_on(born, end) not in (17, 18):
            continue
        day = _birthday_this_year(born, end)
        for e in episodes.get(r["CHILD"], []):
            decom, dec = _date(e["DECOM"]), _date(e["DEC"])
            if decom and decom <= day and (dec is None or dec > day):
                yield Hit(r["CHILD"], "IN_TOUCH")
                break


@R.rule("1010", fields=OC3_ITEMS)
def care_leaver_with_no_episodes_after_an_open_one(ret):
    """Last year's final episode was still open, this year has no episode, and OC3 is
    there."""
    if ret.previous is None:
        return
    now = {e["CHILD"] for e in ret.rows("episodes")}
    last = _by_child(ret.previous.rows("episodes"))
    for r in ret.rows("oc3"):
        final = _latest(last.get(r["CHILD"], []))
        if final is not None and not _filled(final["DEC"]) and r["CHILD"] not in now:
            yield Hit(r["CHILD"], "IN_TOUCH")


@R.rule("1011", fields=OC3_ITEMS)
def care_leaver_transferred_to_another_authority(ret):
    episodes = _by_child(ret.rows("episodes"))
    for r in ret.rows("oc3"):
        final = _latest(episodes.get(r["CHILD"], []))
        if final is not None and final["REC"] == "E3" and _oc3_completed(r):
            yield Hit(r["CHILD"], "IN_TOUCH")


@R.rule("1012", fields=("CHILD",))
def other_data_for_a_child_with_no_episodes(ret):
    """Rows in the tables about children looked after (reviews, missing, OC2, adoption, previous
    permanence) for a child with no episode this year."""
    with_episodes = {e["CHILD"] for e in ret.rows("episodes")}
    for table in ("placed_for_adoption", "missing", "reviews", "ad1", "previous_permanence", "oc2"):
        for r in ret.rows(table):
            if r["CHILD"] not in with_episodes:
                yield Hit(r["CHILD"], "CHILD", table)


@R.rule("1016", fields=OC3_ITEMS)
def care_leaver_information_for_17_or_18_who_left_after_birthday(ret):
    """Aged 17 (or 18) at the year end, with an episode ending on or after their 17th (18th)
    birthday, and care leaver information completed."""
    _, end = year_bounds(ret.year)
    episodes = _by_child(ret.rows("episodes"))
    for r in ret.rows("oc3"):
        born = _date(r["DOB"])
        if born is None or not _oc3_completed(r) or age_on(born, end) not in (17, 18):
            continue
        day = birthday(born, age_on(born, end))
        if any((_date(e["DEC"]) or dt.date.min) >= day for e in episodes.get(r["CHILD"], [])):
            yield Hit(r["CHILD"], "IN_TOUCH")


# Episodes over the years ------------------------------------------------------------------

@R.rule("199", fields=("CHILD",))
def episode_after_an_adoption(ret):
    """An episode this year that starts after an earlier episode (this year or an earlier year
    loaded) ended in adoption (E11/E12)."""
    current = {(e["CHILD"], e["DECOM"]) for e in ret.rows("episodes")}
    for child, eps in _episodes_over_years(ret).items():
        adopted = False
        for e in eps:
            if adopted and (child, e["DECOM"]) in current:
                yield Hit(child, "CHILD", e["DECOM"])
            adopted = adopted or e["REC"] in ADOPTED
