"""CIN census rules (second half of the DfE file: 8614 to 8950Q).

Each rule reads the whole ``Census`` (``haven.returns.cin_data``) and reports the child, the
DfE element at fault and the date of the row (the referral, assessment, S47 or plan start).

Where Haven's entry checks (``haven.assessments.census``) already hold a rule as a pure
function, the rule calls it through a small adapter from the census dataclasses, so that the
record and the return cannot disagree:

- ``check_factors``: 8614, 8869, 8898, 8945Q, 8950Q;
- ``check_closure``: 8630, 8805, 8810, 8867, 8868.

The others are written over the census with the DfE's boundaries (the entry checks either read
the database, or differ from the DfE at a boundary: see the notes on 8863Q, 8873Q, 8820, 8940).
Code lists come from the enumerations of the DfE schema (``reference/CIN_schema_2024.xsd``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from haven.assessments import census as entry
from haven.core.calendar import birthday, working_days_between
from haven.returns.cin_data import Assessment, Census, Child, CINDetails, CPPlan, Section47
from haven.returns.rules import Hit

from .common import assessment_facts as _assessment_facts
from .common import codes as _codes
from .common import d as _d
from .common import entry_child as _entry_child
from .common import episode_facts as _episode_facts
from .common import episodes as _episodes
from .common import icpc_dates as _icpc_dates
from .common import in_year as _in_year
from .registry import CIN_2026

NO_FACTORS = "21"
AFTER_ASSESSMENT = {"RC8", "RC9"}
NFA_UPN_REASON = "UN7"                        # Referral with no further action
NOT_OF_SCHOOL_AGE = "UN1"
SOURCE_REQUIRED_FROM = dt.date(2013, 4, 1)    # 8866: referral source required from this referral date
RETIRED_FACTORS = {"18A", "19A"}              # 8897Q: still a factor (8945Q/8950Q query them)


# --- walking the census -----------------------------------------------------------------------

def _assessments(census: Census) -> Iterator[tuple[Child, CINDetails, Assessment]]:
    for child, ep in _episodes(census):
        for a in ep.assessments:
            yield child, ep, a


def _section47s(census: Census) -> Iterator[tuple[Child, CINDetails, Section47]]:
    for child, ep in _episodes(census):
        for s in ep.section47s:
            yield child, ep, s


def _cp_plans(census: Census) -> Iterator[tuple[Child, CPPlan]]:
    for child, ep in _episodes(census):
        for p in ep.cp_plans:
            yield child, p


def _child_cp_plans(child: Child) -> list[CPPlan]:
    return [p for ep in child.cin_details for p in ep.cp_plans]


def _s47_open(s: Section47) -> bool:
    """An enquiry with no initial conference and no "conference not required" flag."""
    return s.icpc_date is None and not s.icpc_not_required


# --- adapters to the entry checks -------------------------------------------------------------

def _factor_hits(census: Census, code: str) -> Iterator[Hit]:
    """The assessments ``entry.check_factors`` finds breaking ``code``."""
    for child, _ep, a in _assessments(census):
        if any(p.code == code for p in entry.check_factors(_assessment_facts(a))):
            yield Hit(child.la_child_id, "AssessmentFactors", _d(a.start))


def _closure_hits(census: Census, code: str, field: str) -> Iterator[Hit]:
    """The episodes (or their rows) ``entry.check_closure`` finds breaking ``code``."""
    for child, ep in _episodes(census):
        problems = entry.check_closure(_episode_facts(ep), child=_entry_child(child), today=census.end)
        for key in dict.fromkeys(p.key for p in problems if p.code == code):
            yield Hit(child.la_child_id, field, key)


# --- assessments ------------------------------------------------------------------------------

@CIN_2026.rule("8614", fields=("AssessmentAuthorisationDate", "AssessmentFactors"))
def factors_only_for_a_completed_assessment(census):
    yield from _factor_hits(census, "8614")


@CIN_2026.rule("8670Q", fields=("AssessmentActualStartDate", "AssessmentAuthorisationDate"))
def assessment_open_more_than_45_working_days(census):
    """Not authorised, and started more than 45 working days before the reference date."""
    for child, _ep, a in _assessments(census):
        if a.authorised is None and a.start and working_days_between(a.start, census.end) > 45:
            yield Hit(child.la_child_id, "AssessmentActualStartDate", _d(a.start))


@CIN_2026.rule("8696", fields=("AssessmentAuthorisationDate",))
def assessment_end_in_the_census_year(census):
    for child, _ep, a in _assessments(census):
        if a.authorised and not _in_year(census, a.authorised):
            yield Hit(child.la_child_id, "AssessmentAuthorisationDate", _d(a.start))


@CIN_2026.rule("8736", fields=("AssessmentActualStartDate", "AssessmentAuthorisationDate"))
def open_assessment_starts_in_the_census_year(census):
    for child, _ep, a in _assessments(census):
        if a.authorised is None and not (a.start and _in_year(census, a.start)):
            yield Hit(child.la_child_id, "AssessmentActualStartDate", _d(a.start))


@CIN_2026.rule("8863Q", fields=("AssessmentActualStartDate", "AssessmentAuthorisationDate"))
def assessment_starts_while_another_is_ongoing(census):
    """Within one episode, an assessment's start falls on or between another's start and its
    authorisation (or the reference date while that one is not authorised). The DfE counts
    the authorisation day itself ("on or between"); Haven's entry check lets the next one start
    that day."""
    for child, ep in _episodes(census):
        for i, a in enumerate(ep.assessments):
            for j, o in enumerate(ep.assessments):
                if i == j or not (a.start and o.start) or a.start < o.start:
                    continue
                if a.start <= (o.authorised or census.end):
                    yield Hit(child.la_child_id, "AssessmentActualStartDate", _d(a.start))
                    break


@CIN_2026.rule("8869", fields=("AssessmentFactors",))
def no_factors_code_stands_alone(census):
    yield from _factor_hits(census, "8869")


@CIN_2026.rule("8896", fields=("AssessmentAuthorisationDate",))
def two_open_assessments_in_one_episode(census):
    for child, ep in _episodes(census):
        open_ = [a for a in ep.assessments if a.authorised is None]
        if len(open_) > 1:
            for a in open_:
                yield Hit(child.la_child_id, "AssessmentAuthorisationDate", _d(a.start))


@CIN_2026.rule("8897Q", fields=("AssessmentAuthorisationDate", "AssessmentFactors"))
def completed_assessment_has_factors(census):
    """Authorised on or after the start of the census year, with no valid factor (18A and 19A
    still count here: 8945Q and 8950Q query them)."""
    valid = _codes("assessmentfactorstype") | RETIRED_FACTORS
    for child, _ep, a in _assessments(census):
        if a.authorised and a.authorised >= census.start and not any(f.upper() in valid for f in a.factors):
            yield Hit(child.la_child_id, "AssessmentFactors", _d(a.start))


@CIN_2026.rule("8898", fields=("AssessmentFactors",))
def factor_recorded_twice(census):
    yield from _factor_hits(census, "8898")


@CIN_2026.rule("8945Q", fields=("AssessmentFactors",))
def factor_18a_not_used(census):
    yield from _factor_hits(census, "8945Q")


@CIN_2026.rule("8950Q", fields=("AssessmentFactors",))
def factor_19a_not_used(census):
    yield from _factor_hits(census, "8950Q")


# --- section 47 enquiries and initial conferences ---------------------------------------------

@CIN_2026.rule("8615", fields=("S47ActualStartDate", "DateOfInitialCPC"))
def s47_starts_before_its_conference(census):
    for child, _ep, s in _section47s(census):
        if s.start is None or (s.icpc_date and s.start > s.icpc_date):
            yield Hit(child.la_child_id, "S47ActualStartDate", _d(s.start))


@CIN_2026.rule("8675Q", fields=("S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"))
def s47_open_more_than_15_working_days(census):
    """No conference and none "not required", and started more than 15 working days before
    the reference date."""
    for child, _ep, s in _section47s(census):
        if _s47_open(s) and s.start and working_days_between(s.start, census.end) > 15:
            yield Hit(child.la_child_id, "DateOfInitialCPC", _d(s.start))


@CIN_2026.rule("8715", fields=("DateOfInitialCPC",))
def initial_conference_in_the_census_year(census):
    """Every DateOfInitialCPC, on the episode or on an S47."""
    for child, ep in _episodes(census):
        for day in _icpc_dates(ep):
            if not _in_year(census, day):
                yield Hit(child.la_child_id, "DateOfInitialCPC", _d(day))


@CIN_2026.rule("8740", fields=("S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"))
def open_s47_starts_in_the_census_year(census):
    for child, _ep, s in _section47s(census):
        if _s47_open(s) and not (s.start and _in_year(census, s.start)):
            yield Hit(child.la_child_id, "S47ActualStartDate", _d(s.start))


@CIN_2026.rule("8839", fields=("DateOfInitialCPC", "ICPCnotRequired"))
def two_open_s47s_in_one_episode(census):
    for child, ep in _episodes(census):
        open_ = [s for s in ep.section47s if _s47_open(s)]
        if len(open_) > 1:
            for s in open_:
                yield Hit(child.la_child_id, "DateOfInitialCPC", _d(s.start))


@CIN_2026.rule("8870Q", fields=("InitialCPCtarget",))
def conference_target_not_a_weekend(census):
    for child, _ep, s in _section47s(census):
        if s.icpc_target and s.icpc_target.weekday() >= 5:
            yield Hit(child.la_child_id, "InitialCPCtarget", _d(s.icpc_target))


@CIN_2026.rule("8875", fields=("DateOfInitialCPC",))
def conference_not_on_a_weekend(census):
    """Saturday or Sunday (a bank holiday is not a weekend)."""
    for child, ep in _episodes(census):
        for day in _icpc_dates(ep):
            if day.weekday() >= 5:
                yield Hit(child.la_child_id, "DateOfInitialCPC", _d(day))


@CIN_2026.rule("8890", fields=("S47ActualStartDate", "DateOfInitialCPC"))
def s47_starts_while_another_is_ongoing(census):
    """Within one episode, an S47's start falls on or between another's start and its
    conference (or the reference date while that one is open)."""
    for child, ep in _episodes(census):
        for i, s in enumerate(ep.section47s):
            for j, o in enumerate(ep.section47s):
                if i == j or not (s.start and o.start) or s.start < o.start:
                    continue
                until = o.icpc_date or (census.end if not o.icpc_not_required else None)
                if until and s.start <= until:
                    yield Hit(child.la_child_id, "S47ActualStartDate", _d(s.start))
                    break


# --- the episode ------------------------------------------------------------------------------

@CIN_2026.rule("8620", fields=("CINclosureDate",))
def closure_in_the_census_year(census):
    for child, ep in _episodes(census):
        if ep.closure_date and not _in_year(census, ep.closure_date):
            yield Hit(child.la_child_id, "CINclosureDate", _d(ep.referral_date))


@CIN_2026.rule("8630", fields=("CINreferralDate", "CINclosureDate"))
def closure_not_before_referral(census):
    yield from _closure_hits(census, "8630", "CINclosureDate")


@CIN_2026.rule("8640", fields=("ReasonForClosure",))
def reason_for_closure_valid(census):
    for child, ep in _episodes(census):
        if ep.reason_for_closure and ep.reason_for_closure not in _codes("reasonforclosuretype"):
            yield Hit(child.la_child_id, "ReasonForClosure", _d(ep.referral_date))


@CIN_2026.rule("8650", fields=("PrimaryNeedCode",))
def primary_need_valid(census):
    for child, ep in _episodes(census):
        if ep.primary_need and ep.primary_need not in _codes("primaryneedcodetype"):
            yield Hit(child.la_child_id, "PrimaryNeedCode", _d(ep.referral_date))


@CIN_2026.rule("8805", fields=("CINclosureDate", "ReasonForClosure"))
def closure_date_has_a_reason(census):
    yield from _closure_hits(census, "8805", "ReasonForClosure")


@CIN_2026.rule("8810", fields=("ReasonForClosure", "CINclosureDate"))
def reason_has_a_closure_date(census):
    yield from _closure_hits(census, "8810", "CINclosureDate")


def _open_not_nfa(ep: CINDetails) -> bool:
    return ep.closure_date is None and not ep.referral_nfa


@CIN_2026.rule("8815", fields=("CINclosureDate", "ReferralNFA"))
def one_open_episode(census):
    for child in census.children:
        open_ = [ep for ep in child.cin_details if _open_not_nfa(ep)]
        if len(open_) > 1:
            for ep in open_:
                yield Hit(child.la_child_id, "CINclosureDate", _d(ep.referral_date))


@CIN_2026.rule("8816", fields=("CINreferralDate", "ReferralNFA"))
def open_episode_is_the_latest(census):
    for child in census.children:
        for ep in child.cin_details:
            if _open_not_nfa(ep) and ep.referral_date and any(
                    o.referral_date and o.referral_date > ep.referral_date for o in child.cin_details):
                yield Hit(child.la_child_id, "CINreferralDate", _d(ep.referral_date))


def _referral_within(ep: CINDetails, other: CINDetails) -> bool:
    """``ep``'s referral date falls on or after ``other``'s and before its closure (or at all
    while ``other`` is open and not NFA): one may close the day the next is referred."""
    if not (ep.referral_date and other.referral_date) or ep.referral_date < other.referral_date:
        return False
    if other.closure_date:
        return ep.referral_date < other.closure_date
    return not other.referral_nfa


@CIN_2026.rule("8820", fields=("CINreferralDate", "CINclosureDate"))
def episodes_do_not_overlap(census):
    """Haven's entry check reports some of these overlaps as 8815/8816 instead; the DfE reports
    every overlap here (as well)."""
    for child in census.children:
        for i, ep in enumerate(child.cin_details):
            if any(_referral_within(ep, o) for j, o in enumerate(child.cin_details) if i != j):
                yield Hit(child.la_child_id, "CINreferralDate", _d(ep.referral_date))


@CIN_2026.rule("8825Q", fields=("ReasonForClosure",))
def closed_after_assessment_has_an_assessment(census):
    for child, ep in _episodes(census):
        if ep.reason_for_closure in AFTER_ASSESSMENT and not ep.assessments:
            yield Hit(child.la_child_id, "ReasonForClosure", _d(ep.referral_date))


@CIN_2026.rule("8831", fields=("ReferralNFA",))
def no_activity_on_a_referral_with_no_further_action(census):
    """An assessment, an S47 or an initial conference (on the episode or an S47)."""
    for child, ep in _episodes(census):
        if ep.referral_nfa and (ep.assessments or ep.section47s or ep.icpc_date):
            yield Hit(child.la_child_id, "ReferralNFA", _d(ep.referral_date))


@CIN_2026.rule("8832", fields=("ReferralNFA",))
def no_cp_plan_on_a_referral_with_no_further_action(census):
    for child, ep in _episodes(census):
        if ep.referral_nfa and ep.cp_plans:
            yield Hit(child.la_child_id, "ReferralNFA", _d(ep.referral_date))


@CIN_2026.rule("8866", fields=("ReferralSource",))
def referral_source_valid(census):
    for child, ep in _episodes(census):
        if (ep.referral_date and ep.referral_date >= SOURCE_REQUIRED_FROM
                and ep.referral_source not in _codes("referralsourcetype")):
            yield Hit(child.la_child_id, "ReferralSource", _d(ep.referral_date))


@CIN_2026.rule("8867", fields=("CINclosureDate", "AssessmentAuthorisationDate"))
def closed_episode_has_no_open_assessment(census):
    yield from _closure_hits(census, "8867", "AssessmentAuthorisationDate")


@CIN_2026.rule("8868", fields=("CINclosureDate", "DateOfInitialCPC", "ICPCnotRequired"))
def closed_episode_has_no_open_s47(census):
    yield from _closure_hits(census, "8868", "ICPCnotRequired")


@CIN_2026.rule("8873Q", fields=("AssessmentFactors", "ReasonForClosure"))
def no_factors_closes_after_assessment(census):
    """The episode's only assessment found no factors ("21"): the reason must be RC8 or RC9.
    As the DfE states it, an episode still open (no reason yet) is queried too; Haven's entry
    check asks only when a reason is chosen."""
    for child, ep in _episodes(census):
        if (len(ep.assessments) == 1 and NO_FACTORS in ep.assessments[0].factors
                and ep.reason_for_closure not in AFTER_ASSESSMENT):
            yield Hit(child.la_child_id, "ReasonForClosure", _d(ep.referral_date))


# --- child protection plans -------------------------------------------------------------------

@CIN_2026.rule("8720", fields=("CPPstartDate",))
def cp_plan_start_present_and_not_after_the_year(census):
    """A plan may start before the census year (still open in it), not after it."""
    for child, p in _cp_plans(census):
        if p.start is None or p.start > census.end:
            yield Hit(child.la_child_id, "CPPstartDate", _d(p.start))


@CIN_2026.rule("8730", fields=("NumberOfPreviousCPP",))
def previous_cp_plans_present(census):
    for child, p in _cp_plans(census):
        if p.previous_plans is None or p.previous_plans < 0:
            yield Hit(child.la_child_id, "NumberOfPreviousCPP", _d(p.start))


@CIN_2026.rule("8840", fields=("CPPstartDate", "CPPendDate"))
def cp_plan_does_not_start_and_end_the_same_day(census):
    for child, p in _cp_plans(census):
        if p.end and p.end == p.start:
            yield Hit(child.la_child_id, "CPPendDate", _d(p.start))


@CIN_2026.rule("8841", fields=("CPPstartDate", "CPPreviewDate"))
def cp_review_after_the_plan_starts(census):
    for child, p in _cp_plans(census):
        for review in p.reviews:
            if review and p.start and review <= p.start:
                yield Hit(child.la_child_id, "CPPreviewDate", _d(review))


@CIN_2026.rule("8842Q", fields=("CPPreviewDate",))
def cp_review_has_a_date(census):
    for child, p in _cp_plans(census):
        if any(review is None for review in p.reviews):
            yield Hit(child.la_child_id, "CPPreviewDate", _d(p.start))


@CIN_2026.rule("8905", fields=("InitialCategoryOfAbuse",))
def initial_category_valid(census):
    for child, p in _cp_plans(census):
        if p.initial_category not in _codes("categoryofabuse"):
            yield Hit(child.la_child_id, "InitialCategoryOfAbuse", _d(p.start))


@CIN_2026.rule("8910", fields=("LatestCategoryOfAbuse",))
def latest_category_valid(census):
    for child, p in _cp_plans(census):
        if p.latest_category not in _codes("categoryofabuse"):
            yield Hit(child.la_child_id, "LatestCategoryOfAbuse", _d(p.start))


@CIN_2026.rule("8915", fields=("CPPstartDate", "PersonDeathDate"))
def cp_plan_starts_by_date_of_death(census):
    for child, p in _cp_plans(census):
        if child.death_date and p.start and p.start > child.death_date:
            yield Hit(child.la_child_id, "CPPstartDate", _d(p.start))


@CIN_2026.rule("8920", fields=("CPPendDate", "PersonDeathDate"))
def cp_plan_ends_by_date_of_death(census):
    for child, p in _cp_plans(census):
        if child.death_date and p.end and p.end > child.death_date:
            yield Hit(child.la_child_id, "CPPendDate", _d(p.start))


@CIN_2026.rule("8925", fields=("CPPstartDate", "CPPendDate"))
def cp_plan_ends_after_it_starts(census):
    for child, p in _cp_plans(census):
        if p.end and p.start and p.end < p.start:
            yield Hit(child.la_child_id, "CPPendDate", _d(p.start))


@CIN_2026.rule("8930", fields=("CPPendDate",))
def cp_plan_end_in_the_census_year(census):
    for child, p in _cp_plans(census):
        if p.end and not _in_year(census, p.end):
            yield Hit(child.la_child_id, "CPPendDate", _d(p.start))


@CIN_2026.rule("8935", fields=("CPPendDate",))
def one_open_cp_plan(census):
    """Per child, across the child's episodes."""
    for child in census.children:
        open_ = [p for p in _child_cp_plans(child) if p.end is None]
        if len(open_) > 1:
            for p in open_:
                yield Hit(child.la_child_id, "CPPendDate", _d(p.start))


