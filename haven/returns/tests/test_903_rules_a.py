"""SSDA903 rules over the header, UASC, reviews, missing, OC2 and OC3 tables
(``haven.returns.ssda903_rules.part_a``): pure Python, no database.

``valid_return()`` is the collection year 2025-26 (1 April 2025 to 31 March 2026) with last
year's return: C1, a girl of 10 looked after since 2020 (OC2, a review, a missing episode); C2,
an unaccompanied asylum-seeking boy of 16 who came into care in September 2025; L1, a care
leaver of 19 who left care at 18 in July 2024. Each case makes one change to it."""

from __future__ import annotations

import pytest

import haven.returns.ssda903_rules  # noqa: F401  (registers the rules)
from haven.returns.ssda903_rules.registry import SSDA903_2027 as R
from haven.returns.ssda903_rules.testing import make_return, row

MY_CODES = """1000 1001 1002 1004 1005 1006 1007 101 1010 1011 1012 1014 1016 102 103 104 105 131 132 133
153 157 158 159 166 167 168 171 174 180 181 182 185 186 188 189 190 191 192 193 196 197B 197a 198
199 202 203 204 205A 205B 205C 205D 207 208 209 215 231 232 301 303 304 344 345 348 351 391 393 440
441 442 444 542 543 544 545 546 547 564 565 566 567 570 571 574 575""".split()
CANNOT_RUN = {"105", "303", "205C"}

C1_DOB, C2_DOB, L1_DOB = "01/06/2015", "01/01/2010", "01/07/2006"


def _header():
    return [
        row("header", CHILD="C1", SEX="F", DOB=C1_DOB, ETHNIC="WBRI", UPN="A123456789012", MOTHER="0"),
        row("header", CHILD="C2", SEX="M", DOB=C2_DOB, ETHNIC="BAFR", UPN="UN4"),
        row("header", CHILD="L1", SEX="M", DOB=L1_DOB, ETHNIC="WBRI", UPN="B123456789012"),
    ]


def previous_return():
    return make_return(
        year=2025,
        header=[h for h in _header() if h["CHILD"] != "C2"],
        episodes=[
            row("episodes", CHILD="C1", DECOM="01/01/2020", RNE="S", LS="C2", PLACE="U4"),
            row("episodes", CHILD="L1", DECOM="01/01/2020", RNE="S", LS="C2", PLACE="U4",
                DEC="01/07/2024", REC="E17"),
        ],
    )


def valid_return():
    return make_return(
        year=2026,
        previous=previous_return(),
        header=_header(),
        episodes=[
            row("episodes", CHILD="C1", DECOM="01/01/2020", RNE="S", LS="C2", PLACE="U4"),
            row("episodes", CHILD="C2", DECOM="01/09/2025", RNE="S", LS="V2", PLACE="K2"),
        ],
        uasc=[row("uasc", CHILD="C2", SEX="M", DOB=C2_DOB, DUC="01/01/2028")],
        reviews=[row("reviews", CHILD="C1", DOB=C1_DOB, REVIEW="10/10/2025", REVIEW_CODE="PN1")],
        missing=[row("missing", CHILD="C1", DOB=C1_DOB, MISSING="M", MIS_START="05/05/2025",
                     MIS_END="06/05/2025")],
        oc2=[row("oc2", CHILD="C1", DOB=C1_DOB, SDQ_SCORE="12", CONVICTED="0", IMMUNISATIONS="1",
                 TEETH_CHECK="1", HEALTH_ASSESSMENT="1", SUBSTANCE_MISUSE="0")],
        oc3=[row("oc3", CHILD="L1", DOB=L1_DOB, IN_TOUCH="YES", ACTIV="F2", ACCOM="U1")],
    )


def found(ret, code):
    """The rule's hits, called directly: rules that need an item Haven does not hold yet do not
    run in ``Registry.run``, but their logic is tested all the same."""
    return list(R.rules[code].check(ret))


