"""CIN census rules, first half of the DfE file (``reference/rules_cin_2025_26.tsv``, 100 to 8610),
over the census as built (``haven.returns.cin_data``).

One implementation serves data entry and the return where it can: the pure entry checks of
``haven.assessments.census`` (``check_referral``, ``check_closure``, ``check_assessment``),
which refuse a bad referral or assessment before it is saved, run here over each CINDetails
group through ``_entry_hits``: 1103, 1104, 1105, 2889, 4015 (activity before the referral),
4000, 8555Q, 8568, 8600, 8606, 8610 (the referral), 2990, 8565, 8585Q (the closure) and 8608
(the assessment). The others are written over the census: the plan checks of
``haven.plans.checks`` and ``haven.protection.services`` query the database, so they cannot
run over a return; the rules below keep their boundaries (a CIN plan may start the day a CP plan
ends, and the reverse) except where the DfE's are stricter (4014, see there).

``codes(name)`` (``common``) gives the DfE code lists from the schema
(``reference/CIN_schema_2024.xsd``); both halves of the rules use it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable

from haven.assessments import census as entry
from haven.core.calendar import add_months, is_working_day
from haven.core.validators import UPN_LETTERS, upn_check_letter
from haven.returns.cin_data import Census, Child, CINDetails
from haven.returns.rules import Hit, shared_in_run

from .common import codes, d, entry_child, episode_facts, episodes, in_year
from .registry import CIN_2026

SEXES = frozenset({"M", "F", "U"})  # Sex replaced GenderCurrent (and the schema's gendertype) in 2024-25
NO_DISABILITY = "NONE"


def _code_ranges(spec: str) -> frozenset[str]:
    out = set()
    for part in spec.split():
        first, _, last = part.partition("-")
        out.update(f"{n:03d}" for n in range(int(first), int(last or first) + 1))
    return frozenset(out)


# Rule 1530: characters 2-4 of a UPN are "a valid post April 1998 LA code or a recognised 'pseudo
# LA' code", as the DfE's rule lists them, with 942 and 943 (Cumberland, Westmorland and Furness,
# from April 2023) added as in the DfE's published validator.
UPN_LA_CODES = _code_ranges(
    "001-005 201-213 301-320 330-336 340-344 350-359 370-373 380-384 390-394 420 660-681 701-708 "
    "800-803 805-808 810-813 815 816 820-823 825 826 830 831 835-839 840 841 845 846 850-852 "
    "855-857 860 861 865-896 908 909 916 919 921 925 926 928 929 931 933 935-938 940-943")


# --- the entry checks over the census ------------------------------------------------------------

def _entry_hits(census: Census, code: str, element: str,
                applies: Callable[[CINDetails], bool] = lambda cin: True) -> list[Hit]:
    """What the entry checks of ``haven.assessments.census`` find for rule ``code`` in each
    CINDetails group (where ``applies``), as findings on the DfE ``element``. "Today" is the
    reference date: nothing may be dated after the census."""
    hits = []
    for child, cin, found in shared_in_run("cin-entry-checks", census, lambda: _entry_checks(census)):
        if applies(cin):
            hits += [Hit(child.la_child_id, element, p.key) for p in found if p.code == code]
    return list(dict.fromkeys(hits))


def _entry_checks(census: Census) -> list[tuple[Child, CINDetails, list]]:
    """(child, CINDetails, what the entry checks find) for every episode of the census."""
    out = []
    for child, cin in episodes(census):
        person = entry_child(child)
        ep = episode_facts(cin)
        found = entry.check_referral(ep, child=person, others=(), today=census.end)
        found += entry.check_closure(ep, child=person, today=census.end)
        for a in ep.assessments:
            found += entry.check_assessment(a, episode=ep, others=(), today=census.end)
        out.append((child, cin, found))
    return out


# --- the return -----------------------------------------------------------------------------------

@CIN_2026.rule("100", fields=("ReferenceDate",))
def reference_date_is_31_march_of_the_collection_year(census: Census):
    if census.reference_date != dt.date(census.year, 3, 31):
        yield Hit("", "ReferenceDate", d(census.reference_date))


@CIN_2026.rule("2883", fields=("CPPstartDate", "DateOfInitialCPC"))
def more_cp_plans_start_than_initial_conferences(census: Census):
    """Counted over the census year: plans starting, against initial conferences recorded on
    the CINDetails group or on a section 47 enquiry."""
    plans = sum(in_year(census, p.start) for _, cin in episodes(census) for p in cin.cp_plans)
    conferences = sum(in_year(census, cin.icpc_date) for _, cin in episodes(census))
    conferences += sum(in_year(census, s.icpc_date) for _, cin in episodes(census) for s in cin.section47s)
    if plans > conferences:
        yield Hit("", "CPPstartDate", f"{plans} plans, {conferences} initial conferences")


@CIN_2026.rule("2886Q", fields=("Sex",))
def more_than_2_percent_of_children_have_no_sex(census: Census):
    """Sex missing or U, excluding unborn children (an expected date of birth), against all the
    children in the return (as the DfE's validator counts)."""
    if not census.children:
        return
    unknown = sum(c.sex in ("", "U") and c.expected_birth_date is None for c in census.children)
    if unknown / len(census.children) > 0.02:
        yield Hit("", "Sex", f"{unknown} of {len(census.children)}")


@CIN_2026.rule("2887Q", fields=("Disability",))
def fewer_than_8_disability_codes_used(census: Census):
    used = {code for c in census.children for code in c.disabilities} & codes("disabilitytype")
    used.discard(NO_DISABILITY)
    if len(used) < 8:
        yield Hit("", "Disability", f"{len(used)} codes used")


@CIN_2026.rule("2888Q", fields=("Disability",))
def no_child_has_more_than_one_disability(census: Census):
    """Among the children with a disability recorded (other than NONE), none has more than one."""
    counts = [sum(code != NO_DISABILITY for code in c.disabilities) for c in census.children]
    if any(counts) and max(counts) == 1:
        yield Hit("", "Disability")


# --- child identifiers ----------------------------------------------------------------------------

@CIN_2026.rule("8500", fields=("LAchildID",))
def la_child_id_missing(census: Census):
    for number, child in enumerate(census.children, start=1):
        if not child.la_child_id.strip():
            yield Hit("", "LAchildID", f"child record {number}")


@CIN_2026.rule("8510", fields=("LAchildID",))
def la_child_id_not_unique(census: Census):
    counts = Counter(c.la_child_id for c in census.children if c.la_child_id)
    for child_id, n in counts.items():
        if n > 1:
            yield Hit(child_id, "LAchildID", f"{n} records")


@CIN_2026.rule("1570", fields=("LAchildID",))
def la_child_id_longer_than_20(census: Census):
    for child in census.children:
        if len(child.la_child_id) > 20:
            yield Hit(child.la_child_id, "LAchildID")


@CIN_2026.rule("1580", fields=("LAchildID",))
def la_child_id_not_alphanumeric(census: Census):
    for child in census.children:
        if child.la_child_id and not re.fullmatch(r"[A-Za-z0-9]+", child.la_child_id):
            yield Hit(child.la_child_id, "LAchildID")


@CIN_2026.rule("1510", fields=("UPN",))
def upn_check_letter_wrong(census: Census):
    """Only a UPN whose characters 2-13 are well formed (11 digits, then a digit or a temporary
    UPN's letter) can have its check letter worked out; others fail 1540 or 1550."""
    for child in census.children:
        upn = child.upn.upper()
        if re.fullmatch(rf"[A-Z]\d{{11}}[\d{UPN_LETTERS}]", upn) and upn_check_letter(upn[1:]) != upn[0]:
            yield Hit(child.la_child_id, "UPN", child.upn)


@CIN_2026.rule("1520", fields=("UPN",))
def upn_not_unique(census: Census):
    counts = Counter(c.upn.upper() for c in census.children if c.upn)
    for child in census.children:
        if child.upn and counts[child.upn.upper()] > 1:
            yield Hit(child.la_child_id, "UPN", child.upn)


@CIN_2026.rule("1530", fields=("UPN",))
def upn_la_code_not_recognised(census: Census):
    for child in census.children:
        if len(child.upn) == 13 and child.upn[1:4] not in UPN_LA_CODES:
            yield Hit(child.la_child_id, "UPN", child.upn)


@CIN_2026.rule("1540", fields=("UPN",))
def upn_characters_5_to_12_not_numeric(census: Census):
    for child in census.children:
        if child.upn and not re.fullmatch(r"\d{8}", child.upn[4:12]):
            yield Hit(child.la_child_id, "UPN", child.upn)


@CIN_2026.rule("1550", fields=("UPN",))
def upn_character_13_not_recognised(census: Census):
    for child in census.children:
        if len(child.upn) == 13 and child.upn[12].upper() not in f"0123456789{UPN_LETTERS}":
            yield Hit(child.la_child_id, "UPN", child.upn)


@CIN_2026.rule("1560Q", fields=("FormerUPN",))
def former_upn_wrongly_formatted(census: Census):
    """A letter then 12 digits, as the DfE's validator checks it."""
    for child in census.children:
        if child.former_upn and not re.fullmatch(r"[A-Za-z]\d{12}", child.former_upn):
            yield Hit(child.la_child_id, "FormerUPN", child.former_upn)


# --- child characteristics ------------------------------------------------------------------------

@CIN_2026.rule("4180", fields=("Sex",))
def sex_missing_or_invalid(census: Census):
    for child in census.children:
        if child.sex not in SEXES:
            yield Hit(child.la_child_id, "Sex", child.sex)


@CIN_2026.rule("4220", fields=("Ethnicity",))
def ethnicity_missing_or_invalid(census: Census):
    for child in census.children:
        if child.ethnicity not in codes("ethnicitytype"):
            yield Hit(child.la_child_id, "Ethnicity", child.ethnicity)


@CIN_2026.rule("8540", fields=("Disability",))
def disability_missing_or_invalid(census: Census):
    """Required of a born child (date of birth present) with at least one referral that led to
    further action: one or more disability codes, all valid."""
    for child in census.children:
        if child.birth_date is None or not any(cin.referral_nfa is False for cin in child.cin_details):
            continue
        invalid = [code for code in child.disabilities if code not in codes("disabilitytype")]
        if not child.disabilities or invalid:
            yield Hit(child.la_child_id, "Disability", ", ".join(invalid) or "none recorded")


@CIN_2026.rule("8520", fields=("PersonBirthDate",))
def born_after_the_census(census: Census):
    for child in census.children:
        if child.birth_date and child.birth_date > census.end:
            yield Hit(child.la_child_id, "PersonBirthDate", d(child.birth_date))


@CIN_2026.rule("8525Q", fields=("PersonBirthDate", "ExpectedPersonBirthDate"))
def birth_date_or_expected_birth_date_not_both(census: Census):
    for child in census.children:
        if (child.birth_date is None) == (child.expected_birth_date is None):
            yield Hit(child.la_child_id, "PersonBirthDate", d(child.birth_date))


@CIN_2026.rule("8530Q", fields=("ExpectedPersonBirthDate",))
def expected_birth_date_out_of_range(census: Census):
    """The reference date minus 30 days to the reference date plus 9 months, inclusive: 1 March
    to 31 December of the year the census ends, as the message says."""
    earliest, latest = census.end - dt.timedelta(days=30), add_months(census.end, 9)
    for child in census.children:
        due = child.expected_birth_date
        if due and not earliest <= due <= latest:
            yield Hit(child.la_child_id, "ExpectedPersonBirthDate", d(due))


@CIN_2026.rule("8535Q", fields=("PersonDeathDate", "PersonBirthDate"))
def died_before_born(census: Census):
    """A date of death needs a date of birth on or before it."""
    for child in census.children:
        if child.death_date and (child.birth_date is None or child.birth_date > child.death_date):
            yield Hit(child.la_child_id, "PersonDeathDate", d(child.death_date))


@CIN_2026.rule("8545Q", fields=("PersonDeathDate",))
def death_date_outside_the_census_year(census: Census):
    for child in census.children:
        if child.death_date and not in_year(census, child.death_date):
            yield Hit(child.la_child_id, "PersonDeathDate", d(child.death_date))


@CIN_2026.rule("8590", fields=("CINdetails",))
def child_without_a_cin_episode(census: Census):
    for child in census.children:
        if not child.cin_details:
            yield Hit(child.la_child_id, "CINdetails")


# --- the referral (CINdetails), through the entry checks ------------------------------------------

@CIN_2026.rule("8600", fields=("CINreferralDate",))
def referral_date_missing_or_after_the_census(census: Census):
    return _entry_hits(census, "8600", "CINreferralDate")


@CIN_2026.rule("8606", fields=("CINreferralDate", "PersonBirthDate", "ExpectedPersonBirthDate"))
def referral_more_than_40_weeks_before_birth(census: Census):
    return _entry_hits(census, "8606", "CINreferralDate")


@CIN_2026.rule("8555Q", fields=("CINreferralDate", "PersonDeathDate"))
def referral_after_death(census: Census):
    return _entry_hits(census, "8555Q", "CINreferralDate")


@CIN_2026.rule("8568", fields=("ReferralNFA",))
def referral_nfa_missing(census: Census):
    return _entry_hits(census, "8568", "ReferralNFA")


@CIN_2026.rule("8610", fields=("PrimaryNeedCode", "ReferralNFA"))
def primary_need_missing_for_further_action(census: Census):
    """Haven asks for a primary need on every referral; the DfE only where ReferralNFA is false."""
    return _entry_hits(census, "8610", "PrimaryNeedCode", lambda cin: cin.referral_nfa is False)


@CIN_2026.rule("4000", fields=("CINPlanStartDate", "ReferralNFA"))
def cin_plan_on_a_no_further_action_referral(census: Census):
    return _entry_hits(census, "4000", "ReferralNFA")


@CIN_2026.rule("1103", fields=("AssessmentActualStartDate", "CINreferralDate"))
def assessment_starts_before_the_referral(census: Census):
    return _entry_hits(census, "1103", "AssessmentActualStartDate")


@CIN_2026.rule("1104", fields=("DateOfInitialCPC", "CINreferralDate"))
def initial_conference_before_the_referral(census: Census):
    """Either DateOfInitialCPC: on a section 47 enquiry or on the CINDetails group."""
    return _entry_hits(census, "1104", "DateOfInitialCPC")


@CIN_2026.rule("1105", fields=("CPPstartDate", "CINreferralDate"))
def cp_plan_starts_before_the_referral(census: Census):
    return _entry_hits(census, "1105", "CPPstartDate")


@CIN_2026.rule("2889", fields=("S47ActualStartDate", "CINreferralDate"))
def section_47_starts_before_the_referral(census: Census):
    return _entry_hits(census, "2889", "S47ActualStartDate")


@CIN_2026.rule("4015", fields=("CINPlanStartDate", "CINreferralDate"))
def cin_plan_starts_before_the_referral(census: Census):
    return _entry_hits(census, "4015", "CINPlanStartDate")


@CIN_2026.rule("8608", fields=("AssessmentActualStartDate", "AssessmentAuthorisationDate"))
def assessment_authorised_before_it_started(census: Census):
    return _entry_hits(census, "8608", "AssessmentAuthorisationDate")


# --- closure, through the entry checks (which look at a closure only when it has a date: a reason
# without a date is rule 8810) ----------------------------------------------------------------------

@CIN_2026.rule("8565", fields=("CINclosureDate",))
def activity_after_the_closure(census: Census):
    """No assessment start or authorisation, section 47 start, initial conference, CP plan or CIN
    plan date after the closure date (Haven also counts a CP plan's start)."""
    return _entry_hits(census, "8565", "CINclosureDate")


@CIN_2026.rule("2990", fields=("ReasonForClosure",))
def closed_after_assessment_with_other_activity(census: Census):
    return _entry_hits(census, "2990", "ReasonForClosure")


@CIN_2026.rule("8585Q", fields=("ReasonForClosure", "PersonDeathDate"))
def closed_as_died_without_a_date_of_death(census: Census):
    return _entry_hits(census, "8585Q", "ReasonForClosure")


@CIN_2026.rule("8569Q", fields=("CINreferralDate", "ReferralNFA"))
def old_referral_flagged_no_further_action(census: Census):
    """A referral before the working day before 1 April (the census start) cannot be NFA: it
    would have been in last year's census."""
    last_day = census.start - dt.timedelta(days=1)
    while not is_working_day(last_day):
        last_day -= dt.timedelta(days=1)
    for child, cin in episodes(census):
        if cin.referral_nfa and cin.referral_date and cin.referral_date < last_day:
            yield Hit(child.la_child_id, "ReferralNFA", d(cin.referral_date))


# --- assessments and section 47 -------------------------------------------------------------------

@CIN_2026.rule("2991Q", fields=("S47ActualStartDate",))
def section_47_without_an_assessment(census: Census):
    for child, cin in episodes(census):
        if cin.section47s and not cin.assessments:
            yield Hit(child.la_child_id, "S47ActualStartDate", d(cin.section47s[0].start))


@CIN_2026.rule("2884", fields=("DateOfInitialCPC",))
def initial_conference_recorded_twice(census: Census):
    """The same conference date on a CINDetails group and on a section 47 enquiry of the child."""
    for child in census.children:
        on_episode = {cin.icpc_date for cin in child.cin_details if cin.icpc_date}
        on_s47 = {s.icpc_date for cin in child.cin_details for s in cin.section47s if s.icpc_date}
        for day in sorted(on_episode & on_s47):
            yield Hit(child.la_child_id, "DateOfInitialCPC", d(day))


@CIN_2026.rule("2885", fields=("CPPstartDate", "DateOfInitialCPC"))
def cp_plan_not_starting_at_the_initial_conference(census: Census):
    """A CP plan starting in the census year starts on the day of an initial conference of its
    CINDetails group: one on a section 47 enquiry that needed one (ICPCnotRequired false), or the
    group's own DateOfInitialCPC when there is no such enquiry."""
    for child, cin in episodes(census):
        enquiries = [s for s in cin.section47s if not s.icpc_not_required]
        conferences = {s.icpc_date for s in enquiries} if enquiries else {cin.icpc_date}
        for plan in cin.cp_plans:
            if in_year(census, plan.start) and plan.start not in conferences:
                yield Hit(child.la_child_id, "CPPstartDate", d(plan.start))


# --- CIN plans ------------------------------------------------------------------------------------

def _cin_plans(child: Child):
    return [p for cin in child.cin_details for p in cin.cin_plans]


def _cp_plans(child: Child):
    return [p for cin in child.cin_details for p in cin.cp_plans]


def _open_on(start: dt.date, end: dt.date | None, day: dt.date, census: Census) -> bool:
    """``day`` falls from ``start`` to the day before ``end`` (a plan may start the day another
    ends), or, for a plan still open, to the reference date."""
    return start <= day < end if end else start <= day <= census.end


@CIN_2026.rule("4001", fields=("CPPendDate", "CINPlanEndDate"))
def open_cin_plan_with_an_open_cp_plan(census: Census):
    for child, cin in episodes(census):
        if any(p.end is None for p in cin.cp_plans):
            for plan in cin.cin_plans:
                if plan.end is None:
                    yield Hit(child.la_child_id, "CINPlanEndDate", d(plan.start))


@CIN_2026.rule("4003", fields=("CPPreviewDate", "CINPlanStartDate", "CINPlanEndDate"))
def cp_review_while_a_cin_plan_is_open(census: Census):
    """Within a CINDetails group, a CP review from a CIN plan's start to the day before its end
    (or any day after the start of a plan still open), unless the review is the day the CP plan
    ends."""
    for child, cin in episodes(census):
        for cp in cin.cp_plans:
            for review in cp.reviews:
                if review != cp.end and any(p.start <= review and (p.end is None or review < p.end)
                                            for p in cin.cin_plans):
                    yield Hit(child.la_child_id, "CPPreviewDate", d(review))


@CIN_2026.rule("4004", fields=("CINPlanEndDate",))
def more_than_one_open_cin_plan(census: Census):
    for child, cin in episodes(census):
        still_open = [p for p in cin.cin_plans if p.end is None]
        if len(still_open) > 1:
            for plan in still_open:
                yield Hit(child.la_child_id, "CINPlanEndDate", d(plan.start))


@CIN_2026.rule("4008", fields=("CINPlanStartDate", "PersonDeathDate"))
def cin_plan_starts_after_death(census: Census):
    for child in census.children:
        for plan in _cin_plans(child):
            if child.death_date and plan.start > child.death_date:
                yield Hit(child.la_child_id, "CINPlanStartDate", d(plan.start))


@CIN_2026.rule("4009Q", fields=("CINPlanEndDate", "PersonDeathDate"))
def cin_plan_ends_after_death(census: Census):
    for child in census.children:
        for plan in _cin_plans(child):
            if child.death_date and plan.end and plan.end > child.death_date:
                yield Hit(child.la_child_id, "CINPlanEndDate", d(plan.end))


@CIN_2026.rule("4010", fields=("CINPlanStartDate",))
def cin_plan_start_missing_or_after_the_census(census: Census):
    """On or before the reference date (a plan may have started before the census year)."""
    for child in census.children:
        for plan in _cin_plans(child):
            if plan.start is None or plan.start > census.end:
                yield Hit(child.la_child_id, "CINPlanStartDate", d(plan.start))


@CIN_2026.rule("4011", fields=("CINPlanEndDate", "CINPlanStartDate"))
def cin_plan_ends_before_it_starts(census: Census):
    for child in census.children:
        for plan in _cin_plans(child):
            if plan.end and plan.end < plan.start:
                yield Hit(child.la_child_id, "CINPlanEndDate", d(plan.end))


@CIN_2026.rule("4012Q", fields=("CINPlanEndDate", "CINPlanStartDate"))
def cin_plan_starts_and_ends_the_same_day(census: Census):
    for child in census.children:
        for plan in _cin_plans(child):
            if plan.end == plan.start:
                yield Hit(child.la_child_id, "CINPlanEndDate", d(plan.end))


@CIN_2026.rule("4013", fields=("CINPlanEndDate",))
def cin_plan_end_outside_the_census_year(census: Census):
    for child in census.children:
        for plan in _cin_plans(child):
            if plan.end and not in_year(census, plan.end):
                yield Hit(child.la_child_id, "CINPlanEndDate", d(plan.end))


@CIN_2026.rule("4014", fields=("CINPlanStartDate", "CINPlanEndDate"))
def cin_plans_overlap(census: Census):
    """No CIN plan of the child starts from another's start to its end date inclusive (to the
    reference date if it is open). Stricter than Haven's entry check, which lets a plan start the
    day another ends: the DfE reads that day as within the other plan."""
    for child in census.children:
        mine = _cin_plans(child)
        for i, plan in enumerate(mine):
            if any(j != i and other.start <= plan.start <= (other.end or census.end)
                   for j, other in enumerate(mine)):
                yield Hit(child.la_child_id, "CINPlanStartDate", d(plan.start))


@CIN_2026.rule("4016", fields=("CINPlanStartDate", "CPPstartDate", "CPPendDate"))
def cin_plan_starts_during_a_cp_plan(census: Census):
    for child in census.children:
        for plan in _cin_plans(child):
            if any(_open_on(cp.start, cp.end, plan.start, census) for cp in _cp_plans(child)):
                yield Hit(child.la_child_id, "CINPlanStartDate", d(plan.start))


@CIN_2026.rule("4017", fields=("CPPstartDate", "CINPlanStartDate", "CINPlanEndDate"))
def cp_plan_starts_during_a_cin_plan(census: Census):
    for child in census.children:
        for cp in _cp_plans(child):
            if any(_open_on(plan.start, plan.end, cp.start, census) for plan in _cin_plans(child)):
                yield Hit(child.la_child_id, "CPPstartDate", d(cp.start))
