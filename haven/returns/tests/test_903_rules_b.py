"""SSDA903 rules of part B (haven/returns/ssda903_rules/part_b.py): pure Python, no database.

``valid_return()`` is a small return for the year to 31 March 2026 that passes every rule of
part B; each case makes one minimal change and says whether the rule finds it (with the child
and the item) or not."""

from __future__ import annotations

import pytest

import haven.returns.ssda903_rules  # noqa: F401  (registers the rules)
from haven.returns.ssda903_rules.registry import SSDA903_2027 as R
from haven.returns.ssda903_rules.testing import make_return, row

CODES = ("576 577 578 581 586 602 611 612 620 621 624 626 628 EPI INT01 INT02 INT03 INT04 INT05 INT06 "
         "INT07 INT08 INT09 INT11 INT12 INT13 INT14 INT15 INT16 INT17 INT18 INT21 INT31 INT32 INT33 INT34 "
         "INT35 INT36 1003 1009 112 113 114 115 116 117 118 119 120 134 141 143 144 145 146 147 149 151 164 "
         "165 169 175 176 177 178 179 184 187 210 219 221 224 227 228 229 241 242 243 3001 331 333 334 335 "
         "336 347").split()
CANNOT_RUN = {"164", "169", "179", "219", "221", "224", "227", "228", "229", "241", "242", "243"}
RULES = [c for c in CODES if c not in CANNOT_RUN]


def previous_return():
    """Last year's return (to 31 March 2025): A1 was already looked after, with a missing
    period that ended, and was not a mother."""
    return make_return(
        2025,
        header=[row("header", CHILD="A1", SEX="2", DOB="01/06/2010", ETHNIC="WBRI", UPN="A123456789012", MOTHER="0")],
        episodes=[row("episodes", CHILD="A1", DECOM="10/01/2024", RNE="S", LS="C2", CIN="N1", PLACE="U4",
                      PLACE_PROVIDER="PR1", HOME_POST="W2 1AA", PL_POST="W9 2BB")],
        missing=[row("missing", CHILD="A1", DOB="01/06/2010", MISSING="M", MIS_START="03/03/2025",
                     MIS_END="04/03/2025")],
    )


def valid_return():
    """A1: a girl looked after since 2024 (OC2 cohort), missing once. B2: adopted in the year
    from a placement with his foster carers. C3: a care leaver not looked after in the year.
    D4: an unaccompanied asylum-seeking boy who started to be looked after in the year, with a
    decision that he should be placed for adoption that was later reversed."""
    return make_return(
        2026,
        previous=previous_return(),
        header=[
            row("header", CHILD="A1", SEX="2", DOB="01/06/2010", ETHNIC="WBRI", UPN="A123456789012", MOTHER="0"),
            row("header", CHILD="B2", SEX="1", DOB="01/01/2020", ETHNIC="WBRI", UPN="UN1"),
            row("header", CHILD="C3", SEX="1", DOB="15/08/2007", ETHNIC="WBRI", UPN="B123456789012"),
            row("header", CHILD="D4", SEX="1", DOB="01/01/2012", ETHNIC="BAFR", UPN="C123456789012"),
        ],
        episodes=[
            row("episodes", CHILD="A1", DECOM="10/01/2024", RNE="S", LS="C2", CIN="N1", PLACE="U4",
                PLACE_PROVIDER="PR1", HOME_POST="W2 1AA", PL_POST="W9 2BB"),
            row("episodes", CHILD="B2", DECOM="01/02/2025", RNE="S", LS="C2", CIN="N1", PLACE="U6",
                PLACE_PROVIDER="PR1", DEC="01/05/2025", REC="X1", REASON_PLACE_CHANGE="CARPL",
                HOME_POST="W2 1AA", PL_POST="W9 2BB"),
            row("episodes", CHILD="B2", DECOM="01/05/2025", RNE="T", LS="E1", CIN="N1", PLACE="A5",
                PLACE_PROVIDER="PR1", DEC="10/10/2025", REC="E11", HOME_POST="W2 1AA", PL_POST="W9 2BB"),
            row("episodes", CHILD="D4", DECOM="01/05/2025", RNE="S", LS="C2", CIN="N8", PLACE="K2",
                PLACE_PROVIDER="PR4", HOME_POST="W2 1AA", PL_POST="W9 2BB", URN="SC123456"),
        ],
        uasc=[row("uasc", CHILD="D4", SEX="1", DOB="01/01/2012", DUC="01/01/2030")],
        reviews=[row("reviews", CHILD="A1", DOB="01/06/2010", REVIEW="01/07/2025", REVIEW_CODE="PN1")],
        missing=[row("missing", CHILD="A1", DOB="01/06/2010", MISSING="M", MIS_START="05/06/2025",
                     MIS_END="06/06/2025")],
        oc2=[row("oc2", CHILD="A1", DOB="01/06/2010", SDQ_SCORE="10", HEALTH_CHECK="1", IMMUNISATIONS="1",
                 TEETH_CHECK="1", HEALTH_ASSESSMENT="1")],
        oc3=[row("oc3", CHILD="C3", DOB="15/08/2007", IN_TOUCH="YES", ACTIV="F2", ACCOM="D1")],
        ad1=[row("ad1", CHILD="B2", DOB="01/01/2020", DATE_INT="01/03/2025", DATE_MATCH="20/04/2025",
                 FOSTER_CARE="1", NB_ADOPTR="2", SEX_ADOPTR="MF", LS_ADOPTR="L0")],
        placed_for_adoption=[
            row("placed_for_adoption", CHILD="B2", DOB="01/01/2020", DATE_PLACED="01/03/2025"),
            row("placed_for_adoption", CHILD="D4", DOB="01/01/2012", DATE_PLACED="01/06/2025",
                DATE_PLACED_CEASED="01/09/2025", REASON_PLACED_CEASED="RD1"),
        ],
        previous_permanence=[row("previous_permanence", CHILD="A1", DOB="01/06/2010", PREV_PERM="Z1")],
    )