# Small edits to a return ------------------------------------------------------------------

def put(table, child, **values):
    """Change the child's rows in ``table`` (this year's return)."""
    def edit(ret):
        for r in ret.tables[table]:
            if r["CHILD"] == child:
                r.update(values)
    return edit


def put_last(table, child, **values):
    def edit(ret):
        put(table, child, **values)(ret.previous)
    return edit


def add(table, last_year=False, **values):
    def edit(ret):
        (ret.previous if last_year else ret).tables[table].append(row(table, **values))
    return edit


def drop(table, child, last_year=False):
    def edit(ret):
        r = ret.previous if last_year else ret
        r.tables[table] = [x for x in r.tables[table] if x["CHILD"] != child]
    return edit


def both(*edits):
    def edit(ret):
        for e in edits:
            e(ret)
    return edit


def keep(ret):
    """No change: the valid return passes the rule."""


OC2_BLANK = dict(CONVICTED="", HEALTH_CHECK="", IMMUNISATIONS="", TEETH_CHECK="", HEALTH_ASSESSMENT="",
                 SUBSTANCE_MISUSE="", INTERVENTION_RECEIVED="", INTERVENTION_OFFERED="")
# C1 came into care in June 2025: not looked after continuously for 12 months at 31 March
C1_NEW = put("episodes", "C1", DECOM="01/06/2025")
# K1: 17 at the year end (born 1 June 2008), in OC3 with care leaver information
K1 = both(add("oc3", CHILD="K1", DOB="01/06/2008", IN_TOUCH="YES", ACTIV="F2", ACCOM="U1"),
          add("episodes", CHILD="K1", DECOM="01/01/2024", RNE="S", LS="C2", PLACE="U4"))
# Y1: 17 at the year end (16 on 1 June 2024, in the years loaded), in OC3 with no episode
Y1 = add("oc3", CHILD="Y1", DOB="01/06/2008", IN_TOUCH="YES", ACTIV="F2", ACCOM="U1")
C1_ADOPTED_BEFORE = add("episodes", last_year=True, CHILD="C1", DECOM="01/01/2019", RNE="S", LS="E1",
                        PLACE="A4", DEC="01/06/2019", REC="E11")

