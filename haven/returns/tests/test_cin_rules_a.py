"""The CIN census rules of ``cin_rules.part_a`` (first half of the DfE file), pure Python: a valid
census built by hand, then for each rule a minimal change that breaks it (the rule finds the
child and the item) and one that keeps it (often the boundary)."""

from __future__ import annotations

from datetime import date as D

import pytest

from haven.returns.cin_data import Assessment, Census, Child, CINDetails, CINPlan, CPPlan, Section47
from haven.returns.cin_rules import part_a
from haven.returns.cin_rules.registry import CIN_2026

MY_CODES = ("100 1103 1104 1105 1510 1520 1530 1540 1550 1560Q 1570 1580 2883 2884 2885 2886Q 2887Q "
            "2888Q 2889 2990 2991Q 4000 4001 4003 4004 4008 4009Q 4010 4011 4012Q 4013 4014 4015 "
            "4016 4017 4180 4220 8500 8510 8520 8525Q 8530Q 8535Q 8540 8545Q 8555Q 8565 8568 "
            "8569Q 8585Q 8590 8600 8606 8608 8610").split()

UPN_A = "L213000012345"   # check letter worked out for 213000012345


def valid_census() -> Census:
    """Three children in the year to 31 March 2026: A on a CP plan between two CIN plans, B
    closed after an assessment (RC8), C unborn with a referral that led to no further action."""
    a = Child(
        "CHILDA", upn=UPN_A, birth_date=D(2015, 6, 1), sex="F", ethnicity="WBRI",
        disabilities=["MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS"],
        cin_details=[CINDetails(
            D(2025, 5, 1), referral_source="2A", primary_need="N1",
            assessments=[Assessment(D(2025, 5, 2), authorised=D(2025, 5, 20), factors=["3B"])],
            cin_plans=[CINPlan(D(2025, 5, 20), D(2025, 6, 1)), CINPlan(D(2025, 12, 1))],
            section47s=[Section47(D(2025, 5, 10), icpc_target=D(2025, 6, 2), icpc_date=D(2025, 6, 1))],
            cp_plans=[CPPlan(D(2025, 6, 1), D(2025, 12, 1), "NEG", "NEG", 0,
                             reviews=[D(2025, 8, 20), D(2025, 12, 1)])],
        )],
    )
    b = Child(
        "CHILDB", upn_unknown="UN2", birth_date=D(2019, 3, 3), sex="M", ethnicity="AIND",
        disabilities=["NONE"],
        cin_details=[CINDetails(
            D(2025, 7, 1), referral_source="6", primary_need="N4", closure_date=D(2025, 8, 1),
            reason_for_closure="RC8",
            assessments=[Assessment(D(2025, 7, 2), authorised=D(2025, 7, 30), factors=["21"])],
        )],
    )
    c = Child(
        "CHILDC", upn_unknown="UN1", expected_birth_date=D(2026, 5, 1), sex="U", ethnicity="NOBT",
        cin_details=[CINDetails(D(2025, 11, 3), referral_source="3B", closure_date=D(2025, 11, 3),
                                reason_for_closure="RC7", referral_nfa=True)],
    )
    return Census("213", 2026, D(2026, 3, 31), children=[a, b, c])


def child(census: Census, name: str) -> Child:
    return next(c for c in census.children if c.la_child_id == f"CHILD{name}")


def ep(census: Census, name: str) -> CINDetails:
    return child(census, name).cin_details[0]


def put(obj, **values) -> None:
    for name, value in values.items():
        setattr(obj, name, value)


def found(census: Census, code: str):
    report = CIN_2026.run(census, only=[code])
    assert report.crashed == {}
    return [(f.child, f.field) for f in report.findings]


def test_the_valid_census_passes_every_rule():
    report = CIN_2026.run(valid_census(), only=MY_CODES)
    assert report.crashed == {}
    assert report.findings == []
    assert sorted(r.code for r in report.ran) == sorted(MY_CODES)


def test_every_code_is_a_rule_of_this_part():
    for code in MY_CODES:
        assert code in CIN_2026.rules, code
        assert CIN_2026.rules[code].check.__module__ == part_a.__name__, code
    assert not set(MY_CODES) & set(CIN_2026.not_run)


def test_every_code_has_a_failing_and_a_passing_case():
    assert {case.values[0] for case in FAILING} == set(MY_CODES)
    assert {case.values[0] for case in PASSING} == set(MY_CODES)