@CIN_2026.rule("8940", fields=("CPPstartDate", "CPPendDate"))
def cp_plans_do_not_overlap(census):
    """A plan's start falls on or between another plan's start and its end (or the reference
    date while that one is open), across the child's episodes. The end day itself counts, as in
    the DfE's validator: a plan cannot start the day the previous one ended."""
    for child in census.children:
        plans = _child_cp_plans(child)
        for i, p in enumerate(plans):
            if p.start and any(o.start and o.start <= p.start <= (o.end or census.end)
                               for j, o in enumerate(plans) if i != j):
                yield Hit(child.la_child_id, "CPPstartDate", _d(p.start))


# --- the child --------------------------------------------------------------------------------

@CIN_2026.rule("8750", fields=("Sex", "PersonBirthDate", "ExpectedPersonBirthDate"))
def unborn_child_sex_unknown(census):
    for child in census.children:
        if child.birth_date is None and child.expected_birth_date and child.sex != "U":
            yield Hit(child.la_child_id, "Sex", _d(child.expected_birth_date))


def _school_age(child: Child, census: Census) -> bool:
    """Born on or before 31 August six years before the census year ends (in year 1 or above
    on the reference date), as the DfE's validator counts it."""
    return child.birth_date is not None and child.birth_date <= dt.date(census.year - 6, 8, 31)