@pytest.fixture
def every_item_held(monkeypatch):
    """Run the rules that read items Haven does not record yet (they are written and tested)."""
    monkeypatch.setattr(R, "not_held", {})


def found(ret, code):
    report = R.run(ret, only=[code])
    assert not report.crashed, report.crashed
    return {(f.child, f.field) for f in report.findings}


# -- changing the valid return ---------------------------------------------------------------
def first(ret, table, child, n=0):
    return [r for r in ret.tables[table] if r["CHILD"] == child][n]


def set_(table, child, n=0, **values):
    def change(ret):
        first(ret, table, child, n).update(values)
    return change


def add(table, **values):
    def change(ret):
        ret.tables[table].append(row(table, **values))
    return change


def drop(table, child):
    def change(ret):
        ret.tables[table] = [r for r in ret.tables[table] if r["CHILD"] != child]
    return change


def prev(change):
    def on_previous(ret):
        change(ret.previous)
    return on_previous


def both(*changes):
    def change(ret):
        for c in changes:
            c(ret)
    return change


def no_change(ret):
    pass


OPEN_LAST_YEAR = prev(set_("missing", "A1", MIS_START="20/03/2025", MIS_END=""))
A1_LEFT = set_("episodes", "A1", DEC="01/09/2025", REC="E8")

