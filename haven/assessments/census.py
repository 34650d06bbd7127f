"""CIN census validation rules (DfE, ``shared/reference/rules_cin_2025_26.tsv``) for one child's
referrals (CIN episodes) and single assessments, as pure functions over plain facts.

The forms and services of this app call these checks before anything is saved, so that a record
which would fail the census cannot be entered; the episode page runs the same checks over what is
stored, so that a record which came in another way (an import, the seed, an older version) is
flagged on the record instead. One implementation serves both.

Rule codes covered here (each has a failing and a passing test in ``tests/test_census.py``):

Referral (CINdetails)
    8600  referral date present and not in the future ("after the data collection period")
    8606  referral date not more than 40 weeks before the date of birth or expected date of birth
    8555Q referral date not after the child's date of death
    8866  referral source present and a valid code
    8610  primary need present for a referral that led to further action
    8650  primary need a valid code
    8568  referral NFA flag present (a boolean: always true or false)
    8815  no second open episode for a child unless it is a referral with no further action
    8816  an open episode that is not NFA must be the latest (a new referral cannot start before it)
    8820  the dates of a child's episodes must not overlap (one may close the day the next starts)
    8831  no assessment or section 47 enquiry on a referral with no further action
    8832  no child protection details (conference, CP plan) on a referral with no further action
    4000  no child in need plan on a referral with no further action
    1103  assessment start not before the referral date
    1104  initial child protection conference not before the referral date
    1105  child protection plan start not before the referral date
    2889  section 47 start not before the referral date
    4015  child in need plan start not before the referral date

Closure
    8630  closure date not before the referral date
    8805  a closure date needs a reason for closure
    8810  a reason for closure needs a closure date
    8640  the reason for closure a valid RC code
    8565  no activity (assessment, S47, conference, plan dates) after the closure date
    8867  every assessment authorised before the episode closes
    8868  every section 47 enquiry finished (conference held, or conference not required)
    8825Q  RC8/RC9 ("after assessment") only when the episode has an assessment
    2990  RC8/RC9 not used where there is an S47, conference, CP plan or CIN plan
    8873Q  the only assessment found no factors ("21"): the reason must be RC8 or RC9
    8585Q  RC2 (died) only when the child's date of death is recorded

Assessment
    8608  start date not after the authorisation (end) date
    8614  factors recorded only for a completed assessment
    8897Q  a completed assessment has its factors recorded
    8869  factor "21 No factors identified" not with any other factor
    8898  no factor recorded twice
    8945Q / 8950Q  only DfE factor codes (18A and 19A are not codes: use 18B/18C, 19B/19C)
    8863Q  an assessment does not start while another of the child's assessments is ongoing
    8896  not two assessments open at once in one episode

Haven's own refusals (not census rules, but impossible dates): decision before the referral;
dates in the future; child seen before the referral; completed before started; authorised
before completed or without a completion date and outcome; closing while a CP or CIN plan is
open (``CPP``, ``CINP``).

Rules about the census *year* (100, 8620, 8696, 8715, 8720, 8736, 8740, 8569Q, 8670Q…) are
checks on a return, not on a record: they belong to the returns builder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from haven.core.codes import AssessmentFactor, ClosureReason, PrimaryNeed, ReferralSource

NO_FACTORS = AssessmentFactor.F21.value
AFTER_ASSESSMENT = {ClosureReason.RC8.value, ClosureReason.RC9.value}


def fmt(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


@dataclass(frozen=True)
class Problem:
    """One broken rule: its CIN ``code`` (or Haven's own), the form ``field`` it concerns ("" for
    the whole record), the message to show, and ``key``: which record it is about."""

    code: str
    field: str
    message: str
    key: str = ""

    @property
    def ident(self) -> tuple[str, str, str]:
        return (self.code, self.key, self.field)


@dataclass(frozen=True)
class Child:
    date_of_birth: dt.date | None = None
    expected_date_of_birth: dt.date | None = None
    date_of_death: dt.date | None = None


@dataclass(frozen=True)
class AssessmentFacts:
    key: str
    start_date: dt.date
    child_seen_date: dt.date | None = None
    seen_alone: bool = False
    completed_date: dt.date | None = None
    authorised_date: dt.date | None = None
    outcome: str = ""
    factors: tuple[str, ...] = ()
    episode_key: str = ""

    @property
    def is_open(self) -> bool:
        return self.authorised_date is None


@dataclass(frozen=True)
class Activity:
    """A dated fact another module recorded on the episode: ``kind`` is ``s47``, ``icpc``,
    ``cp_plan`` or ``cin_plan``; ``finished`` says whether an S47 reached its end (a conference
    held, or none required)."""

    kind: str
    start: dt.date
    end: dt.date | None = None
    finished: bool = True
    key: str = ""

    @property
    def label(self) -> str:
        return {"s47": "the section 47 enquiry", "icpc": "the initial child protection conference",
                "cp_plan": "the child protection plan", "cin_plan": "the child in need plan"}[self.kind]


@dataclass(frozen=True)
class EpisodeFacts:
    key: str
    referral_date: dt.date | None
    source: str = ""
    primary_need: str = ""
    referral_nfa: bool | None = False
    decision_date: dt.date | None = None
    closure_date: dt.date | None = None
    closure_reason: str = ""
    assessments: tuple[AssessmentFacts, ...] = ()
    activities: tuple[Activity, ...] = field(default_factory=tuple)

    @property
    def is_open(self) -> bool:
        return self.closure_date is None


# --- referral ---------------------------------------------------------------------------------

def check_referral(ep: EpisodeFacts, *, child: Child, others: Sequence[EpisodeFacts], today: dt.date) -> list[Problem]:
    """The referral's own dates and codes, and how it sits beside the child's other episodes."""
    out: list[Problem] = []
    k = ep.key
    r = ep.referral_date
    if r is None:
        out.append(Problem("8600", "referral_date", "Enter the referral date", k))
    elif r > today:
        out.append(Problem("8600", "referral_date", "The referral date must be today or in the past", k))
    if ep.source not in ReferralSource.values:
        out.append(Problem("8866", "source", "Select the referral source", k))
    if ep.primary_need not in PrimaryNeed.values:
        code = "8650" if ep.primary_need else "8610"
        out.append(Problem(code, "primary_need", "Select the primary need", k))
    if ep.referral_nfa is None:
        out.append(Problem("8568", "", "Say whether the referral led to no further action", k))
    if r is None:
        return out
    born = child.date_of_birth or child.expected_date_of_birth
    if born and r < born - dt.timedelta(weeks=40):
        out.append(Problem("8606", "referral_date",
                           f"The referral date cannot be more than 40 weeks before the child's "
                           f"{'date of birth' if child.date_of_birth else 'expected date of birth'} ({fmt(born)})", k))
    if child.date_of_death and r > child.date_of_death:
        out.append(Problem("8555Q", "referral_date",
                           f"The referral date cannot be after the child's date of death ({fmt(child.date_of_death)})", k))
    out.extend(_overlaps(ep, others))
    if ep.decision_date and ep.decision_date < r:
        out.append(Problem("DECISION", "decision_date",
                           f"The date of the decision must be on or after the referral date ({fmt(r)})", k))
    if ep.decision_date and ep.decision_date > today:
        out.append(Problem("DECISION", "decision_date", "The date of the decision must be today or in the past", k))
    # Activity on the episode cannot start before the referral (1103, 1104, 1105, 2889, 4015).
    for a in ep.assessments:
        if a.start_date < r:
            out.append(Problem("1103", "referral_date",
                               f"The referral date cannot be after the start of the single assessment ({fmt(a.start_date)})", a.key))
    before = {"icpc": "1104", "cp_plan": "1105", "s47": "2889", "cin_plan": "4015"}
    for act in ep.activities:
        if act.start < r:
            out.append(Problem(before[act.kind], "referral_date",
                               f"The referral date cannot be after the start of {act.label} ({fmt(act.start)})", act.key))
    if ep.referral_nfa:
        if ep.assessments or any(a.kind == "s47" for a in ep.activities):
            out.append(Problem("8831", "", "No further action cannot be recorded: this referral has a single assessment "
                                           "or a section 47 enquiry", k))
        if any(a.kind in ("icpc", "cp_plan") for a in ep.activities):
            out.append(Problem("8832", "", "No further action cannot be recorded: this referral has a child protection "
                                           "conference or plan", k))
        if any(a.kind == "cin_plan" for a in ep.activities):
            out.append(Problem("4000", "", "No further action cannot be recorded: this referral has a child in need plan", k))
    return out


def _overlaps(ep: EpisodeFacts, others: Iterable[EpisodeFacts]) -> list[Problem]:
    """8815, 8816, 8820: the rule as DfE states it, both ways round: no episode's referral date
    falls on or after another's referral date and before that one's closure date (or, while that
    one is open and not NFA, at all)."""
    out = []
    r, c = ep.referral_date, ep.closure_date
    for o in others:
        if o.key == ep.key or o.referral_date is None:
            continue
        if ep.is_open and o.is_open and not ep.referral_nfa and not o.referral_nfa:
            out.append(Problem("8815", "referral_date",
                               f"The child already has an open referral (from {fmt(o.referral_date)}): close it, "
                               "or record this on that referral", o.key))
            continue
        inside_other = r >= o.referral_date and ((o.closure_date is not None and r < o.closure_date)
                                                 or (o.closure_date is None and not o.referral_nfa))
        other_inside = o.referral_date >= r and ((c is not None and o.referral_date < c)
                                                 or (c is None and not ep.referral_nfa))
        if inside_other or other_inside:
            code = "8816" if (c is None and not ep.referral_nfa and o.referral_date >= r) else "8820"
            span = f"{fmt(o.referral_date)} to {fmt(o.closure_date)}" if o.closure_date else f"from {fmt(o.referral_date)}"
            out.append(Problem(code, "referral_date" if inside_other or c is None else "closure_date",
                               f"The dates overlap another referral for this child ({span})", o.key))
    return out


# --- closure ----------------------------------------------------------------------------------

def check_closure(ep: EpisodeFacts, *, child: Child, today: dt.date) -> list[Problem]:
    """Closing an episode: the date, the reason, and that nothing is left open or dated after it."""
    out: list[Problem] = []
    k, c, reason = ep.key, ep.closure_date, ep.closure_reason
    if c is not None and not reason:
        out.append(Problem("8805", "closure_reason", "Select the reason for closure", k))
    if reason and c is None:
        out.append(Problem("8810", "closure_date", "Enter the closure date", k))
    if reason and reason not in ClosureReason.values:
        out.append(Problem("8640", "closure_reason", "Select a reason for closure from the list", k))
    if c is None:
        return out
    if c > today:
        out.append(Problem("CLOSURE", "closure_date", "The closure date must be today or in the past", k))
    if ep.referral_date and c < ep.referral_date:
        out.append(Problem("8630", "closure_date",
                           f"The closure date must be on or after the referral date ({fmt(ep.referral_date)})", k))
    for a in ep.assessments:
        latest = max(d for d in (a.start_date, a.child_seen_date, a.completed_date, a.authorised_date) if d)
        if latest > c:
            out.append(Problem("8565", "closure_date",
                               f"The closure date cannot be before the single assessment's dates ({fmt(latest)})", a.key))
        if a.authorised_date is None:
            out.append(Problem("8867", "", f"The single assessment started {fmt(a.start_date)} has not been authorised: "
                                           "a manager must authorise it before the referral is closed", a.key))
    for act in ep.activities:
        latest = max(d for d in (act.start, act.end) if d)
        if latest > c:
            out.append(Problem("8565", "closure_date",
                               f"The closure date cannot be before the dates of {act.label} ({fmt(latest)})", act.key))
        if act.kind == "s47" and not act.finished:
            out.append(Problem("8868", "", f"The section 47 enquiry started {fmt(act.start)} is not finished: record its "
                                           "outcome and, if one is needed, the initial conference", act.key))
        if act.kind == "cp_plan" and act.end is None:
            out.append(Problem("CPP", "", "The child has an open child protection plan on this referral: end the plan "
                                          "before closing the referral", act.key))
        if act.kind == "cin_plan" and act.end is None:
            out.append(Problem("CINP", "", "The child has an open child in need plan on this referral: end the plan "
                                           "before closing the referral", act.key))
    if reason in AFTER_ASSESSMENT:
        if not ep.assessments:
            out.append(Problem("8825Q", "closure_reason",
                               f"{reason} is for a case closed after an assessment, and this referral has none", k))
        if ep.activities:
            out.append(Problem("2990", "closure_reason",
                               f"{reason} cannot be used: there was a section 47 enquiry, conference or plan on this "
                               "referral", k))
    if (len(ep.assessments) == 1 and ep.assessments[0].authorised_date
            and tuple(ep.assessments[0].factors) == (NO_FACTORS,) and reason and reason not in AFTER_ASSESSMENT):
        out.append(Problem("8873Q", "closure_reason",
                           "The assessment found no factors: choose RC8 (no further action) or RC9 (referred to "
                           "early help)", k))
    if reason == ClosureReason.RC2 and child.date_of_death is None:
        out.append(Problem("8585Q", "closure_reason",
                           "Record the child's date of death on their record before closing with RC2 (died)", k))
    return out


# --- assessment -------------------------------------------------------------------------------

def check_assessment(a: AssessmentFacts, *, episode: EpisodeFacts, others: Sequence[AssessmentFacts],
                     today: dt.date) -> list[Problem]:
    """A single assessment's dates and factors, against its referral and the child's other
    assessments (``others``: all of them, any episode; ``a`` itself is skipped by key)."""
    out: list[Problem] = []
    k = a.key
    r = episode.referral_date
    if episode.referral_nfa:
        out.append(Problem("8831", "", "No further action was decided on this referral: it cannot have an assessment", k))
    for name, label, value in (("start_date", "The start date", a.start_date),
                               ("child_seen_date", "The date the child was seen", a.child_seen_date),
                               ("completed_date", "The date the assessment was completed", a.completed_date),
                               ("authorised_date", "The date of authorisation", a.authorised_date)):
        if value and value > today:
            out.append(Problem("FUTURE", name, f"{label} must be today or in the past", k))
        if value and episode.closure_date and value > episode.closure_date:
            out.append(Problem("8565", name, f"{label} cannot be after the referral was closed "
                                             f"({fmt(episode.closure_date)})", k))
    if r and a.start_date < r:
        out.append(Problem("1103", "start_date", f"The start date must be on or after the referral date ({fmt(r)})", k))
    if a.child_seen_date and r and a.child_seen_date < r:
        out.append(Problem("SEEN", "child_seen_date",
                           f"The date the child was seen must be on or after the referral date ({fmt(r)})", k))
    if a.seen_alone and not a.child_seen_date:
        out.append(Problem("SEEN", "child_seen_date", "Enter the date the child was seen, if they were seen alone", k))
    if a.completed_date and a.completed_date < a.start_date:
        out.append(Problem("COMPLETED", "completed_date", "The date the assessment was completed must be on or after "
                                                          f"its start date ({fmt(a.start_date)})", k))
    if a.completed_date and not a.outcome:
        out.append(Problem("COMPLETED", "outcome", "Select the outcome of the assessment", k))
    if a.authorised_date:
        if a.authorised_date < a.start_date:
            out.append(Problem("8608", "authorised_date",
                               f"The date of authorisation must be on or after the start date ({fmt(a.start_date)})", k))
        if a.completed_date is None:
            out.append(Problem("AUTHORISED", "authorised_date",
                               "The assessment must be completed before it is authorised: record the date it was completed", k))
        elif a.authorised_date < a.completed_date:
            out.append(Problem("AUTHORISED", "authorised_date", "The date of authorisation must be on or after the date the "
                                                                f"assessment was completed ({fmt(a.completed_date)})", k))
    out.extend(check_factors(a))
    out.extend(_concurrent(a, others))
    return out


def check_factors(a: AssessmentFacts) -> list[Problem]:
    out = []
    k = a.key
    codes = list(a.factors)
    unknown = [c for c in codes if c not in AssessmentFactor.values]
    for c in unknown:
        code = {"18A": "8945Q", "19A": "8950Q"}.get(c.upper(), "FACTOR")
        hint = {"18A": " (use 18B or 18C)", "19A": " (use 19B or 19C)"}.get(c.upper(), "")
        out.append(Problem(code, "factors", f"{c} is not a DfE assessment factor code{hint}", k))
    if len(set(codes)) != len(codes):
        out.append(Problem("8898", "factors", "Each factor can be recorded only once", k))
    if NO_FACTORS in codes and len(set(codes)) > 1:
        out.append(Problem("8869", "factors", "Select 'No factors identified', or select factors, not both", k))
    completed = a.completed_date or a.authorised_date
    if codes and not completed:
        out.append(Problem("8614", "completed_date",
                           "Enter the date the assessment was completed: factors are recorded for a completed assessment", k))
    if completed and not codes:
        out.append(Problem("8897Q", "factors",
                           "Select the factors identified at the assessment, or 'No factors identified'", k))
    return out


def _concurrent(a: AssessmentFacts, others: Iterable[AssessmentFacts]) -> list[Problem]:
    """8863Q / 8896: an assessment cannot start while another is ongoing (one may be authorised
    the day the next starts)."""
    out = []
    for o in others:
        if o.key == a.key:
            continue
        a_inside = o.start_date <= a.start_date and (o.authorised_date is None or a.start_date < o.authorised_date)
        o_inside = a.start_date <= o.start_date and (a.authorised_date is None or o.start_date < a.authorised_date)
        if a_inside or o_inside:
            both_open = a.is_open and o.is_open and a.episode_key and a.episode_key == o.episode_key
            span = (f"from {fmt(o.start_date)} to {fmt(o.authorised_date)}" if o.authorised_date
                    else f"started {fmt(o.start_date)}, not yet authorised")
            out.append(Problem("8896" if both_open else "8863Q", "start_date",
                               f"Another single assessment for this child is ongoing ({span}): finish it first", o.key))
    return out


# --- the whole record -------------------------------------------------------------------------

def check_episode(ep: EpisodeFacts, *, child: Child, others: Sequence[EpisodeFacts],
                  child_assessments: Sequence[AssessmentFacts], today: dt.date) -> list[Problem]:
    """Every rule above over a stored episode and its assessments (the flag on the record)."""
    found = check_referral(ep, child=child, others=others, today=today)
    found += check_closure(ep, child=child, today=today)
    for a in ep.assessments:
        found += check_assessment(a, episode=ep, others=child_assessments, today=today)
    seen: set[tuple[str, str]] = set()
    out = []
    for p in found:
        if (p.code, p.key) not in seen:  # one flag per rule and record
            seen.add((p.code, p.key))
            out.append(p)
    return out


def new_problems(after: Iterable[Problem], before: Iterable[Problem]) -> list[Problem]:
    """Problems a change would introduce (a problem already on the stored record does not block
    an unrelated change; it stays flagged on the record)."""
    known = {p.ident for p in before}
    return [p for p in after if p.ident not in known]
