"""The CIN census rules of ``cin_rules.part_b`` (8614 to 8950Q): pure Python, no database.

``valid_census()`` passes every rule; each case changes one thing and expects the rule to find
it on the right child and element, and a near neighbour (the boundary) not to."""

from __future__ import annotations

import datetime as dt

import pytest

from haven.core.calendar import working_days_between
from haven.core.codes import (
    AssessmentFactor,
    ClosureReason,
    CPCategory,
    PrimaryNeed,
    ReferralSource,
)
from haven.returns.cin_data import (
    Assessment,
    Census,
    Child,
    CINDetails,
    CINPlan,
    CPPlan,
    Section47,
)
from haven.returns.cin_rules import part_b
from haven.returns.cin_rules.registry import CIN_2026

D = dt.date
END = D(2026, 3, 31)

MY_CODES = """8614 8615 8620 8630 8640 8650 8670Q 8675Q 8696 8715 8720 8730 8736 8740 8750 8770Q
8772 8775Q 8790 8794 8805 8810 8815 8816 8820 8825Q 8831 8832 8839 8840 8841 8842Q 8863Q 8866
8867 8868 8869 8870Q 8873Q 8875 8890 8896 8897Q 8898 8905 8910 8915 8920 8925 8930 8935 8940
8945Q 8950Q""".split()


def valid_census() -> Census:
    """C1 (born 2015): an episode closed in September (assessment, S47, conference, CP plan)
    and an open one (an assessment and an S47 under way). C2: unborn, a referral with no
    further action."""
    closed = CINDetails(
        referral_date=D(2025, 5, 1), referral_source="2A", primary_need="N1",
        closure_date=D(2025, 9, 30), reason_for_closure="RC7",
        assessments=[Assessment(start=D(2025, 5, 2), authorised=D(2025, 6, 10), factors=["3B", "4B"])],
        section47s=[Section47(start=D(2025, 5, 5), icpc_target=D(2025, 5, 23), icpc_date=D(2025, 5, 22))],
        cp_plans=[CPPlan(start=D(2025, 5, 22), end=D(2025, 9, 29), initial_category="NEG",
                         latest_category="NEG", previous_plans=0, reviews=[D(2025, 8, 14)])],
    )
    open_ = CINDetails(
        referral_date=D(2025, 10, 1), referral_source="6", primary_need="N4",
        assessments=[Assessment(start=D(2026, 3, 2))],
        cin_plans=[CINPlan(start=D(2025, 10, 10))],
        section47s=[Section47(start=D(2026, 3, 20))],
    )
    c1 = Child("C1", upn="A123456789012", birth_date=D(2015, 5, 10), sex="F", ethnicity="WBRI",
               disabilities=["NONE"], cin_details=[closed, open_])
    nfa = CINDetails(referral_date=D(2026, 2, 2), referral_source="3B", primary_need="N0",
                     closure_date=D(2026, 2, 2), reason_for_closure="RC7", referral_nfa=True)
    c2 = Child("C2", upn_unknown="UN7", expected_birth_date=D(2026, 6, 1), sex="U", ethnicity="NOBT",
               cin_details=[nfa])
    return Census(lea="123", year=2026, reference_date=END, children=[c1, c2])


# --- where to change --------------------------------------------------------------------------

def c1(c): return c.children[0]
def c2(c): return c.children[1]
def ep1(c): return c1(c).cin_details[0]
def ep2(c): return c1(c).cin_details[1]
def a1(c): return ep1(c).assessments[0]
def a2(c): return ep2(c).assessments[0]
def s1(c): return ep1(c).section47s[0]
def s2(c): return ep2(c).section47s[0]
def cp1(c): return ep1(c).cp_plans[0]
def nfa(c): return c2(c).cin_details[0]


def change(where, **values):
    def mutate(census):
        for name, value in values.items():
            setattr(where(census), name, value)
    return mutate


def append(where, name, item):
    def mutate(census):
        getattr(where(census), name).append(item)
    return mutate


def both(*mutations):
    def mutate(census):
        for m in mutations:
            m(census)
    return mutate


