"""The SSDA903 rules of ``ssda903_rules.part_c``, pure Python: a valid return (with last year's)
built by hand, then for each rule a minimal change that breaks it (the rule finds the child and
the item) and changes that keep it (often the boundary).

Rules that need an item Haven does not record yet do not run in the registry (they are listed as
not run); their checks are called directly here, so they are tested all the same."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from haven.returns.ssda903_rules.registry import SSDA903_2027 as R
from haven.returns.ssda903_rules.testing import make_return, row

MY_CODES = ("353 354 385 399 411 426 446 452 453 502 503A 503B 503C 503D 503E 503F 503G 503H 503J 504 "
            "511 514 517 518 519 520 521 522 523 524 525 551 552 553 554 557 558 559 560 561 562 563 579 "
            "580 582 583 584 601 607 625 630 631 632 633 634 635 700 701 702 703 704 705 706 707 708 709 "
            "710 NoE SW02STG1 SW04STG1 SW05STG1 SW06STG2 SW07STG2 SW08STG2 SW09STG2 SW10STG2 SW10aSTG2 "
            "SW10bSTG2 SW11bSTG2 SW12STG2 SW13STG1 SW17STG2 SW18STG2 SW19STG2").split()
RULES = [code for code in MY_CODES if code in R.rules]
WESTMINSTER = SimpleNamespace(ons_code="E09000033")


def header(child, sex, dob, mother=""):
    return row("header", CHILD=child, SEX=sex, DOB=dob, ETHNIC="WBRI", UPN="UN4", MOTHER=mother)


def episode(child, decom, rne, ls, place, *, dec="", rec="", cin="N1", provider="PR1", pl_post="W9 2BB", urn=""):
    return row("episodes", CHILD=child, DECOM=decom, RNE=rne, LS=ls, CIN=cin, PLACE=place,
               PLACE_PROVIDER=provider, DEC=dec, REC=rec, HOME_POST="W2 1AA", PL_POST=pl_post, URN=urn)


def decision(child, placed, ceased="", reason=""):
    return row("placed_for_adoption", CHILD=child, DOB="01/06/2020", DATE_PLACED=placed,
               DATE_PLACED_CEASED=ceased, REASON_PLACED_CEASED=reason)


def sw(child, sw_id, start, end="", reason=""):
    return row("sw_episodes", CHILD=child, SW_ID=sw_id, SW_DECOM=start, SW_DEC=end, SW_REASON=reason)


def dolo(child, start, end=""):
    return {"CHILD": child, "DOLO_START": start, "DOLO_END": end}


def last_year():
    """The year to 31 March 2025: A in a children's home since May 2024 under an open DoLO; C
    under a placement order from March 2025 after the decision of 1 February 2025."""
    ret = make_return(
        2025,
        header=[header("A", "2", "01/01/2015", mother="0"), header("C", "1", "01/06/2020")],
        episodes=[episode("A", "10/05/2024", "S", "C2", "K2", provider="PR4", urn="SC123456"),
                  episode("C", "01/01/2024", "S", "C2", "U6", dec="03/03/2025", rec="X1"),
                  episode("C", "03/03/2025", "L", "E1", "U6")],
        placed_for_adoption=[decision("C", "01/02/2025")],
        dolo=[dolo("A", "01/02/2025")],
    )
    ret.authority = WESTMINSTER
    return ret


def valid_return():
    """The year to 31 March 2026: A (a girl) still in the same home, two social workers; B (a boy)
    started to be looked after in June 2025 (previous permanence: a special guardianship order
    in 2019) under a DoLO from July to December; C adopted in January 2026."""
    ret = make_return(
        2026, previous=last_year(),
        header=[header("A", "2", "01/01/2015", mother="0"), header("B", "1", "01/01/2010"),
                header("C", "1", "01/06/2020")],
        episodes=[episode("A", "10/05/2024", "S", "C2", "K2", provider="PR4", urn="SC123456"),
                  episode("B", "01/06/2025", "S", "C1", "K2", cin="N4", provider="PR4", pl_post="W6 0AA",
                          urn="SC654321"),
                  episode("C", "03/03/2025", "L", "E1", "U6", dec="01/06/2025", rec="X1"),
                  episode("C", "01/06/2025", "P", "E1", "A6", dec="15/01/2026", rec="E11", pl_post="W12 7AA")],
        reviews=[row("reviews", CHILD="A", DOB="01/01/2015", REVIEW="01/11/2025", REVIEW_CODE="PN1")],
        missing=[row("missing", CHILD="A", DOB="01/01/2015", MISSING="M", MIS_START="01/08/2025",
                     MIS_END="02/08/2025")],
        ad1=[row("ad1", CHILD="C", DOB="01/06/2020", DATE_INT="01/02/2025", DATE_MATCH="01/05/2025",
                 FOSTER_CARE="0", NB_ADOPTR="2", SEX_ADOPTR="MF", LS_ADOPTR="L11")],
        placed_for_adoption=[decision("C", "01/02/2025")],
        previous_permanence=[row("previous_permanence", CHILD="B", DOB="01/01/2010", PREV_PERM="P2",
                                 LA_PERM="213", DATE_PERM="01/03/2019")],
        sw_episodes=[sw("A", "SW100001", "01/03/2024", "14/09/2025", "FCONTA"),
                     sw("A", "SW100002", "15/09/2025", "", "MANAGE"),
                     sw("B", "SW100003", "01/06/2025", "", "FCONTA")],
        dolo=[dolo("A", "01/02/2025"), dolo("B", "01/07/2025", "01/12/2025")],
    )
    ret.authority = WESTMINSTER
    return ret


def first(ret, table, child, n=0):
    return ret.rows(table, child)[n]


def hits(ret, code):
    """The rule's findings as (child, item), checked directly (whether or not Haven holds what
    it needs)."""
    return [(h.child, h.field) for h in R.rules[code].check(ret)]


def test_the_valid_return_passes_every_rule():
    ret = valid_return()
    for code in RULES:
        assert hits(ret, code) == [], code
    report = R.run(ret, only=MY_CODES)
    assert report.crashed == {} and report.findings == []
    ran = {r.code for r in report.ran}
    assert ran | set(report.not_run) >= set(MY_CODES)


def test_rules_that_need_items_haven_does_not_hold_are_reported_not_run():
    report = R.run(valid_return(), only=MY_CODES)
    for code in ("511", "525", "601", "625", "630", "700", "709", "SW10aSTG2", "SW13STG1"):
        assert code in report.not_run and code not in {r.code for r in report.ran}
    assert "411" in report.not_run


def set_(ret, table, child, n=0, **values):
    ret.rows(table, child)[n].update(values)


def add(ret, table, item):
    ret.tables.setdefault(table, []).append(item)


def drop(ret, table, child):
    ret.tables[table] = [r for r in ret.tables.get(table, []) if r["CHILD"] != child]


def mother_of_a_child_born_after_the_year(r):
    set_(r, "header", "A", MC_DOB="01/04/2026")


def v3_then_v4(r):
    set_(r, "episodes", "C", 0, LS="V3")
    set_(r, "episodes", "C", 1, LS="V4")


def left_care_missing_on_18th_birthday(r):
    set_(r, "missing", "A", DOB="02/08/2007")
    set_(r, "episodes", "A", DEC="02/08/2025", REC="E13")


def two_ceased_decisions(r):
    set_(r, "placed_for_adoption", "C", DATE_PLACED_CEASED="01/03/2025", REASON_PLACED_CEASED="RD1")
    add(r, "placed_for_adoption", decision("C", "01/01/2025", "15/01/2025", "RD1"))


def open_placement_order_with_ceased_decision(r):
    set_(r, "episodes", "C", 1, DEC="", REC="")
    set_(r, "placed_for_adoption", "C", DATE_PLACED_CEASED="01/12/2025", REASON_PLACED_CEASED="RD1")


def last_years_decision_ceased(r):
    set_(r.previous, "placed_for_adoption", "C", DATE_PLACED_CEASED="01/03/2025", REASON_PLACED_CEASED="RD1")


def girl_left_care_mother_blank(r):
    set_(r, "episodes", "A", DEC="01/02/2026", REC="E13")
    set_(r, "header", "A", MOTHER="")


def ceased_care_dolo_open(r):
    set_(r, "dolo", "B", DOLO_END="")
    set_(r, "episodes", "B", DEC="01/02/2026", REC="E13")


FAILING = [
    ("353", lambda r: set_(r, "episodes", "A", DECOM="13/10/1991"), "A", "DECOM"),
    ("354", lambda r: set_(r, "episodes", "B", DECOM="01/04/2026"), "B", "DECOM"),
    ("385", lambda r: set_(r, "episodes", "C", 1, DEC="01/04/2026"), "C", "DEC"),
    ("399", lambda r: set_(r, "episodes", "A", LS="V3"), "A", "MOTHER"),
    ("399", lambda r: set_(r, "episodes", "A", LS="V4"), "A", "REVIEW"),
    ("426", v3_then_v4, "C", "LS"),
    ("446", lambda r: set_(r, "episodes", "C", 0, DECOM="30/11/2005"), "C", "LS"),
    ("452", lambda r: set_(r, "episodes", "A", PL_POST="SW6 1AA"), "A", "PL_LA"),
    ("453", lambda r: set_(r, "episodes", "A", PL_POST="BR1 1AA"), "A", "PL_DISTANCE"),
    ("502", lambda r: set_(r, "episodes", "A", DECOM="11/05/2024"), "A", "DECOM"),
    ("503A", lambda r: set_(r, "episodes", "A", RNE="P"), "A", "RNE"),
    ("503B", lambda r: set_(r, "episodes", "A", LS="C1"), "A", "LS"),
    ("503C", lambda r: set_(r, "episodes", "A", CIN="N2"), "A", "CIN"),
    ("503D", lambda r: set_(r, "episodes", "A", PLACE="R1"), "A", "PLACE"),
    ("503E", lambda r: set_(r, "episodes", "A", PLACE_PROVIDER="PR5"), "A", "PLACE_PROVIDER"),
    ("503F", lambda r: set_(r, "episodes", "A", URN="SC999999"), "A", "URN"),
    ("503G", lambda r: set_(r, "episodes", "A", PL_POST="BR1 1AA"), "A", "PL_DISTANCE"),
    ("503H", lambda r: set_(r, "episodes", "A", PL_POST="SW6 1AA"), "A", "PL_LA"),
    ("503J", lambda r: set_(r, "episodes", "A", PL_POST="SW6 1AA"), "A", "PL_LOCATION"),
    ("504", lambda r: set_(r, "episodes", "C", 1, CIN="N2"), "C", "CIN"),
    ("511", lambda r: set_(r, "ad1", "C", SEX_ADOPTR="M1"), "C", "SEX_ADOPTR"),
    ("514", lambda r: set_(r, "ad1", "C", LS_ADOPTR="L0"), "C", "SEX_ADOPTR"),
    ("517", lambda r: set_(r, "ad1", "C", LS_ADOPTR="L3", SEX_ADOPTR="MM"), "C", "SEX_ADOPTR"),
    ("518", lambda r: set_(r, "ad1", "C", LS_ADOPTR="L4"), "C", "SEX_ADOPTR"),
    ("519", lambda r: set_(r, "ad1", "C", LS_ADOPTR="L2", SEX_ADOPTR="F1"), "C", "SEX_ADOPTR"),
    ("520", lambda r: set_(r, "ad1", "C", SEX_ADOPTR="FF"), "C", "SEX_ADOPTR"),
    ("524", lambda r: set_(r, "ad1", "C", LS_ADOPTR="L12"), "C", "SEX_ADOPTR"),
    ("521", lambda r: set_(r, "ad1", "C", DATE_INT="02/06/2025"), "C", "DATE_INT"),
    ("522", lambda r: set_(r, "placed_for_adoption", "C", DATE_PLACED_CEASED="31/01/2025"), "C",
     "DATE_PLACED_CEASED"),
    ("523", lambda r: set_(r, "ad1", "C", DATE_INT="05/02/2025"), "C", "DATE_PLACED"),
    ("525", lambda r: set_(r, "placed_for_adoption", "C", DATE_PLACED_CEASED="01/03/2025"), "C",
     "DATE_PLACED_CEASED"),
    ("551", lambda r: drop(r, "placed_for_adoption", "C"), "C", "DATE_PLACED"),
    ("552", lambda r: set_(r, "placed_for_adoption", "C", DATE_PLACED="02/06/2025"), "C", "DATE_PLACED"),
    ("553", lambda r: drop(r, "placed_for_adoption", "C"), "C", "DATE_PLACED"),
    ("553", open_placement_order_with_ceased_decision, "C", "DATE_PLACED_CEASED"),
    ("554", lambda r: set_(r, "placed_for_adoption", "C", DATE_PLACED="04/03/2025"), "C", "DATE_PLACED"),
    ("557", lambda r: set_(r, "episodes", "C", 1, REC="E13"), "C", "DATE_PLACED_CEASED"),
    ("558", two_ceased_decisions, "C", "DATE_PLACED_CEASED"),
    ("559", lambda r: drop(r.previous, "placed_for_adoption", "C"), "C", "DATE_PLACED"),
    ("560", lambda r: set_(r, "placed_for_adoption", "C", DATE_PLACED="02/02/2025"), "C", "DATE_PLACED"),
    ("561", last_years_decision_ceased, "C", "DATE_PLACED"),
    ("562", lambda r: r.previous.tables["episodes"].pop(), "C", "DECOM"),
    ("563", lambda r: set_(r, "placed_for_adoption", "C", DATE_PLACED="", DATE_PLACED_CEASED="01/03/2025",
                           REASON_PLACED_CEASED="RD1"), "C", "DATE_PLACED"),
    ("579", lambda r: add(r, "placed_for_adoption", decision("C", "01/03/2025")), "C", "DATE_PLACED"),
    ("580", left_care_missing_on_18th_birthday, "A", "REC"),
    ("582", lambda r: set_(r, "ad1", "C", DATE_MATCH="15/01/2026"), "C", "DATE_MATCH"),
    ("583", lambda r: add(r, "placed_for_adoption", decision("C", "01/01/2024")), "C", "DATE_PLACED_CEASED"),
    ("584", last_years_decision_ceased, "C", "DATE_PLACED"),
    ("601", lambda r: set_(r, "ad1", "C", FOSTER_CARE=""), "C", "FOSTER_CARE"),
    ("607", girl_left_care_mother_blank, "A", "MOTHER"),
    ("625", mother_of_a_child_born_after_the_year, "A", "MC_DOB"),
    ("630", lambda r: drop(r, "previous_permanence", "B"), "B", "RNE"),
    ("630", lambda r: set_(r, "previous_permanence", "B", LA_PERM=""), "B", "RNE"),
    ("631", lambda r: set_(r, "previous_permanence", "B", PREV_PERM="P9"), "B", "PREV_PERM"),
    ("632", lambda r: set_(r, "previous_permanence", "B", DATE_PERM="01/07/2025"), "B", "DATE_PERM"),
    ("632", lambda r: set_(r, "previous_permanence", "B", DATE_PERM="31/02/2019"), "B", "DATE_PERM"),
    ("633", lambda r: set_(r, "previous_permanence", "B", LA_PERM="123"), "B", "LA_PERM"),
    ("634", lambda r: set_(r, "episodes", "B", DECOM="31/03/2016"), "B", "PREV_PERM"),
    ("635", lambda r: set_(r, "previous_permanence", "B", PREV_PERM="Z1"), "B", "PREV_PERM"),
    ("700", lambda r: set_(r, "dolo", "B", DOLO_START="31/02/2025"), "B", "DOLO_START"),
    ("701", lambda r: set_(r, "dolo", "B", DOLO_END="2025-12-01"), "B", "DOLO_END"),
    ("702", lambda r: set_(r, "dolo", "B", DOLO_END="30/06/2025"), "B", "DOLO_END"),
    ("703", lambda r: set_(r, "dolo", "B", DOLO_START="01/04/2026", DOLO_END=""), "B", "DOLO_START"),
    ("704", lambda r: set_(r, "dolo", "B", DOLO_END="01/04/2026"), "B", "DOLO_END"),
    ("705", lambda r: add(r, "dolo", dolo("B", "01/08/2025", "01/09/2025")), "B", "DOLO_START"),
    ("706", lambda r: drop(r, "dolo", "A"), "A", "DOLO_START"),
    ("707", ceased_care_dolo_open, "B", "DOLO_END"),
    ("708", lambda r: set_(r, "dolo", "B", DOLO_START="01/01/2010"), "B", "DOLO_START"),
    ("709", lambda r: set_(r, "episodes", "B", PLACE="U4"), "B", "PLACEMENT"),
    ("710", lambda r: set_(r, "episodes", "B", PLACE="K1"), "B", "PLACEMENT"),
    ("NoE", lambda r: drop(r.previous, "episodes", "A"), "A", "DECOM"),
    ("SW02STG1", lambda r: set_(r, "sw_episodes", "A", SW_ID="100001"), "A", "SW_ID"),
    ("SW04STG1", lambda r: set_(r, "sw_episodes", "A", SW_DECOM="32/03/2024"), "A", "SW_DECOM"),
    ("SW05STG1", lambda r: set_(r, "sw_episodes", "A", SW_DEC="2025-09-14"), "A", "SW_DEC"),
    ("SW06STG2", lambda r: set_(r, "sw_episodes", "B", SW_DECOM="01/04/2026"), "B", "SW_DECOM"),
    ("SW07STG2", lambda r: set_(r, "sw_episodes", "A", SW_DECOM="01/01/2024", SW_DEC="31/03/2024"), "A", "SW_DEC"),
    ("SW07STG2", lambda r: set_(r, "sw_episodes", "B", SW_DEC="01/04/2026"), "B", "SW_DEC"),
    ("SW08STG2", lambda r: set_(r, "sw_episodes", "A", SW_DEC=""), "A", "SW_DEC"),
    ("SW09STG2", lambda r: set_(r, "sw_episodes", "B", SW_DEC="01/06/2025"), "B", "SW_DEC"),
    ("SW10STG2", lambda r: set_(r, "sw_episodes", "A", 1, SW_DECOM="10/09/2025"), "A", "SW_DECOM"),
    ("SW10aSTG2", lambda r: set_(r, "sw_episodes", "A", 1, SW_DECOM="22/09/2025"), "A", "SW_DECOM"),
    ("SW10bSTG2", lambda r: set_(r, "sw_episodes", "A", 1, SW_DECOM="10/09/2025", SW_REASON="FCONTA"), "A",
     "SW_DECOM"),
    ("SW11bSTG2", lambda r: set_(r, "sw_episodes", "A", 1, SW_DEC="26/03/2026"), "A", "SW_DEC"),
    ("SW12STG2", lambda r: set_(r, "sw_episodes", "B", SW_DECOM="02/06/2025"), "B", "SW_DECOM"),
    ("SW12STG2", lambda r: drop(r, "sw_episodes", "B"), "B", "SW_DECOM"),
    ("SW13STG1", lambda r: set_(r, "sw_episodes", "A", 1, SW_REASON="BUSY"), "A", "SW_REASON"),
    ("SW17STG2", lambda r: set_(r, "sw_episodes", "B", SW_DEC="01/02/2026"), "B", "SW_DEC"),
    ("SW18STG2", lambda r: set_(r, "sw_episodes", "A", SW_DEC="28/02/2024"), "A", "SW_DEC"),
    ("SW19STG2", lambda r: add(r, "sw_episodes", sw("A", "SW100009", "15/09/2025", "", "MANAGE")), "A",
     "SW_DECOM"),
]


@pytest.mark.parametrize(("code", "change", "child", "item"), FAILING,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(FAILING)])
def test_a_minimal_change_breaks_the_rule(code, change, child, item):
    ret = valid_return()
    change(ret)
    assert (child, item) in hits(ret, code)


def test_every_rule_has_a_failing_case():
    assert {c[0] for c in FAILING} == set(RULES)


def dolo_before_the_placement(r):
    set_(r, "episodes", "B", PLACE="U4", DECOM="02/12/2025")


PASSING = [
    ("353", lambda r: set_(r, "episodes", "A", DECOM="14/10/1991")),
    ("354", lambda r: set_(r, "episodes", "B", DECOM="31/03/2026")),
    ("399", lambda r: (set_(r, "episodes", "C", 0, LS="V3"), set_(r, "header", "C", MOTHER="0"))),
    ("446", lambda r: set_(r, "episodes", "C", 0, DECOM="01/12/2005")),
    ("452", lambda r: (set_(r, "episodes", "A", PL_POST="SW6 1AA", RNE="P"))),
    ("453", lambda r: set_(r, "episodes", "A", PL_POST="W9 4ZZ")),   # same district, same distance
    ("503J", lambda r: set_(r, "episodes", "A", PL_POST="W2 5AA")),  # moved, still in Westminster
    ("504", lambda r: set_(r, "episodes", "C", 0, REC="E13")),       # a new period may have a new need
    ("514", lambda r: set_(r, "ad1", "C", LS_ADOPTR="L0", SEX_ADOPTR="F1")),
    ("519", lambda r: set_(r, "ad1", "C", LS_ADOPTR="L2", SEX_ADOPTR="FF")),
    ("554", lambda r: set_(r, "placed_for_adoption", "C", DATE_PLACED="03/03/2025")),
    ("558", lambda r: set_(r, "placed_for_adoption", "C", DATE_PLACED_CEASED="01/03/2025")),  # only one
    ("562", lambda r: None),
    ("580", lambda r: set_(r, "missing", "A", DOB="02/08/2007")),      # 18 while missing, care went on
    ("607", lambda r: set_(r, "episodes", "A", DEC="01/02/2026", REC="E13")),   # MOTHER 0 is completed
    ("632", lambda r: set_(r, "previous_permanence", "B", DATE_PERM="ZZ/03/2019")),
    ("632", lambda r: set_(r, "previous_permanence", "B", DATE_PERM="ZZ/ZZ/2024")),
    ("633", lambda r: set_(r, "previous_permanence", "B", LA_PERM="WAL")),
    ("634", lambda r: set_(r, "episodes", "B", DECOM="01/04/2016")),
    ("635", lambda r: set_(r, "previous_permanence", "B", PREV_PERM="Z1", LA_PERM="", DATE_PERM="")),
    ("705", lambda r: add(r, "dolo", dolo("B", "01/12/2025", "01/02/2026"))),   # starts the day the last ended
    ("708", lambda r: set_(r, "dolo", "B", DOLO_START="02/01/2010")),
    ("709", dolo_before_the_placement),
    ("710", lambda r: set_(r, "episodes", "B", PLACE="K1", DECOM="02/12/2025")),
    ("SW02STG1", lambda r: set_(r, "sw_episodes", "A", SW_ID="XX000001")),
    ("SW07STG2", lambda r: set_(r, "sw_episodes", "A", SW_DEC="01/04/2024")),
    ("SW10aSTG2", lambda r: set_(r, "sw_episodes", "A", 1, SW_DECOM="21/09/2025")),    # 7 days after
    ("SW10aSTG2", lambda r: set_(r, "sw_episodes", "A", 1, SW_DECOM="01/12/2025", SW_REASON="FCONTA")),
    ("SW11bSTG2", lambda r: set_(r, "sw_episodes", "A", 1, SW_DEC="25/03/2026")),
    ("SW11bSTG2", lambda r: (set_(r, "sw_episodes", "A", 1, SW_DEC="28/03/2026"),
                             set_(r, "episodes", "A", DEC="28/03/2026", REC="E13"))),  # left care
    ("SW12STG2", lambda r: set_(r, "sw_episodes", "A", SW_DECOM="01/04/2025")),
    ("SW17STG2", lambda r: (set_(r, "episodes", "B", LS="V3"), drop(r, "sw_episodes", "B"))),  # short breaks
]


@pytest.mark.parametrize(("code", "change"), PASSING, ids=[f"{c[0]}-{i}" for i, c in enumerate(PASSING)])
def test_a_change_that_keeps_the_rule(code, change):
    ret = valid_return()
    change(ret)
    assert hits(ret, code) == []


PREVIOUS_YEAR_RULES = ["452", "453", "502", "503A", "503G", "559", "560", "561", "562", "584", "706", "NoE"]


@pytest.mark.parametrize("code", PREVIOUS_YEAR_RULES)
def test_rules_over_last_years_return_find_nothing_without_it(code):
    ret = valid_return()
    for change in [c[1] for c in FAILING if c[0] == code]:
        change(ret)
    ret.previous = None
    assert hits(ret, code) == []


def test_a_child_who_left_care_before_31_march_needs_no_open_social_worker():
    ret = valid_return()
    set_(ret, "sw_episodes", "B", SW_DEC="01/02/2026")
    set_(ret, "episodes", "B", DEC="01/02/2026", REC="E13")
    assert hits(ret, "SW17STG2") == []
