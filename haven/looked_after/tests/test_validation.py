"""Each SSDA903 episode rule with a history it rejects and one it accepts."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from haven.looked_after import validation
from haven.looked_after.validation import Row

D = dt.date
TODAY = D(2026, 1, 1)
DOB = D(2012, 1, 1)
d1, d2, d3, d4 = D(2020, 1, 1), D(2020, 3, 1), D(2020, 5, 1), D(2020, 7, 1)


def R(decom=d1, **kw) -> Row:
    return Row(decom=decom, **kw)


def moved(rows_after=(), **first) -> list[Row]:
    """An episode ending X1 on d2, then the given rows."""
    return [R(d1, dec=d2, rec="X1", **first), *rows_after]


def respite(**kw) -> Row:
    base = dict(ls="V3", distance=None, pl_post="", location="", pl_la="", home_post="")
    base.update(kw)
    return R(**base)


def days(n):
    return d1 + dt.timedelta(days=n)


CASES = {
    "302": ([R(D(2011, 1, 1))], [R(D(2013, 1, 1))], DOB),
    "352": ([R(D(2019, 1, 1))], [R(D(2017, 1, 1))], D(2000, 6, 1)),
    "356": ([R(d3, dec=d2, rec="E8")], [R(d2, dec=d3, rec="E8")], DOB),
    "355": ([R(d2, dec=d2, rec="E8")], [R(d2, dec=d3, rec="E8")], DOB),
    "142": ([R(d1), R(d2, rne="P", place="U4")], moved([R(d2, rne="P", place="U4")]), DOB),
    "148": ([R(d1, dec=d2)], [R(d1, dec=d2, rec="E8")], DOB),
    "501": ([R(d1, dec=d3, rec="X1"), R(d2, rne="P", place="U4")], moved([R(d2, rne="P", place="U4")]), DOB),
    "357": ([R(rne="P")], [R(rne="S")], DOB),
    "431": (moved([R(d2, rne="S")]), moved([R(d2, rne="P", place="U4")]), DOB),
    "432": ([R(d1, dec=d2, rec="E8"), R(d3, rne="P")], [R(d1, dec=d2, rec="E8"), R(d3, rne="S")], DOB),
    "433": (moved([R(d3, rne="P", place="U4")]), moved([R(d2, rne="P", place="U4")]), DOB),
    "388": (moved(), moved([R(d2, rne="P", place="U4")]), DOB),
    "437": ([R(d1, dec=d2, rec="E2"), R(d3)], [R(d1, dec=d2, rec="E2")], DOB),
    "434": (moved([R(d2, rne="L", ls="C1", place="U4")]), moved([R(d2, rne="L", ls="C1")]), DOB),
    "435": (moved([R(d2, rne="P", ls="C1", place="U4")]), moved([R(d2, rne="P", place="U4")]), DOB),
    "436": (moved([R(d2, rne="T", place="U4")]), moved([R(d2, rne="T", ls="C1", place="U4")]), DOB),
    "358": ([R(D(2020, 1, 1), ls="J1")], [R(D(2023, 1, 1), ls="J1")], DOB),
    "359": ([R(D(2017, 1, 1), dec=D(2018, 6, 1), rec="E8")], [R(D(2017, 1, 1), dec=D(2017, 12, 1), rec="E8")],
            D(2000, 1, 1)),
    "361": ([R(ls="L1", dec=days(5), rec="E8")], [R(ls="L1", dec=days(2), rec="E8")], DOB),
    "362": ([R(ls="L2", dec=days(30), rec="E8")], [R(ls="L2", dec=days(10), rec="E8")], DOB),
    "363": ([R(ls="L3", dec=days(10), rec="E8")], [R(ls="L3", dec=days(5), rec="E8")], DOB),
    "364": ([R(ls="J2", dec=days(3), rec="E8")], [R(ls="J2", dec=days(1), rec="E8")], D(2005, 1, 1)),
    "365": ([respite(dec=days(20), rec="E8")], [respite(dec=days(10), rec="E8")], DOB),
    "366": ([respite(rne="P", dec=days(3), rec="E8")], [respite(dec=days(3), rec="E8")], DOB),
    "367": ([respite(decom=days(i * 30), dec=days(i * 30 + 16), rec="E8") for i in range(5)],
            [respite(decom=days(i * 30), dec=days(i * 30 + 16), rec="E8") for i in range(3)], DOB),
    "377": ([R(days(i * 60), place="T3", dec=days(i * 60 + 7), rec="E8") for i in range(3)],
            [R(days(i * 60), place="T3", dec=days(i * 60 + 7), rec="E8") for i in range(2)], DOB),
    "378": ([R(place="P1", place_provider="PR0", ls="V2")], [R(place="P1", place_provider="PR0")], DOB),
    "382": ([respite(place="T1", dec=days(3), rec="E8")], [respite(dec=days(3), rec="E8")], DOB),
    "384": ([respite(place="U4", dec=days(3), rec="E8")], [respite(dec=days(3), rec="E8")], DOB),
    "408": ([R(place="A5")], [R(place="A5", ls="E1")], DOB),
    "217": ([R(place="A3", rne="P")], [R(place="A3", rne="S")], DOB),
    "371": ([R(D(2025, 1, 1), place="H5")], [R(D(2025, 1, 1), place="H5")], None),
    "372": ([R(D(2020, 1, 1), place="R5")], [R(D(2023, 1, 1), place="R5")], DOB),
    "373": ([R(D(2014, 1, 1), place="S1")], [R(D(2017, 1, 1), place="S1")], DOB),
    "374": ([R(D(2024, 1, 1), place="P3")], [R(D(2025, 6, 1), place="P3", place_provider="PR4")], None),
    "375": ([R(place="T1", dec=days(50), rec="E8")], [R(place="T1", dec=days(30), rec="E8")], DOB),
    "376": ([R(place="T3", dec=days(25), rec="E8")], [R(place="T3", dec=days(14), rec="E8")], DOB),
    "379": ([R(place="T4", dec=days(10), rec="E8")], [R(place="T4", dec=days(5), rec="E8")], DOB),
    "380": ([R(place="T1")], [R(place="U6")], DOB),
    "381": ([R(place="T1", rne="P", dec=d2, rec="E8")], [R(place="U6", dec=d2, rec="E8")], DOB),
    "383": ([R(d1, dec=d2, rec="X1"), R(d2, rne="P", place="T1", place_provider="", dec=d3, rec="X1"),
             R(d3, rne="P", pl_post="W10 5AA")],
            [R(d1, dec=d2, rec="X1"), R(d2, rne="P", place="T1", place_provider="", dec=d3, rec="X1"),
             R(d3, rne="P")], DOB),
    "213": ([R(place="T1", rne="P")], [R(place="T1", rne="P", place_provider="")], DOB),
    "526": ([R(place_provider="")], [R()], DOB),
    "527": ([R(place="P1", place_provider="PR1")], [R(place="U6", place_provider="PR1")], DOB),
    "528": ([R(place="R2", place_provider="PR2")], [R(place="U6", place_provider="PR2")], DOB),
    "529": ([R(place="K2", place_provider="PR3")], [R(place="R2", place_provider="PR3")], DOB),
    "530": ([R(place="P1", place_provider="PR4")], [R(place="K2", place_provider="PR4")], DOB),
    "531": ([R(place="P1", place_provider="PR5")], [R(place="K2", place_provider="PR5")], DOB),
    "550": ([R(place="U6", place_provider="PR0")], [R(place="P1", place_provider="PR0")], DOB),
    "1015": ([R(location="OUT")], [R(location="IN")], DOB),
    "1008": ([R(urn="AB1")], [R(urn="SC123456")], DOB),
    "218": ([R(place="K2", place_provider="PR4")], [R(place="K2", place_provider="PR4", urn="SC123456")], DOB),
    "222": ([R(place="P2", urn="SC123456")], [R(place="P2")], DOB),
    "392a": ([R(distance=None)], [R()], DOB),
    "392b": ([R(pl_post="")], [R()], DOB),
    "392c": ([R(pl_post="XYZ")], [R(pl_post="W9 2BB")], DOB),
    "392d": ([R(pl_post="W2 1AA")], [R(place="P1", place_provider="PR0", pl_post="W2 1AA")], DOB),
    "398": ([respite(distance=Decimal("2.0"))], [respite()], DOB),
    "420": ([respite(pl_la="Westminster")], [respite()], DOB),
    "214": ([respite(pl_post="W9 2BB")], [respite()], DOB),
    "406": ([R(uasc=True)], [R(uasc=True, distance=None)], DOB),
    "454": ([R(distance=Decimal("400"))], [R(distance=Decimal("10"))], DOB),
    "386": ([R(D(2017, 1, 1), place="A5", ls="E1", dec=D(2019, 1, 1), rec="E11")],
            [R(D(2017, 1, 1), place="A5", ls="E1", dec=D(2017, 6, 1), rec="E11")], D(2000, 6, 1)),
    "387": ([R(dec=d2, rec="E5")], [R(dec=d2, rec="E5")], None),
    "389": ([R(dec=d2, rec="E7")], [R(dec=d2, rec="E7")], None),
    "407": ([R(dec=d2, rec="E45")], [R(dec=d2, rec="E45")], None),
    "460": ([R(dec=d2, rec="E17")], [R(dec=d2, rec="E17")], None),
    "390": ([R(dec=d2, rec="E11")], [R(place="A5", ls="E1", dec=d2, rec="E11")], DOB),
    "516": ([R(place="K2", dec=d2, rec="E45")], [R(place="U6", dec=d2, rec="E45")], DOB),
    "225": (moved([R(d2, rne="P", place="U4")]), moved([R(d2, rne="P", place="U4")], reason_place_change="CARPL"),
            DOB),
    "226": ([R(d1, dec=d2, rec="X1"), R(d2, rne="P", place="T1", place_provider="", reason_place_change="CARPL",
                                       dec=d3, rec="X1"), R(d3, rne="P")],
            [R(d1, dec=d2, rec="X1"), R(d2, rne="P", place="T1", place_provider="", dec=d3, rec="X1"),
             R(d3, rne="P")], DOB),
    "233": ([R(reason_place_change="CARPL")], [R()], DOB),
    "234": ([R(dec=d2, rec="E9", reason_place_change="CUSTOD")],
            [R(dec=d2, rec="E9", reason_place_change="CUSTOD")], None),
}
# Rules about age at the end, where the same history passes or fails by date of birth.
BY_AGE = {"371": (DOB, D(2008, 1, 1)), "374": (DOB, D(2008, 1, 1)), "387": (D(2012, 1, 1), D(2000, 1, 1)),
          "389": (D(2012, 1, 1), D(2000, 1, 1)), "407": (D(2000, 1, 1), D(2012, 1, 1)),
          "460": (D(2012, 1, 1), D(2000, 1, 1)), "234": (D(2012, 1, 1), D(2005, 1, 1))}


def codes(rows, dob):
    return {f.code for f in validation.check(rows, dob=dob, today=TODAY)}


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_rejects_and_accepts(code):
    failing, passing, dob = CASES[code]
    fail_dob, pass_dob = BY_AGE.get(code, (dob, dob))
    assert code in codes([replace(r) for r in failing], fail_dob), f"{code} should reject"
    assert code not in codes([replace(r) for r in passing], pass_dob), f"{code} should accept"


def test_every_rule_is_tested():
    assert {code for code, _ in validation.RULES} == set(CASES)
    assert len(CASES) >= 20


def test_a_clean_history_has_no_findings():
    rows = moved([R(d2, rne="P", place="U4", dec=d3, rec="X1"), R(d3, rne="L", ls="C1", place="U4")],
                 reason_place_change="CARPL")
    assert validation.check(rows, dob=DOB, today=TODAY) == []


def test_finding_carries_the_dfe_message_and_field():
    [finding] = [f for f in validation.check([R(pl_post="")], dob=DOB, today=TODAY) if f.code == "392b"]
    assert finding.field == "PL_POST"
    assert finding.message.startswith("Child is looked after but no postcodes are recorded.")
    assert "392b" in str(finding) and "01/01/2020" in str(finding)


TSV = Path("/work/shared/reference/rules_903_2026_27.tsv")


@pytest.mark.skipif(not TSV.exists(), reason="reference file not present")
def test_messages_match_the_dfe_rules_file():
    with TSV.open(newline="", encoding="utf-8") as fh:
        dfe = {row[0]: row[1] for row in csv.reader(fh, delimiter="\t") if len(row) > 1}
    for code, message in validation.MESSAGES.items():
        assert dfe[code] == message, code