def working_days_before_end(n: int) -> dt.date:
    """The day exactly ``n`` working days before the reference date."""
    day = END
    while working_days_between(day, END) < n:
        day -= dt.timedelta(days=1)
    return day


def hits(census: Census, code: str) -> set[tuple[str, str]]:
    report = CIN_2026.run(census, only=[code])
    assert report.crashed == {}
    assert [r.code for r in report.ran] == [code]
    return {(f.child, f.field) for f in report.findings}


OPEN = {"closure_date": None, "reason_for_closure": ""}

# (code, change, child, element): the change breaks the rule on that child and element.
FAILING = [
    ("8614", change(a2, factors=["3B"]), "C1", "AssessmentFactors"),
    ("8615", change(s1, start=D(2025, 5, 23)), "C1", "S47ActualStartDate"),
    ("8615", change(s1, start=None), "C1", "S47ActualStartDate"),
    ("8620", change(ep1, closure_date=D(2026, 4, 1)), "C1", "CINclosureDate"),
    ("8630", change(ep1, closure_date=D(2025, 4, 30)), "C1", "CINclosureDate"),
    ("8640", change(ep1, reason_for_closure="RC10"), "C1", "ReasonForClosure"),
    ("8650", change(ep1, primary_need="N10"), "C1", "PrimaryNeedCode"),
    ("8670Q", change(a2, start=working_days_before_end(46)), "C1", "AssessmentActualStartDate"),
    ("8675Q", change(s2, start=working_days_before_end(16)), "C1", "DateOfInitialCPC"),
    ("8696", change(a1, authorised=D(2026, 4, 1)), "C1", "AssessmentAuthorisationDate"),
    ("8715", change(s1, icpc_date=D(2026, 4, 1)), "C1", "DateOfInitialCPC"),
    ("8715", change(ep2, icpc_date=D(2025, 3, 31)), "C1", "DateOfInitialCPC"),
    ("8720", change(cp1, start=D(2026, 4, 1)), "C1", "CPPstartDate"),
    ("8720", change(cp1, start=None), "C1", "CPPstartDate"),
    ("8730", change(cp1, previous_plans=None), "C1", "NumberOfPreviousCPP"),
    ("8730", change(cp1, previous_plans=-1), "C1", "NumberOfPreviousCPP"),
    ("8736", change(a2, start=D(2025, 3, 31)), "C1", "AssessmentActualStartDate"),
    ("8740", change(s2, start=D(2025, 3, 31)), "C1", "S47ActualStartDate"),
    ("8750", change(c2, sex="F"), "C2", "Sex"),
    ("8770Q", change(c1, upn=""), "C1", "UPN"),
    ("8770Q", change(c1, upn="", upn_unknown="UN1"), "C1", "UPN"),
    ("8770Q", change(c1, upn="", birth_date=D(2020, 8, 31)), "C1", "UPN"),
    ("8772", change(c1, upn_unknown="UN7"), "C1", "UPNunknown"),
    ("8775Q", change(c1, birth_date=D(2001, 3, 30)), "C1", "PersonBirthDate"),
    ("8790", change(c1, disabilities=["NONE", "MOB"]), "C1", "Disability"),
    ("8794", change(c1, disabilities=["MOB", "mob"]), "C1", "Disability"),
    ("8805", change(ep1, reason_for_closure=""), "C1", "ReasonForClosure"),
    ("8810", change(ep2, reason_for_closure="RC7"), "C1", "CINclosureDate"),
    ("8815", append(c1, "cin_details", CINDetails(referral_date=D(2026, 1, 5), referral_source="6")),
     "C1", "CINclosureDate"),
    ("8816", both(change(ep1, **OPEN), change(ep2, closure_date=END, reason_for_closure="RC7")),
     "C1", "CINreferralDate"),
    ("8820", change(ep2, referral_date=D(2025, 9, 29)), "C1", "CINreferralDate"),
    ("8820", both(change(ep1, **OPEN), change(ep2, closure_date=END, reason_for_closure="RC7")),
     "C1", "CINreferralDate"),
    ("8825Q", both(change(ep1, assessments=[], reason_for_closure="RC8")), "C1", "ReasonForClosure"),
    ("8831", change(ep2, referral_nfa=True), "C1", "ReferralNFA"),
    ("8831", change(nfa, icpc_date=D(2026, 2, 3)), "C2", "ReferralNFA"),
    ("8832", change(ep1, referral_nfa=True), "C1", "ReferralNFA"),
    ("8839", append(ep2, "section47s", Section47(start=D(2026, 3, 23))), "C1", "DateOfInitialCPC"),
    ("8840", change(cp1, end=D(2025, 5, 22)), "C1", "CPPendDate"),
    ("8841", change(cp1, reviews=[D(2025, 5, 22)]), "C1", "CPPreviewDate"),
    ("8842Q", change(cp1, reviews=[D(2025, 8, 14), None]), "C1", "CPPreviewDate"),
    ("8863Q", append(ep1, "assessments", Assessment(start=D(2025, 6, 10), authorised=D(2025, 7, 1), factors=["3B"])),
     "C1", "AssessmentActualStartDate"),
    ("8863Q", append(ep2, "assessments", Assessment(start=D(2026, 3, 30))), "C1", "AssessmentActualStartDate"),
    ("8866", change(ep1, referral_source="11"), "C1", "ReferralSource"),
    ("8866", change(ep1, referral_source=""), "C1", "ReferralSource"),
    ("8867", change(a1, authorised=None), "C1", "AssessmentAuthorisationDate"),
    ("8868", change(s1, icpc_date=None), "C1", "ICPCnotRequired"),
    ("8868", change(s1, icpc_not_required=True), "C1", "ICPCnotRequired"),
    ("8869", change(a1, factors=["21", "3B"]), "C1", "AssessmentFactors"),
    ("8870Q", change(s1, icpc_target=D(2025, 5, 24)), "C1", "InitialCPCtarget"),
    ("8873Q", change(a1, factors=["21"]), "C1", "ReasonForClosure"),
    ("8873Q", change(a2, authorised=D(2026, 3, 20), factors=["21"]), "C1", "ReasonForClosure"),
    ("8875", change(s1, icpc_date=D(2025, 5, 24)), "C1", "DateOfInitialCPC"),
    ("8875", change(ep2, icpc_date=D(2026, 3, 1)), "C1", "DateOfInitialCPC"),
    ("8890", append(ep1, "section47s", Section47(start=D(2025, 5, 22), icpc_not_required=True)),
     "C1", "S47ActualStartDate"),
    ("8890", append(ep2, "section47s", Section47(start=D(2026, 3, 31), icpc_not_required=True)),
     "C1", "S47ActualStartDate"),
    ("8896", append(ep2, "assessments", Assessment(start=D(2026, 3, 3))), "C1", "AssessmentAuthorisationDate"),
    ("8897Q", change(a1, factors=[]), "C1", "AssessmentFactors"),
    ("8897Q", change(a1, factors=["99"]), "C1", "AssessmentFactors"),
    ("8898", change(a1, factors=["3B", "3B"]), "C1", "AssessmentFactors"),
    ("8905", change(cp1, initial_category="XXX"), "C1", "InitialCategoryOfAbuse"),
    ("8905", change(cp1, initial_category=""), "C1", "InitialCategoryOfAbuse"),
    ("8910", change(cp1, latest_category=""), "C1", "LatestCategoryOfAbuse"),
    ("8915", change(c1, death_date=D(2025, 5, 21)), "C1", "CPPstartDate"),
    ("8920", change(c1, death_date=D(2025, 9, 28)), "C1", "CPPendDate"),
    ("8925", change(cp1, end=D(2025, 5, 21)), "C1", "CPPendDate"),
    ("8930", change(cp1, end=D(2026, 4, 1)), "C1", "CPPendDate"),
    ("8930", both(change(cp1, start=D(2025, 1, 6), end=D(2025, 3, 31))), "C1", "CPPendDate"),
    ("8935", both(change(cp1, end=None), append(ep2, "cp_plans", CPPlan(start=D(2026, 1, 8)))),
     "C1", "CPPendDate"),
    ("8940", append(ep2, "cp_plans", CPPlan(start=D(2025, 9, 29))), "C1", "CPPstartDate"),
    ("8940", both(change(cp1, end=None), append(ep2, "cp_plans", CPPlan(start=D(2026, 1, 8)))),
     "C1", "CPPstartDate"),
    ("8945Q", change(a1, factors=["18A"]), "C1", "AssessmentFactors"),
    ("8950Q", change(a1, factors=["19a"]), "C1", "AssessmentFactors"),
]