# code: (change that breaks it, child, item), (nearest change that does not)
CASES = {
    "576": ((OPEN_LAST_YEAR, "A1", "CHILD"),
            both(OPEN_LAST_YEAR, add("missing", CHILD="A1", DOB="01/06/2010", MISSING="M", MIS_START="20/03/2025",
                                     MIS_END="02/04/2025"))),
    "577": ((both(A1_LEFT, set_("missing", "A1", MIS_END="")), "A1", "MIS_END"),
            set_("missing", "A1", MIS_END="")),
    "578": ((both(A1_LEFT, set_("missing", "A1", MIS_START="02/09/2025", MIS_END="03/09/2025")), "A1", "MIS_START"),
            both(A1_LEFT, set_("missing", "A1", MIS_START="01/09/2025", MIS_END="01/09/2025"))),
    "581": ((set_("missing", "A1", MIS_START="09/01/2024", MIS_END="10/01/2024"), "A1", "MIS_START"),
            set_("missing", "A1", MIS_START="10/01/2024", MIS_END="11/01/2024")),
    "586": ((set_("missing", "A1", DOB="06/06/2025"), "A1", "MIS_START"),
            set_("missing", "A1", DOB="04/06/2025")),
    "602": ((set_("episodes", "B2", 1, REC="E13"), "B2", "CHILD"),
            set_("episodes", "B2", 1, REC="E12")),
    "611": ((set_("header", "A1", MOTHER="1"), "A1", "MC_DOB"),
            set_("header", "A1", MOTHER="1", MC_DOB="01/01/2025")),
    "612": ((set_("header", "A1", MC_DOB="01/01/2025"), "A1", "MC_DOB"),
            set_("header", "A1", MOTHER="1", MC_DOB="01/01/2025")),
    "620": ((set_("header", "A1", MOTHER="1", DOB="02/04/2014"), "A1", "MOTHER"),
            set_("header", "A1", MOTHER="1", DOB="01/04/2014")),
    "621": ((set_("header", "A1", MOTHER="1", MC_DOB="01/06/2010"), "A1", "MC_DOB"),
            set_("header", "A1", MOTHER="1", MC_DOB="02/06/2010")),
    "624": ((both(prev(set_("header", "A1", MOTHER="1", MC_DOB="01/01/2025")),
                  set_("header", "A1", MOTHER="1", MC_DOB="02/01/2025")), "A1", "MC_DOB"),
            both(prev(set_("header", "A1", MOTHER="1", MC_DOB="01/01/2025")),
                 set_("header", "A1", MOTHER="1", MC_DOB="01/01/2025"))),
    "626": ((set_("header", "A1", MOTHER="1", MC_DOB="31/03/2025"), "A1", "MOTHER"),
            set_("header", "A1", MOTHER="1", MC_DOB="01/04/2025")),
    "628": ((set_("header", "C3", SEX="2", MOTHER="0"), "C3", "MOTHER"),
            set_("header", "C3", SEX="2")),
    "165": ((set_("header", "A1", MOTHER=""), "A1", "MOTHER"),
            set_("header", "A1", MOTHER="1")),
    "210": ((set_("header", "D4", UPN="UN4"), "D4", "UPN"),
            both(set_("header", "D4", UPN="UN4"), set_("episodes", "D4", DECOM="24/03/2026"))),
    "EPI": ((drop("oc3", "C3"), "C3", "CHILD"), drop("header", "C3")),
    "INT01": ((drop("header", "B2"), "B2", "CHILD"), drop("ad1", "B2")),
    "INT02": ((drop("header", "D4"), "D4", "CHILD"), drop("placed_for_adoption", "D4")),
    "INT03": ((drop("header", "D4"), "D4", "CHILD"), both(drop("header", "D4"), drop("episodes", "D4"))),
    "INT04": ((drop("header", "A1"), "A1", "CHILD"), both(drop("header", "A1"), drop("missing", "A1"))),
    "INT05": ((drop("header", "A1"), "A1", "CHILD"), both(drop("header", "A1"), drop("oc2", "A1"))),
    "INT06": ((drop("header", "C3"), "C3", "CHILD"), drop("header", "D4")),
    "INT07": ((drop("header", "A1"), "A1", "CHILD"), both(drop("header", "A1"), drop("previous_permanence", "A1"))),
    "INT08": ((drop("header", "A1"), "A1", "CHILD"), both(drop("header", "A1"), drop("reviews", "A1"))),
    "INT09": ((drop("header", "D4"), "D4", "CHILD"), drop("header", "A1")),
    "INT11": ((set_("ad1", "B2", DOB="02/01/2020"), "B2", "DOB"), set_("ad1", "B2", DOB="1/1/2020")),
    "INT12": ((set_("placed_for_adoption", "D4", DOB="02/01/2012"), "D4", "DOB"),
              set_("placed_for_adoption", "D4", DOB="")),
    "INT13": ((set_("missing", "A1", DOB="02/06/2010"), "A1", "DOB"), set_("missing", "A1", DOB="")),
    "INT14": ((set_("oc2", "A1", DOB="02/06/2010"), "A1", "DOB"), set_("oc2", "A1", DOB="01/06/2010")),
    "INT15": ((set_("oc3", "C3", DOB="16/08/2007"), "C3", "DOB"), set_("oc3", "C3", DOB="15/08/2007")),
    "INT16": ((set_("previous_permanence", "A1", DOB="02/06/2010"), "A1", "DOB"),
              set_("previous_permanence", "A1", DOB="")),
    "INT17": ((set_("reviews", "A1", DOB="02/06/2010"), "A1", "DOB"), set_("reviews", "A1", DOB="01/06/2010")),
    "INT18": ((set_("uasc", "D4", DOB="02/01/2012"), "D4", "DOB"), set_("uasc", "D4", DOB="")),
    "INT21": ((set_("uasc", "D4", SEX="2"), "D4", "SEX"), set_("uasc", "D4", SEX="")),
    "INT31": ((add("ad1", CHILD="B2"), "B2", "CHILD"), add("ad1", CHILD="A1")),
    "INT32": ((add("header", CHILD="B2"), "B2", "CHILD"), add("header", CHILD="E5")),
    "INT33": ((add("oc2", CHILD="A1"), "A1", "CHILD"), add("oc2", CHILD="B2")),
    "INT34": ((add("oc3", CHILD="C3"), "C3", "CHILD"), add("oc3", CHILD="A1")),
    "INT35": ((add("previous_permanence", CHILD="A1"), "A1", "CHILD"), add("previous_permanence", CHILD="B2")),
    "INT36": ((add("uasc", CHILD="D4"), "D4", "CHILD"), add("uasc", CHILD="A1")),
    "1003": ((set_("placed_for_adoption", "D4", DATE_PLACED="30/04/2025"), "D4", "DATE_PLACED"),
             set_("placed_for_adoption", "D4", DATE_PLACED="01/05/2025")),
    "1009": ((set_("episodes", "B2", REASON_PLACE_CHANGE="MOVED"), "B2", "REASON_PLACE_CHANGE"),
             set_("episodes", "B2", REASON_PLACE_CHANGE="OTHER")),
    "112": ((set_("ad1", "B2", DATE_INT="31/02/2025"), "B2", "DATE_INT"), set_("ad1", "B2", DATE_INT="")),
    "113": ((set_("ad1", "B2", DATE_MATCH="2025-04-20"), "B2", "DATE_MATCH"), set_("ad1", "B2", DATE_MATCH="")),
    "114": ((set_("ad1", "B2", FOSTER_CARE="2"), "B2", "FOSTER_CARE"), set_("ad1", "B2", FOSTER_CARE="0")),
    "115": ((set_("placed_for_adoption", "B2", DATE_PLACED="1st March"), "B2", "DATE_PLACED"),
            set_("placed_for_adoption", "B2", DATE_PLACED="")),
    "116": ((set_("placed_for_adoption", "D4", DATE_PLACED_CEASED="32/08/2025"), "D4", "DATE_PLACED_CEASED"),
            set_("placed_for_adoption", "D4", DATE_PLACED_CEASED="31/08/2025")),
    "117": ((set_("placed_for_adoption", "D4", DATE_PLACED_CEASED="01/04/2026"), "D4", "DATE_PLACED_CEASED"),
            set_("placed_for_adoption", "D4", DATE_PLACED_CEASED="31/03/2026")),
    "118": ((set_("placed_for_adoption", "D4", DATE_PLACED_CEASED="30/04/2025"), "D4", "DATE_PLACED_CEASED"),
            set_("placed_for_adoption", "D4", DATE_PLACED_CEASED="01/05/2025")),
    "119": ((set_("placed_for_adoption", "D4", REASON_PLACED_CEASED=""), "D4", "REASON_PLACED_CEASED"),
            set_("placed_for_adoption", "D4", REASON_PLACED_CEASED="", DATE_PLACED_CEASED="")),
    "120": ((set_("placed_for_adoption", "D4", REASON_PLACED_CEASED="RD5"), "D4", "REASON_PLACED_CEASED"),
            set_("placed_for_adoption", "D4", REASON_PLACED_CEASED="RD4")),
    "134": ((add("oc3", CHILD="B2", IN_TOUCH="YES"), "B2", "DATE_INT"), add("oc3", CHILD="B2")),
    "141": ((set_("episodes", "D4", DECOM="01/13/2025"), "D4", "DECOM"), set_("episodes", "D4", DECOM="01/12/2025")),
    "143": ((set_("episodes", "D4", RNE="X"), "D4", "RNE"), set_("episodes", "D4", RNE="P")),
    "144": ((set_("episodes", "D4", LS="V1"), "D4", "LS"), set_("episodes", "D4", LS="V2")),
    "145": ((set_("episodes", "D4", CIN="N9"), "D4", "CIN"), set_("episodes", "D4", CIN="N2")),
    "146": ((set_("episodes", "D4", PLACE="A1"), "D4", "PLACE"), set_("episodes", "D4", PLACE="K1")),
    "147": ((set_("episodes", "D4", DEC="00/00/0000"), "D4", "DEC"), set_("episodes", "D4", DEC="")),
    "149": ((set_("episodes", "B2", 1, REC="E1"), "B2", "REC"), set_("episodes", "B2", 1, REC="E12")),
    "151": ((set_("ad1", "B2", SEX_ADOPTR=""), "B2", "SEX_ADOPTR"),
            set_("ad1", "B2", DATE_INT="", DATE_MATCH="", FOSTER_CARE="", NB_ADOPTR="", SEX_ADOPTR="", LS_ADOPTR="")),
    "175": ((set_("ad1", "B2", NB_ADOPTR="3"), "B2", "NB_ADOPTR"), set_("ad1", "B2", NB_ADOPTR="1")),
    "176": ((set_("ad1", "B2", SEX_ADOPTR="M2"), "B2", "SEX_ADOPTR"), set_("ad1", "B2", SEX_ADOPTR="FF")),
    "177": ((set_("ad1", "B2", LS_ADOPTR="L1"), "B2", "LS_ADOPTR"), set_("ad1", "B2", LS_ADOPTR="L12")),
    "178": ((set_("episodes", "D4", PLACE="T0"), "D4", "PLACE_PROVIDER"),
            set_("episodes", "D4", PLACE="T0", PLACE_PROVIDER="")),
    "184": ((set_("placed_for_adoption", "B2", DATE_PLACED="31/12/2019"), "B2", "DATE_PLACED"),
            set_("placed_for_adoption", "B2", DATE_PLACED="01/01/2020")),
    "187": ((add("oc3", CHILD="A1", DOB="01/06/2010", ACTIV="F2"), "A1", "IN_TOUCH"), add("oc3", CHILD="A1")),
    "3001": ((both(set_("oc3", "C3", ACCOM="Z1"), set_("header", "C3", DOB="15/08/2008")), "C3", "ACCOM"),
             set_("oc3", "C3", ACCOM="Z1")),
    "331": ((set_("ad1", "B2", DATE_MATCH="02/05/2025"), "B2", "DATE_MATCH"), set_("ad1", "B2", DATE_MATCH="01/05/2025")),
    "333": ((set_("ad1", "B2", DATE_INT=""), "B2", "DATE_INT"), set_("ad1", "B2", DATE_INT="20/04/2025")),
    "334": ((set_("ad1", "B2", DATE_INT="31/01/2025"), "B2", "DATE_INT"), set_("ad1", "B2", DATE_INT="01/02/2025")),
    "335": ((set_("ad1", "B2", FOSTER_CARE="0"), "B2", "FOSTER_CARE"),
            both(set_("ad1", "B2", FOSTER_CARE="0"), set_("episodes", "B2", 1, PLACE="A6"))),
    "336": ((set_("episodes", "B2", PLACE="K2"), "B2", "PLACE"), set_("episodes", "B2", PLACE="A4")),
    "347": ((set_("oc3", "C3", ACCOM="T1"), "C3", "ACCOM"),
            set_("oc3", "C3", ACCOM="T1", DOB="01/04/2007")),
}