def test_codes_come_from_the_schema():
    assert "5D" in part_a.codes("referralsourcetype")
    assert part_a.codes("reasonforclosuretype") == {f"RC{n}" for n in range(1, 10)}
    assert "WROM" in part_a.codes("ethnicitytype") and "NONE" in part_a.codes("disabilitytype")
    with pytest.raises(KeyError):
        part_a.codes("nosuchtype")


A, B, C = "CHILDA", "CHILDB", "CHILDC"

FAILING = [
    pytest.param("100", lambda c: put(c, reference_date=D(2026, 3, 30)), "", "ReferenceDate", id="100"),
    pytest.param("1103", lambda c: put(ep(c, "A").assessments[0], start=D(2025, 4, 30)), A,
                 "AssessmentActualStartDate", id="1103"),
    pytest.param("1104", lambda c: put(ep(c, "A").section47s[0], icpc_date=D(2025, 4, 30)), A,
                 "DateOfInitialCPC", id="1104-s47"),
    pytest.param("1104", lambda c: put(ep(c, "B"), icpc_date=D(2025, 6, 30)), B, "DateOfInitialCPC",
                 id="1104-cindetails"),
    pytest.param("1105", lambda c: put(ep(c, "A").cp_plans[0], start=D(2025, 4, 30)), A, "CPPstartDate", id="1105"),
    pytest.param("1510", lambda c: put(child(c, "A"), upn="M" + UPN_A[1:]), A, "UPN", id="1510"),
    pytest.param("1510", lambda c: put(child(c, "A"), upn="A21300001234A"), A, "UPN", id="1510-temporary"),
    pytest.param("1520", lambda c: put(child(c, "B"), upn=UPN_A), A, "UPN", id="1520"),
    pytest.param("1530", lambda c: put(child(c, "A"), upn="D999000012345"), A, "UPN", id="1530"),
    pytest.param("1540", lambda c: put(child(c, "A"), upn="L2130X0012345"), A, "UPN", id="1540"),
    pytest.param("1550", lambda c: put(child(c, "A"), upn="L21300001234I"), A, "UPN", id="1550"),
    pytest.param("1560Q", lambda c: put(child(c, "A"), former_upn="L21300001234A"), A, "FormerUPN", id="1560Q"),
    pytest.param("1570", lambda c: put(child(c, "A"), la_child_id="A" * 21), "A" * 21, "LAchildID", id="1570"),
    pytest.param("1580", lambda c: put(child(c, "A"), la_child_id="CHILD-A"), "CHILD-A", "LAchildID", id="1580"),
    pytest.param("2883", lambda c: ep(c, "A").cp_plans.append(CPPlan(D(2026, 1, 10), None, "PHY", "PHY", 1)),
                 "", "CPPstartDate", id="2883"),
    pytest.param("2884", lambda c: put(ep(c, "A"), icpc_date=D(2025, 6, 1)), A, "DateOfInitialCPC", id="2884"),
    pytest.param("2885", lambda c: put(ep(c, "A").cp_plans[0], start=D(2025, 6, 2)), A, "CPPstartDate", id="2885"),
    pytest.param("2885", lambda c: put(ep(c, "A").section47s[0], icpc_not_required=True), A, "CPPstartDate",
                 id="2885-no-conference-on-the-episode"),
    pytest.param("2886Q", lambda c: put(child(c, "B"), sex=""), "", "Sex", id="2886Q"),
    pytest.param("2887Q", lambda c: child(c, "A").disabilities.pop(), "", "Disability", id="2887Q"),
    pytest.param("2888Q", lambda c: put(child(c, "A"), disabilities=["MOB"]), "", "Disability", id="2888Q"),
    pytest.param("2889", lambda c: put(ep(c, "A").section47s[0], start=D(2025, 4, 30)), A,
                 "S47ActualStartDate", id="2889"),
    pytest.param("2990", lambda c: ep(c, "B").cin_plans.append(CINPlan(D(2025, 7, 5), D(2025, 7, 20))), B,
                 "ReasonForClosure", id="2990-cin-plan"),
    pytest.param("2990", lambda c: put(ep(c, "B"), icpc_date=D(2025, 7, 20)), B, "ReasonForClosure",
                 id="2990-conference"),
    pytest.param("2991Q", lambda c: put(ep(c, "A"), assessments=[]), A, "S47ActualStartDate", id="2991Q"),
    pytest.param("4000", lambda c: ep(c, "C").cin_plans.append(CINPlan(D(2025, 11, 3), D(2025, 11, 3))), C,
                 "ReferralNFA", id="4000"),
    pytest.param("4001", lambda c: put(ep(c, "A").cp_plans[0], end=None), A, "CINPlanEndDate", id="4001"),
    pytest.param("4003", lambda c: ep(c, "A").cp_plans[0].reviews.append(D(2026, 1, 5)), A, "CPPreviewDate",
                 id="4003-open-cin-plan"),
    pytest.param("4003", lambda c: put(ep(c, "A").cin_plans[0], end=D(2025, 8, 21)), A, "CPPreviewDate",
                 id="4003-ended-cin-plan"),
    pytest.param("4004", lambda c: ep(c, "A").cin_plans.append(CINPlan(D(2026, 1, 5))), A, "CINPlanEndDate",
                 id="4004"),
    pytest.param("4008", lambda c: put(child(c, "A"), death_date=D(2025, 11, 30)), A, "CINPlanStartDate", id="4008"),
    pytest.param("4009Q", lambda c: put(child(c, "A"), death_date=D(2025, 5, 31)), A, "CINPlanEndDate", id="4009Q"),
    pytest.param("4010", lambda c: put(ep(c, "A").cin_plans[1], start=D(2026, 4, 1)), A, "CINPlanStartDate",
                 id="4010"),
    pytest.param("4010", lambda c: put(ep(c, "A").cin_plans[1], start=None), A, "CINPlanStartDate",
                 id="4010-missing"),
    pytest.param("4011", lambda c: put(ep(c, "A").cin_plans[0], end=D(2025, 5, 19)), A, "CINPlanEndDate", id="4011"),
    pytest.param("4012Q", lambda c: put(ep(c, "A").cin_plans[0], end=D(2025, 5, 20)), A, "CINPlanEndDate",
                 id="4012Q"),
    pytest.param("4013", lambda c: put(ep(c, "A").cin_plans[0], end=D(2025, 3, 31)), A, "CINPlanEndDate", id="4013"),
    pytest.param("4013", lambda c: put(ep(c, "A").cin_plans[0], end=D(2026, 4, 1)), A, "CINPlanEndDate",
                 id="4013-after"),
    pytest.param("4014", lambda c: put(ep(c, "A").cin_plans[1], start=D(2025, 6, 1)), A, "CINPlanStartDate",
                 id="4014-starts-the-day-another-ends"),
    pytest.param("4014", lambda c: ep(c, "A").cin_plans.append(CINPlan(D(2026, 3, 31))), A, "CINPlanStartDate",
                 id="4014-within-an-open-plan"),
    pytest.param("4015", lambda c: put(ep(c, "A").cin_plans[0], start=D(2025, 4, 30)), A, "CINPlanStartDate",
                 id="4015"),
    pytest.param("4016", lambda c: put(ep(c, "A").cin_plans[1], start=D(2025, 11, 30)), A, "CINPlanStartDate",
                 id="4016"),
    pytest.param("4016", lambda c: put(ep(c, "A").cp_plans[0], end=None), A, "CINPlanStartDate",
                 id="4016-open-cp-plan"),
    pytest.param("4017", lambda c: put(ep(c, "A").cp_plans[0], start=D(2025, 5, 31)), A, "CPPstartDate", id="4017"),
    pytest.param("4180", lambda c: put(child(c, "A"), sex="X"), A, "Sex", id="4180"),
    pytest.param("4180", lambda c: put(child(c, "A"), sex=""), A, "Sex", id="4180-missing"),
    pytest.param("4220", lambda c: put(child(c, "A"), ethnicity="WBRT"), A, "Ethnicity", id="4220"),
    pytest.param("4220", lambda c: put(child(c, "A"), ethnicity=""), A, "Ethnicity", id="4220-missing"),
    pytest.param("8500", lambda c: put(child(c, "A"), la_child_id=" "), "", "LAchildID", id="8500"),
    pytest.param("8510", lambda c: put(child(c, "B"), la_child_id=A), A, "LAchildID", id="8510"),
    pytest.param("8520", lambda c: put(child(c, "A"), birth_date=D(2026, 4, 1)), A, "PersonBirthDate", id="8520"),
    pytest.param("8525Q", lambda c: put(child(c, "A"), expected_birth_date=D(2015, 6, 1)), A, "PersonBirthDate",
                 id="8525Q-both"),
    pytest.param("8525Q", lambda c: put(child(c, "C"), expected_birth_date=None), C, "PersonBirthDate",
                 id="8525Q-neither"),
    pytest.param("8530Q", lambda c: put(child(c, "C"), expected_birth_date=D(2026, 2, 28)), C,
                 "ExpectedPersonBirthDate", id="8530Q-early"),
    pytest.param("8530Q", lambda c: put(child(c, "C"), expected_birth_date=D(2027, 1, 1)), C,
                 "ExpectedPersonBirthDate", id="8530Q-late"),
    pytest.param("8535Q", lambda c: put(child(c, "A"), death_date=D(2015, 5, 31)), A, "PersonDeathDate",
                 id="8535Q"),
    pytest.param("8535Q", lambda c: put(child(c, "C"), death_date=D(2025, 12, 1)), C, "PersonDeathDate",
                 id="8535Q-no-birth-date"),
    pytest.param("8540", lambda c: put(child(c, "A"), disabilities=[]), A, "Disability", id="8540-missing"),
    pytest.param("8540", lambda c: put(child(c, "A"), disabilities=["MOB", "DEAF"]), A, "Disability",
                 id="8540-invalid"),
    pytest.param("8545Q", lambda c: put(child(c, "A"), death_date=D(2025, 3, 31)), A, "PersonDeathDate",
                 id="8545Q"),
    pytest.param("8555Q", lambda c: put(child(c, "A"), death_date=D(2025, 4, 30)), A, "CINreferralDate",
                 id="8555Q"),
    pytest.param("8565", lambda c: put(ep(c, "B"), closure_date=D(2025, 7, 29)), B, "CINclosureDate", id="8565"),
    pytest.param("8565", lambda c: put(ep(c, "A"), closure_date=D(2025, 11, 30), reason_for_closure="RC7"), A,
                 "CINclosureDate", id="8565-open-plan-started-later"),
    pytest.param("8568", lambda c: put(ep(c, "A"), referral_nfa=None), A, "ReferralNFA", id="8568"),
    pytest.param("8569Q", lambda c: put(ep(c, "C"), referral_date=D(2025, 3, 28), closure_date=D(2025, 3, 28)),
                 C, "ReferralNFA", id="8569Q"),
    pytest.param("8585Q", lambda c: put(ep(c, "B"), reason_for_closure="RC2"), B, "ReasonForClosure", id="8585Q"),
    pytest.param("8590", lambda c: put(child(c, "A"), cin_details=[]), A, "CINdetails", id="8590"),
    pytest.param("8600", lambda c: put(ep(c, "A"), referral_date=D(2026, 4, 1)), A, "CINreferralDate", id="8600"),
    pytest.param("8600", lambda c: put(ep(c, "A"), referral_date=None), A, "CINreferralDate", id="8600-missing"),
    pytest.param("8606", lambda c: put(ep(c, "A"), referral_date=D(2014, 8, 24)), A, "CINreferralDate", id="8606"),
    pytest.param("8606", lambda c: put(ep(c, "C"), referral_date=D(2025, 7, 24)), C, "CINreferralDate",
                 id="8606-expected-birth"),
    pytest.param("8608", lambda c: put(ep(c, "A").assessments[0], authorised=D(2025, 5, 1)), A,
                 "AssessmentAuthorisationDate", id="8608"),
    pytest.param("8610", lambda c: put(ep(c, "A"), primary_need=""), A, "PrimaryNeedCode", id="8610"),
]