# code, edit, child, field
FAILING = [
    ("101", put("header", "C1", SEX="1"), "C1", "SEX"),
    ("102", put("header", "C1", DOB="31/02/2015"), "C1", "DOB"),
    ("103", put("header", "C1", ETHNIC="WBRX"), "C1", "ETHNIC"),
    ("168", put("header", "C1", UPN="I123456789012"), "C1", "UPN"),
    ("171", put("header", "C1", MC_DOB="2020-01-01"), "C1", "MC_DOB"),
    ("174", put("header", "C2", MC_DOB="01/01/2025"), "C2", "MC_DOB"),
    ("209", put("header", "C1", UPN="UN1"), "C1", "UPN"),
    ("231", put("header", "C2", DOB="01/06/2015"), "C2", "DOB"),
    ("232", put("header", "C1", SEX="U"), "C1", "SEX"),
    ("301", put("header", "C1", DOB="01/04/2026"), "C1", "DOB"),
    ("351", put("header", "L1", DOB="30/03/2000"), "L1", "DOB"),
    ("393", put("header", "C1", MOTHER=""), "C1", "MOTHER"),
    ("442", put("header", "C1", UPN=""), "C1", "UPN"),
    ("444", put("header", "C2", UPN="A123456789012"), "C1", "UPN"),
    ("202", put("header", "C1", SEX="M"), "C1", "SEX"),
    ("203", put("header", "C1", DOB="02/06/2015"), "C1", "DOB"),
    ("204", put("header", "C1", ETHNIC="WIRI"), "C1", "ETHNIC"),
    ("207", both(put_last("header", "C1", MOTHER="1"), put("header", "C1", MOTHER="0")), "C1", "MOTHER"),
    ("208", put("header", "C1", UPN="C123456789012"), "C1", "UPN"),
    ("104", put("uasc", "C2", DUC="32/01/2028"), "C2", "DUC"),
    ("304", put("uasc", "C2", DUC="02/01/2028"), "C2", "DUC"),
    ("205A", add("uasc", last_year=True, CHILD="C1", SEX="M", DOB=C1_DOB, DUC="01/03/2024"), "C1", "UASC"),
    ("205B", both(add("header", last_year=True, CHILD="C2", SEX="M", DOB=C2_DOB),
                  add("uasc", last_year=True, CHILD="C2", SEX="M", DOB=C2_DOB, DUC="01/12/2027")), "C2", "DUC"),
    ("205D", add("header", last_year=True, CHILD="C2", SEX="M", DOB=C2_DOB), "C2", "UASC"),
    ("1014", add("uasc", CHILD="L1", SEX="M", DOB=L1_DOB, DUC="01/07/2024"), "L1", "DUC"),
    ("166", put("reviews", "C1", REVIEW=""), "C1", "REVIEW"),
    ("167", put("reviews", "C1", REVIEW_CODE="PN8"), "C1", "REVIEW_CODE"),
    ("440", put("reviews", "C1", REVIEW_CODE="PN0"), "C1", "REVIEW_CODE"),
    ("441", put("reviews", "C1", DOB="11/10/2021"), "C1", "REVIEW_CODE"),
    ("1004", put("missing", "C1", MIS_START="5/5/25"), "C1", "MIS_START"),
    ("1005", put("missing", "C1", MIS_END="31/13/2025"), "C1", "MIS_END"),
    ("1006", put("missing", "C1", MISSING="X"), "C1", "MISSING"),
    ("564", put("missing", "C1", MIS_START=""), "C1", "MIS_START"),
    ("565", put("missing", "C1", MISSING="", MIS_END=""), "C1", "MISSING"),
    ("566", put("missing", "C1", MISSING=""), "C1", "MISSING"),
    ("567", put("missing", "C1", MIS_END="04/05/2025"), "C1", "MIS_END"),
    ("570", put("missing", "C1", MIS_START="01/04/2026", MIS_END=""), "C1", "MIS_START"),
    ("571", put("missing", "C1", MIS_END="01/04/2026"), "C1", "MIS_END"),
    ("574", add("missing", CHILD="C1", DOB=C1_DOB, MISSING="A", MIS_START="05/05/2025",
                MIS_END="07/05/2025"), "C1", "MIS_START"),
    ("575", both(put("episodes", "C1", DEC="01/06/2025", REC="E4A"), put("missing", "C1", MIS_END="")),
     "C1", "MIS_END"),
    ("157", put("oc2", "C1", SDQ_SCORE="", SDQ_REASON="SDQ1"), "C1", "SDQ_REASON"),
    ("158", put("oc2", "C1", SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="1", INTERVENTION_OFFERED="0"),
     "C1", "INTERVENTION_OFFERED"),
    ("159", put("oc2", "C1", SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="0"), "C1", "INTERVENTION_OFFERED"),
    ("180", put("oc2", "C1", SDQ_SCORE="41"), "C1", "SDQ_SCORE"),
    ("181", put("oc2", "C1", TEETH_CHECK="2"), "C1", "TEETH_CHECK"),
    ("182", put("oc2", "C1", IMMUNISATIONS=""), "C1", "IMMUNISATIONS"),
    ("185", C1_NEW, "C1", "SDQ_SCORE"),
    ("186", put("oc2", "C1", SDQ_SCORE=""), "C1", "SDQ_SCORE"),
    ("188", put("oc2", "C1", DOB="01/04/2022"), "C1", "SDQ_SCORE"),
    ("189", put("oc2", "C1", DOB="01/04/2008"), "C1", "SDQ_SCORE"),
    ("190", C1_NEW, "C1", "CONVICTED"),
    ("191", drop("oc2", "C1"), "C1", "CHILD"),
    ("192", put("oc2", "C1", SUBSTANCE_MISUSE="1"), "C1", "INTERVENTION_RECEIVED"),
    ("193", put("oc2", "C1", INTERVENTION_RECEIVED="1"), "C1", "SUBSTANCE_MISUSE"),
    ("196", put("oc2", "C1", SDQ_SCORE="", SDQ_REASON="SDQ6"), "C1", "SDQ_REASON"),
    ("197B", put("oc2", "C1", DOB="01/06/2021", SDQ_SCORE=""), "C1", "SDQ_REASON"),
    ("197a", put("oc2", "C1", SDQ_REASON="SDQ4"), "C1", "SDQ_REASON"),
    ("198", both(C1_NEW, put("oc2", "C1", SDQ_SCORE="", SDQ_REASON="SDQ4")), "C1", "SDQ_REASON"),
    ("542", put("oc2", "C1", DOB="01/04/2016"), "C1", "CONVICTED"),
    ("543", put("oc2", "C1", CONVICTED=""), "C1", "CONVICTED"),
    ("544", put("oc2", "C1", CONVICTED="1", TEETH_CHECK=""), "C1", "TEETH_CHECK"),
    ("545", put("oc2", "C1", DOB="01/04/2021"), "C1", "HEALTH_CHECK"),
    ("546", put("oc2", "C1", HEALTH_CHECK="1"), "C1", "HEALTH_CHECK"),
    ("547", put("oc2", "C1", HEALTH_CHECK="1", TEETH_CHECK=""), "C1", "TEETH_CHECK"),
    ("215", add("oc2", CHILD="L1", DOB=L1_DOB, IMMUNISATIONS="1"), "L1", "IN_TOUCH"),
    ("131", put("oc3", "L1", IN_TOUCH="MAYBE"), "L1", "IN_TOUCH"),
    ("132", put("oc3", "L1", ACTIV="F3"), "L1", "ACTIV"),
    ("133", put("oc3", "L1", ACCOM="S1"), "L1", "ACCOM"),
    ("153", put("oc3", "L1", ACCOM=""), "L1", "ACCOM"),
    ("344", put("oc3", "L1", IN_TOUCH="DIED", ACCOM="0"), "L1", "ACTIV"),
    ("345", put("oc3", "L1", ACTIV="0"), "L1", "ACTIV"),
    ("348", add("oc3", last_year=True, CHILD="L1", DOB=L1_DOB, IN_TOUCH="DIED", ACTIV="0", ACCOM="0"),
     "L1", "IN_TOUCH"),
    ("391", put("oc3", "L1", DOB="01/04/2009"), "L1", "DOB"),
    ("1000", put_last("episodes", "L1", REC="E2"), "L1", "IN_TOUCH"),
    ("1001", both(Y1, add("episodes", last_year=True, CHILD="Y1", DECOM="01/05/2024", RNE="S", LS="V2",
                          PLACE="U4", DEC="31/05/2024", REC="E13")), "Y1", "IN_TOUCH"),   # left before 16
    ("1002", Y1, "Y1", "IN_TOUCH"),
    ("1007", K1, "K1", "IN_TOUCH"),
    ("1016", both(K1, put("episodes", "K1", DEC="01/07/2025", REC="E13")), "K1", "IN_TOUCH"),
    ("1010", put_last("episodes", "L1", DEC="", REC=""), "L1", "IN_TOUCH"),
    ("1011", add("episodes", CHILD="L1", DECOM="01/01/2024", RNE="S", LS="C2", PLACE="U4",
                 DEC="01/06/2025", REC="E3"), "L1", "IN_TOUCH"),
    ("1012", add("reviews", CHILD="L1", DOB=L1_DOB, REVIEW="10/10/2025", REVIEW_CODE="PN1"), "L1", "CHILD"),
    ("199", C1_ADOPTED_BEFORE, "C1", "CHILD"),
]