def test_every_code_of_part_b_is_a_rule_or_explained():
    for code in CODES:
        assert code in R.rules or code in R.not_run, code
    assert set(CASES) == set(RULES)
    assert CANNOT_RUN <= set(R.not_run)


def test_the_valid_return_passes_every_rule_of_part_b(every_item_held):
    report = R.run(valid_return(), only=RULES)
    assert not report.crashed
    assert report.findings == []


@pytest.mark.parametrize("code", sorted(CASES))
def test_the_rule_finds_the_minimal_fault(code, every_item_held):
    (change, child, item), _ = CASES[code]
    ret = valid_return()
    change(ret)
    assert (child, item) in found(ret, code)


@pytest.mark.parametrize("code", sorted(CASES))
def test_the_rule_lets_the_nearest_valid_case_pass(code, every_item_held):
    _, change = CASES[code]
    ret = valid_return()
    change(ret)
    assert found(ret, code) == set()


@pytest.mark.parametrize("code", ["611", "612", "621", "624", "626", "114", "151", "175", "176", "177", "335"])
def test_rules_that_read_an_item_haven_does_not_record_are_reported_as_not_run(code):
    report = R.run(valid_return(), only=[code])
    assert code in report.not_run and not report.findings


@pytest.mark.parametrize("code", ["576", "624", "626"])
def test_rules_comparing_with_last_year_find_nothing_without_it(code):
    ret = valid_return()
    OPEN_LAST_YEAR(ret)
    ret.previous = None
    assert found(ret, code) == set()