# (code, change): the nearest change that does not break the rule.
PASSING = [
    ("8614", change(a2, authorised=D(2026, 3, 20), factors=["3B"])),
    ("8615", change(s1, start=D(2025, 5, 22))),
    ("8620", change(ep1, closure_date=END)),
    ("8630", change(ep1, closure_date=D(2025, 5, 1))),
    ("8640", change(ep1, reason_for_closure="RC9")),
    ("8650", change(ep1, primary_need="N0")),
    ("8670Q", change(a2, start=working_days_before_end(45))),
    ("8670Q", change(a2, start=D(2025, 10, 1), authorised=D(2025, 11, 1))),
    ("8675Q", change(s2, start=working_days_before_end(15))),
    ("8675Q", change(s2, start=D(2025, 10, 6), icpc_not_required=True)),
    ("8696", change(a1, authorised=END)),
    ("8715", change(s1, icpc_date=END)),
    ("8720", change(cp1, start=D(2025, 3, 3))),
    ("8730", change(cp1, previous_plans=3)),
    ("8736", change(a2, start=D(2025, 4, 1))),
    ("8736", change(a2, start=D(2025, 3, 31), authorised=D(2025, 4, 30))),
    ("8740", change(s2, start=D(2025, 4, 1))),
    ("8740", change(s2, start=D(2025, 3, 31), icpc_not_required=True)),
    ("8750", change(c2, sex="F", birth_date=D(2026, 3, 1))),
    ("8770Q", change(c1, upn="", upn_unknown="UN2")),
    ("8770Q", change(c1, upn="", birth_date=D(2020, 9, 1))),
    ("8770Q", both(change(c1, upn=""), change(ep1, referral_nfa=True), change(ep2, referral_nfa=True))),
    ("8772", change(c2, upn_unknown="UN7")),
    ("8775Q", change(c1, birth_date=D(2001, 3, 31))),
    ("8775Q", both(change(c1, birth_date=D(2000, 10, 2)), change(ep2, closure_date=D(2025, 10, 2)))),
    ("8790", change(c1, disabilities=["MOB", "HAND"])),
    ("8794", change(c1, disabilities=["MOB"])),
    ("8805", change(ep1, reason_for_closure="RC1")),
    ("8810", change(ep2, closure_date=END, reason_for_closure="RC7")),
    ("8815", append(c1, "cin_details", CINDetails(referral_date=D(2026, 1, 5), referral_source="6",
                                                  referral_nfa=True))),
    ("8816", change(ep1, referral_nfa=True, **OPEN)),
    ("8820", change(ep2, referral_date=D(2025, 9, 30))),
    ("8825Q", change(ep1, reason_for_closure="RC8")),
    ("8831", change(ep2, referral_nfa=True, assessments=[], section47s=[])),
    ("8832", change(ep1, referral_nfa=True, cp_plans=[])),
    ("8839", append(ep2, "section47s", Section47(start=D(2026, 3, 23), icpc_not_required=True))),
    ("8840", change(cp1, end=D(2025, 5, 23))),
    ("8841", change(cp1, reviews=[D(2025, 5, 23)])),
    ("8842Q", change(cp1, reviews=[])),
    ("8863Q", append(ep1, "assessments", Assessment(start=D(2025, 6, 11), authorised=D(2025, 7, 1), factors=["3B"]))),
    ("8863Q", append(ep1, "assessments", Assessment(start=D(2025, 5, 1), authorised=D(2025, 5, 1), factors=["3B"]))),
    ("8866", change(ep1, referral_source="10")),
    ("8866", change(ep1, referral_date=D(2013, 3, 31), referral_source="")),
    ("8867", change(a1, authorised=D(2025, 9, 30))),
    ("8868", change(s1, icpc_date=None, icpc_not_required=True)),
    ("8869", change(a1, factors=["21"])),
    ("8870Q", change(s1, icpc_target=D(2025, 5, 26))),
    ("8873Q", both(change(a1, factors=["21"]), change(ep1, reason_for_closure="RC8"))),
    ("8873Q", append(ep1, "assessments", Assessment(start=D(2025, 7, 1), authorised=D(2025, 7, 8), factors=["21"]))),
    ("8875", change(s1, icpc_date=D(2025, 5, 26))),   # a bank holiday, not a weekend
    ("8890", append(ep1, "section47s", Section47(start=D(2025, 5, 23), icpc_not_required=True))),
    ("8896", append(ep2, "assessments", Assessment(start=D(2025, 10, 2), authorised=D(2025, 10, 20)))),
    ("8897Q", change(a1, start=D(2025, 3, 3), authorised=D(2025, 3, 31), factors=[])),
    ("8897Q", change(a1, factors=["18A"])),
    ("8898", change(a1, factors=["3B", "3C"])),
    ("8905", change(cp1, initial_category="MUL")),
    ("8910", change(cp1, latest_category="EMO")),
    ("8915", change(c1, death_date=D(2025, 5, 22))),
    ("8920", change(c1, death_date=D(2025, 9, 29))),
    ("8925", change(cp1, end=D(2025, 5, 22))),
    ("8930", change(cp1, end=END)),
    ("8935", both(change(cp1, end=D(2025, 9, 29)), append(ep2, "cp_plans", CPPlan(start=D(2026, 1, 8))))),
    ("8940", append(ep2, "cp_plans", CPPlan(start=D(2025, 9, 30)))),
    ("8945Q", change(a1, factors=["18B"])),
    ("8950Q", change(a1, factors=["19C"])),
]