# code, edit: the nearest valid case (often just inside a boundary)
PASSING = [
    ("101", put("header", "C1", SEX="U")),
    ("102", keep),
    ("103", put("header", "C1", ETHNIC="NOBT")),
    ("168", put("header", "C1", UPN="A12345678901B")),
    ("171", put("header", "C1", MC_DOB="01/01/2020")),
    ("174", put("header", "C1", MC_DOB="01/01/2020")),
    ("209", put("header", "C1", UPN="UN1", DOB="01/09/2020")),   # 4 on 1 September 2024: not yet school age
    ("231", put("header", "C2", DOB="31/03/2015")),              # 11 on the last day of the year
    ("232", keep),
    ("301", put("header", "C1", DOB="31/03/2026")),
    ("351", put("header", "L1", DOB="01/04/2000")),              # 25 on the first day of the year
    ("393", both(put("header", "C1", MOTHER=""), put("episodes", "C1", LS="V3"))),
    ("442", put("header", "L1", UPN="")),                        # no episode this year
    ("444", put("header", "C2", UPN="UN4")),
    ("202", keep),
    ("203", keep),
    ("204", put("header", "C1", ETHNIC="wbri")),
    ("207", both(put_last("header", "C1", MOTHER="0"), put("header", "C1", MOTHER="1"))),
    ("208", both(put_last("header", "C1", UPN="UN1"), put("header", "C1", UPN="UN4"))),
    ("104", keep),
    ("304", keep),
    ("205A", add("uasc", last_year=True, CHILD="C1", SEX="M", DOB=C1_DOB, DUC="01/07/2024")),
    # a care leaver not looked after this year: UASC details are not required (1014)
    ("205A", add("uasc", last_year=True, CHILD="L1", SEX="M", DOB=L1_DOB, DUC="01/03/2024")),
    ("205B", both(add("header", last_year=True, CHILD="C2", SEX="M", DOB=C2_DOB),
                  add("uasc", last_year=True, CHILD="C2", SEX="M", DOB=C2_DOB, DUC="01/01/2028"))),
    ("205D", both(add("header", last_year=True, CHILD="C2", SEX="M", DOB=C2_DOB),
                  add("uasc", last_year=True, CHILD="C2", SEX="M", DOB=C2_DOB, DUC="01/01/2028"))),
    ("1014", keep),
    ("166", keep),
    ("167", put("reviews", "C1", REVIEW_CODE="PN7")),
    ("440", put("reviews", "C1", REVIEW_CODE="PN0", DOB="11/10/2021")),   # 4 the day after the review
    ("441", put("reviews", "C1", DOB="10/10/2021")),                      # 4 on the day of the review
    ("1004", keep),
    ("1005", put("missing", "C1", MIS_END="")),
    ("1006", put("missing", "C1", MISSING="A")),
    ("564", keep),
    ("565", keep),
    ("566", put("missing", "C1", MISSING="", MIS_END="")),
    ("567", put("missing", "C1", MIS_END="05/05/2025")),
    ("570", put("missing", "C1", MIS_START="31/03/2026", MIS_END="")),
    ("571", put("missing", "C1", MIS_END="31/03/2026")),
    ("574", add("missing", CHILD="C1", DOB=C1_DOB, MISSING="A", MIS_START="06/05/2025")),
    ("575", both(put("episodes", "C1", DEC="01/06/2025", REC="X1"),
                 add("episodes", CHILD="C1", DECOM="01/06/2025", RNE="L", LS="C1", PLACE="U4"),
                 put("missing", "C1", MIS_END=""))),                    # legal status changed, same placement
    ("157", put("oc2", "C1", SDQ_SCORE="", SDQ_REASON="SDQ2")),
    ("158", put("oc2", "C1", SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="1")),
    ("159", put("oc2", "C1", SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="0", INTERVENTION_OFFERED="1")),
    ("180", put("oc2", "C1", SDQ_SCORE="40")),
    ("181", keep),
    ("182", put("oc2", "C1", **OC2_BLANK)),
    ("185", keep),
    ("186", put("oc2", "C1", SDQ_SCORE="", SDQ_REASON="SDQ4")),
    ("188", put("oc2", "C1", DOB="31/03/2022")),
    ("189", put("oc2", "C1", DOB="02/04/2008")),
    ("190", both(C1_NEW, put("oc2", "C1", **OC2_BLANK))),
    ("191", keep),
    ("192", put("oc2", "C1", SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="1")),
    ("193", put("oc2", "C1", SUBSTANCE_MISUSE="1", INTERVENTION_RECEIVED="1")),
    ("196", put("oc2", "C1", SDQ_SCORE="", SDQ_REASON="SDQ5")),
    ("197B", put("oc2", "C1", DOB="01/06/2021", SDQ_SCORE="", SDQ_REASON="SDQ1")),
    ("197a", keep),
    ("198", put("oc2", "C1", SDQ_SCORE="", SDQ_REASON="SDQ4")),
    ("542", put("oc2", "C1", DOB="31/03/2016")),
    ("543", put("oc2", "C1", DOB="01/04/2016", CONVICTED="")),
    ("544", put("oc2", "C1", CONVICTED="1")),
    ("545", put("oc2", "C1", DOB="01/04/2021", HEALTH_CHECK="1")),
    ("546", keep),
    ("547", put("oc2", "C1", HEALTH_CHECK="1")),
    ("215", add("oc2", CHILD="L1", DOB=L1_DOB)),
    ("131", put("oc3", "L1", IN_TOUCH="NREQ")),
    ("132", put("oc3", "L1", ACTIV="G6")),
    ("133", put("oc3", "L1", ACCOM="S2")),
    ("153", put("oc3", "L1", IN_TOUCH="", ACTIV="", ACCOM="")),
    ("344", put("oc3", "L1", IN_TOUCH="DIED", ACTIV="0", ACCOM="0")),
    ("345", keep),
    ("348", add("oc3", last_year=True, CHILD="L1", DOB=L1_DOB, IN_TOUCH="YES", ACTIV="F2", ACCOM="U1")),
    ("391", put("oc3", "L1", DOB="31/03/2009")),                # 17 on the last day of the year
    ("1000", keep),
    ("1001", both(Y1, add("episodes", last_year=True, CHILD="Y1", DECOM="01/05/2024", RNE="S", LS="V2",
                          PLACE="U4", DEC="02/06/2024", REC="E13"))),   # a day in care after 16
    ("1002", drop("episodes", "L1", last_year=True)),   # 16 before the years loaded: cannot be judged
    ("1007", both(K1, put("episodes", "K1", DEC="01/05/2025", REC="E13"))),   # left before turning 17
    ("1016", both(K1, put("episodes", "K1", DEC="31/05/2025", REC="E13"))),
    ("1010", keep),
    ("1011", add("episodes", CHILD="L1", DECOM="01/01/2024", RNE="S", LS="C2", PLACE="U4",
                 DEC="01/06/2025", REC="E13")),
    ("1012", keep),
    ("199", put_last("episodes", "C1", REC="")),
]