def test_the_episode_before_the_first_in_the_return_comes_from_last_year():
    ret = valid_return()
    ret.tables["episodes"] = [r for r in ret.tables["episodes"] if not (r["CHILD"] == "B2" and r["PLACE"] == "U6")]
    ret.previous.tables["episodes"].append(row("episodes", CHILD="B2", DECOM="01/02/2025", RNE="S", LS="C2",
                                               CIN="N1", PLACE="K2", PLACE_PROVIDER="PR4"))
    assert found(ret, "336") == {("B2", "PLACE")}
    ret.previous.tables["episodes"][-1]["PLACE"] = "U6"
    assert found(ret, "336") == set()


def test_a_missing_period_between_two_periods_of_care_is_after_care_ended_not_before_it_started():
    ret = valid_return()
    A1_LEFT(ret)
    ret.tables["episodes"].append(row("episodes", CHILD="A1", DECOM="01/12/2025", RNE="S", LS="V2", CIN="N1",
                                      PLACE="U4", PLACE_PROVIDER="PR1"))
    set_("missing", "A1", MIS_START="01/10/2025", MIS_END="02/10/2025")(ret)
    assert found(ret, "578") == {("A1", "MIS_START")}
    assert found(ret, "581") == set()


def test_oc2_cohort_excludes_a_child_who_started_care_in_the_year():
    ret = valid_return()
    ret.tables["oc3"].append(row("oc3", CHILD="D4", ACTIV="F2"))
    assert found(ret, "187") == set()