@CIN_2026.rule("8770Q", fields=("UPN", "UPNunknown"))
def upn_for_a_child_of_school_age(census):
    """A child of school age with a referral that went on to further action has a UPN, or a
    reason it is unknown other than UN1 (not of school age)."""
    reasons = _codes("unknownupntype") - {NOT_OF_SCHOOL_AGE}
    for child in census.children:
        if (_school_age(child, census) and any(not ep.referral_nfa for ep in child.cin_details)
                and not child.upn and child.upn_unknown.upper() not in reasons):
            yield Hit(child.la_child_id, "UPN", _d(child.birth_date))


@CIN_2026.rule("8772", fields=("UPNunknown", "ReferralNFA"))
def un7_only_for_referrals_with_no_further_action(census):
    for child in census.children:
        if child.upn_unknown.upper() == NFA_UPN_REASON and any(not ep.referral_nfa for ep in child.cin_details):
            yield Hit(child.la_child_id, "UPNunknown", child.upn_unknown)


@CIN_2026.rule("8775Q", fields=("PersonBirthDate", "CINclosureDate"))
def child_over_25(census):
    """25 before the reference date, with an episode open (or closed) after the 25th birthday."""
    for child in census.children:
        if child.birth_date is None:
            continue
        turned_25 = birthday(child.birth_date, 25)
        if turned_25 < census.end and any(ep.closure_date is None or ep.closure_date > turned_25
                                          for ep in child.cin_details):
            yield Hit(child.la_child_id, "PersonBirthDate", _d(child.birth_date))


@CIN_2026.rule("8790", fields=("Disability",))
def no_disability_and_others(census):
    for child in census.children:
        codes = {c.upper() for c in child.disabilities}
        if "NONE" in codes and len(codes) > 1:
            yield Hit(child.la_child_id, "Disability", "NONE")


@CIN_2026.rule("8794", fields=("Disability",))
def disability_recorded_twice(census):
    for child in census.children:
        codes = [c.upper() for c in child.disabilities]
        for code in dict.fromkeys(c for c in codes if codes.count(c) > 1):
            yield Hit(child.la_child_id, "Disability", code)