PASSING = [
    pytest.param("100", lambda c: None, id="100"),
    pytest.param("1103", lambda c: put(ep(c, "A").assessments[0], start=D(2025, 5, 1)), id="1103-same-day"),
    pytest.param("1104", lambda c: put(ep(c, "A").section47s[0], icpc_date=D(2025, 5, 1)), id="1104-same-day"),
    pytest.param("1105", lambda c: put(ep(c, "A").cp_plans[0], start=D(2025, 5, 1)), id="1105-same-day"),
    pytest.param("1510", lambda c: put(child(c, "A"), upn="Q21300001234A"), id="1510-temporary"),
    pytest.param("1520", lambda c: put(child(c, "B"), upn="G942000012345"), id="1520"),
    pytest.param("1530", lambda c: put(child(c, "A"), upn="G942000012345"), id="1530"),
    pytest.param("1540", lambda c: put(child(c, "A"), upn="Q21300001234A"), id="1540"),
    pytest.param("1550", lambda c: put(child(c, "A"), upn="Q21300001234A"), id="1550"),
    pytest.param("1560Q", lambda c: put(child(c, "A"), former_upn="L213000012345"), id="1560Q"),
    pytest.param("1570", lambda c: put(child(c, "A"), la_child_id="A" * 20), id="1570"),
    pytest.param("1580", lambda c: put(child(c, "A"), la_child_id="Child0001"), id="1580"),
    pytest.param("2883", lambda c: ep(c, "A").cp_plans.append(CPPlan(D(2025, 3, 31), D(2025, 4, 30), "PHY", "PHY", 1)),
                 id="2883-plan-before-the-year"),
    pytest.param("2884", lambda c: put(ep(c, "B"), icpc_date=D(2025, 7, 20)), id="2884"),
    pytest.param("2885", lambda c: (put(ep(c, "A").section47s[0], icpc_not_required=True),
                                    put(ep(c, "A"), icpc_date=D(2025, 6, 1))), id="2885-conference-on-the-episode"),
    pytest.param("2885", lambda c: put(ep(c, "A").cp_plans[0], start=D(2025, 3, 31)), id="2885-before-the-year"),
    pytest.param("2886Q", lambda c: (put(child(c, "B"), sex=""),
                                     c.children.extend(Child(f"M{n}", sex="M") for n in range(48))),
                 id="2886Q-1-in-51"),
    pytest.param("2887Q", lambda c: put(child(c, "B"), disabilities=["AUT"]), id="2887Q"),
    pytest.param("2888Q", lambda c: put(child(c, "A"), disabilities=["NONE"]), id="2888Q-nobody-disabled"),
    pytest.param("2889", lambda c: put(ep(c, "A").section47s[0], start=D(2025, 5, 1)), id="2889-same-day"),
    pytest.param("2990", lambda c: (ep(c, "B").cin_plans.append(CINPlan(D(2025, 7, 5), D(2025, 7, 20))),
                                    put(ep(c, "B"), reason_for_closure="RC7")), id="2990-other-reason"),
    pytest.param("2991Q", lambda c: put(ep(c, "A"), assessments=[], section47s=[]), id="2991Q"),
    pytest.param("4000", lambda c: (ep(c, "C").cin_plans.append(CINPlan(D(2025, 11, 3), D(2025, 11, 4))),
                                    put(ep(c, "C"), referral_nfa=False)), id="4000"),
    pytest.param("4001", lambda c: (put(ep(c, "A").cp_plans[0], end=None),
                                    put(ep(c, "A").cin_plans[1], end=D(2026, 1, 5))), id="4001"),
    pytest.param("4003", lambda c: ep(c, "A").cp_plans[0].reviews.append(D(2025, 6, 1)),
                 id="4003-review-the-day-the-cin-plan-ended"),
    pytest.param("4004", lambda c: ep(c, "A").cin_plans.append(CINPlan(D(2026, 1, 5), D(2026, 1, 20))),
                 id="4004"),
    pytest.param("4008", lambda c: put(child(c, "A"), death_date=D(2025, 12, 1)), id="4008-same-day"),
    pytest.param("4009Q", lambda c: put(child(c, "A"), death_date=D(2025, 6, 1)), id="4009Q-same-day"),
    pytest.param("4010", lambda c: put(ep(c, "A").cin_plans[1], start=D(2026, 3, 31)), id="4010-reference-date"),
    pytest.param("4011", lambda c: put(ep(c, "A").cin_plans[0], end=D(2025, 5, 20)), id="4011-same-day"),
    pytest.param("4012Q", lambda c: put(ep(c, "A").cin_plans[0], end=D(2025, 5, 21)), id="4012Q"),
    pytest.param("4013", lambda c: put(ep(c, "A").cin_plans[0], start=D(2025, 3, 1), end=D(2025, 4, 1)),
                 id="4013-first-day"),
    pytest.param("4014", lambda c: put(ep(c, "A").cin_plans[1], start=D(2025, 6, 2)), id="4014-day-after"),
    pytest.param("4015", lambda c: put(ep(c, "A").cin_plans[0], start=D(2025, 5, 1)), id="4015-same-day"),
    pytest.param("4016", lambda c: put(ep(c, "A").cin_plans[1], start=D(2025, 12, 1)),
                 id="4016-the-day-the-cp-plan-ends"),
    pytest.param("4017", lambda c: put(ep(c, "A").cp_plans[0], start=D(2025, 6, 1)),
                 id="4017-the-day-the-cin-plan-ends"),
    pytest.param("4180", lambda c: put(child(c, "A"), sex="U"), id="4180"),
    pytest.param("4220", lambda c: put(child(c, "A"), ethnicity="WROM"), id="4220"),
    pytest.param("8500", lambda c: put(child(c, "A"), la_child_id="X"), id="8500"),
    pytest.param("8510", lambda c: put(child(c, "B"), la_child_id="CHILDD"), id="8510"),
    pytest.param("8520", lambda c: put(child(c, "A"), birth_date=D(2026, 3, 31)), id="8520-reference-date"),
    pytest.param("8525Q", lambda c: put(child(c, "C"), birth_date=None), id="8525Q"),
    pytest.param("8530Q", lambda c: put(child(c, "C"), expected_birth_date=D(2026, 3, 1)), id="8530Q-1-march"),
    pytest.param("8530Q", lambda c: put(child(c, "C"), expected_birth_date=D(2026, 12, 31)), id="8530Q-31-december"),
    pytest.param("8535Q", lambda c: put(child(c, "A"), death_date=D(2015, 6, 1)), id="8535Q-same-day"),
    pytest.param("8540", lambda c: put(child(c, "C"), disabilities=[]), id="8540-unborn"),
    pytest.param("8540", lambda c: (put(child(c, "B"), disabilities=[]), put(ep(c, "B"), referral_nfa=True)),
                 id="8540-only-nfa"),
    pytest.param("8545Q", lambda c: put(child(c, "A"), death_date=D(2025, 4, 1)), id="8545Q-first-day"),
    pytest.param("8555Q", lambda c: put(child(c, "A"), death_date=D(2025, 5, 1)), id="8555Q-same-day"),
    pytest.param("8565", lambda c: put(ep(c, "B"), closure_date=D(2025, 7, 30)), id="8565-same-day"),
    pytest.param("8568", lambda c: put(ep(c, "A"), referral_nfa=True), id="8568"),
    pytest.param("8569Q", lambda c: put(ep(c, "C"), referral_date=D(2025, 3, 31), closure_date=D(2025, 3, 31)),
                 id="8569Q-last-working-day"),
    pytest.param("8585Q", lambda c: (put(ep(c, "B"), reason_for_closure="RC2"),
                                     put(child(c, "B"), death_date=D(2025, 8, 1))), id="8585Q"),
    pytest.param("8590", lambda c: None, id="8590"),
    pytest.param("8600", lambda c: put(ep(c, "A"), referral_date=D(2026, 3, 31)), id="8600-reference-date"),
    pytest.param("8606", lambda c: put(ep(c, "A"), referral_date=D(2014, 8, 25)), id="8606-280-days"),
    pytest.param("8608", lambda c: put(ep(c, "A").assessments[0], authorised=D(2025, 5, 2)), id="8608-same-day"),
    pytest.param("8610", lambda c: put(ep(c, "C"), primary_need=""), id="8610-nfa"),
]


@pytest.mark.parametrize(("code", "change", "child_id", "field"), FAILING)
def test_rule_finds_the_child_and_the_item(code, change, child_id, field):
    census = valid_census()
    change(census)
    assert (child_id, field) in found(census, code)


@pytest.mark.parametrize(("code", "change"), PASSING)
def test_rule_passes(code, change):
    census = valid_census()
    change(census)
    assert found(census, code) == []


def test_findings_name_the_row():
    census = valid_census()
    ep(census, "A").assessments[0].start = D(2025, 4, 30)
    [finding] = CIN_2026.run(census, only=["1103"]).findings
    assert finding.detail == "30/04/2025"
    census.children.append(Child("", sex="M"))
    [finding] = CIN_2026.run(census, only=["8500"]).findings
    assert finding.detail == "child record 4"