def test_oc2_cohort_excludes_a_child_adopted_on_31_march():
    """187 reads the OC2 cohort ("looked after continuously for 12 months at 31 March"): a child
    adopted on 31 March ceased to be looked after that day, has no OC2 row (rules 185, 191 and
    the OC2 table agree) and has an AD1 row, which is no error. Adopted on 30 March or still
    looked after at 31 March, the same child is not in OC2 or is, as before."""
    ret = valid_return()
    b2 = first(ret, "episodes", "B2", 1)
    first(ret, "episodes", "B2").update(DECOM="01/02/2024")        # looked after since before 1 April 2025
    b2.update(DEC="31/03/2026")
    assert found(ret, "187") == set()
    b2.update(DEC="30/03/2026")
    assert found(ret, "187") == set()
    b2.update(DEC="", REC="")                                     # still looked after: AD1 is an error
    assert found(ret, "187") == {("B2", "DATE_INT")}


def test_a_missing_period_carried_over_from_last_year_is_in_care_seen_with_last_years_episodes():
    ret = valid_return()
    OPEN_LAST_YEAR(ret)
    ret.previous.tables["episodes"][0].update(DEC="25/03/2025", REC="X1", REASON_PLACE_CHANGE="CARPL")
    ret.previous.tables["episodes"].append(row("episodes", CHILD="A1", DECOM="25/03/2025", RNE="P", LS="C2",
                                               CIN="N1", PLACE="U6", PLACE_PROVIDER="PR1"))
    ret.tables["episodes"][0].update(DECOM="25/03/2025", RNE="P", PLACE="U6")
    add("missing", CHILD="A1", DOB="01/06/2010", MISSING="M", MIS_START="20/03/2025")(ret)
    for code in ("576", "577", "578", "581"):
        assert found(ret, code) == set(), code
    ret.previous = None
    assert found(ret, "581") == {("A1", "MIS_START")}