def test_every_code_of_mine_is_a_rule_or_cannot_run_with_a_reason():
    for code in MY_CODES:
        assert code in R.rules or R.not_run.get(code), code
    assert CANNOT_RUN <= set(R.not_run)


def test_the_valid_return_passes_every_rule():
    report = R.run(valid_return(), only=MY_CODES)
    assert report.crashed == {}
    assert report.findings == []
    for code in set(MY_CODES) - CANNOT_RUN:
        assert [h for h in found(valid_return(), code)] == [], code


def test_rules_needing_items_haven_does_not_hold_are_reported_as_not_run():
    report = R.run(valid_return(), only=MY_CODES)
    assert "CONVICTED" in report.not_run["542"] or "convictions" in report.not_run["542"]
    assert {"158", "159", "171", "174", "181", "182", "190", "191", "192", "193", "215", "542", "543",
            "544", "547"} <= set(report.not_run)
    assert "101" in {r.code for r in report.ran}


def test_each_code_has_a_failing_and_a_passing_case():
    rules = set(MY_CODES) - CANNOT_RUN
    assert {c for c, *_ in FAILING} == rules
    assert {c for c, _ in PASSING} == rules


@pytest.mark.parametrize(("code", "edit", "child", "field"), FAILING, ids=[c[0] for c in FAILING])
def test_rule_finds(code, edit, child, field):
    ret = valid_return()
    edit(ret)
    hits = found(ret, code)
    assert (child, field) in {(h.child, h.field) for h in hits}, hits