def test_every_code_of_part_b_is_registered():
    assert set(MY_CODES) <= set(CIN_2026.rules)
    assert {c for c in MY_CODES if c in CIN_2026.not_run} == set()
    assert {code for code, *_ in FAILING} == set(MY_CODES)
    assert {code for code, _ in PASSING} == set(MY_CODES)


def test_the_valid_census_passes_every_rule():
    report = CIN_2026.run(valid_census(), only=MY_CODES)
    assert report.crashed == {}
    assert len(report.ran) == len(MY_CODES)
    assert report.findings == []


@pytest.mark.parametrize(("code", "mutate", "child", "field"), FAILING,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(FAILING)])
def test_rule_finds_the_broken_item(code, mutate, child, field):
    census = valid_census()
    mutate(census)
    assert (child, field) in hits(census, code)


@pytest.mark.parametrize(("code", "mutate"), PASSING, ids=[f"{c[0]}-{i}" for i, c in enumerate(PASSING)])
def test_rule_passes_the_boundary(code, mutate):
    census = valid_census()
    mutate(census)
    assert hits(census, code) == set()


def test_findings_name_the_row():
    census = valid_census()
    change(cp1, end=D(2025, 5, 22))(census)
    [finding] = CIN_2026.run(census, only=["8840"]).findings
    assert (finding.child, finding.field, finding.detail) == ("C1", "CPPendDate", "22/05/2025")
    assert finding.message == CIN_2026.dfe["8840"][0]


@pytest.mark.parametrize(("type_name", "choices"), [
    ("primaryneedcodetype", PrimaryNeed), ("reasonforclosuretype", ClosureReason),
    ("categoryofabuse", CPCategory), ("referralsourcetype", ReferralSource),
    ("assessmentfactorstype", AssessmentFactor)])
def test_schema_code_lists_match_the_entry_forms(type_name, choices):
    """The return reads the DfE schema; the forms use ``haven.core.codes``: they must agree."""
    assert part_b._codes(type_name) == set(choices.values)