@pytest.mark.parametrize(("code", "edit"), PASSING, ids=[c[0] for c in PASSING])
def test_rule_passes(code, edit):
    ret = valid_return()
    edit(ret)
    assert found(ret, code) == []


@pytest.mark.parametrize("code", ["202", "203", "204", "207", "208", "205A", "205B", "205D", "348", "1001",
                                  "1002", "1010"])
def test_rules_comparing_with_last_year_find_nothing_without_it(code):
    ret = valid_return()
    ret.previous = None
    put("header", "C1", SEX="M", DOB="02/06/2015", ETHNIC="WIRI", UPN="C123456789012")(ret)
    ret.tables["oc3"][0]["DOB"] = "01/07/2007"
    assert found(ret, code) == []


def test_a_found_rule_reports_the_dfe_message_through_the_registry():
    ret = valid_return()
    put("header", "C1", SEX="1")(ret)
    report = R.run(ret, only=["101"])
    [finding] = report.findings
    assert (finding.code, finding.child, finding.field, finding.severity) == ("101", "C1", "SEX", "error")
    assert finding.message == R.dfe["101"][0]


def test_continuously_looked_after_breaks_on_a_new_period_a_leaving_or_a_short_break():
    from haven.returns.ssda903_rules.part_a import _continuously_looked_after

    ret = valid_return()
    assert _continuously_looked_after(ret) == {"C1"}
    put("episodes", "C1", DEC="01/02/2026", REC="X1")(ret)
    add("episodes", CHILD="C1", DECOM="01/02/2026", RNE="P", LS="C2", PLACE="K2")(ret)
    assert _continuously_looked_after(ret) == {"C1"}
    put("episodes", "C1", LS="V4")(ret)
    assert _continuously_looked_after(ret) == set()


def test_care_leaver_rules_judge_older_young_people_when_earlier_years_are_loaded():
    """L1 turned 16 in July 2022: with the returns back to 2022-23 loaded, no episode at all
    (1002) and no care after 16 (1001) are found."""
    ret = valid_return()
    drop("episodes", "L1", last_year=True)(ret)
    assert found(ret, "1002") == found(ret, "1001") == []
    ret.previous.previous = make_return(year=2024, previous=make_return(year=2023))
    assert [h.child for h in found(ret, "1002")] == ["L1"]
    assert [h.child for h in found(ret, "1001")] == ["L1"]
    add("episodes", last_year=True, CHILD="L1", DECOM="01/03/2022", RNE="S", LS="C2", PLACE="U4",
        DEC="01/07/2024", REC="E17")(ret)
    assert found(ret, "1001") == found(ret, "1002") == []


def test_care_leaver_who_left_care_by_adoption():
    ret = valid_return()
    put_last("episodes", "L1", REC="E11")(ret)
    assert [h.child for h in found(ret, "1001")] == ["L1"]
