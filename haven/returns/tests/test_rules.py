"""The rule framework: DfE codes, messages and severities from the DfE's files; registries per
year; which rules ran and which did not, and why; a rule's bug shown, not hidden. And the
registries are complete: every DfE code is a rule, or is listed as not run with the reason."""

from __future__ import annotations

import csv

import pytest

from haven.returns.rules import ERROR, QUERY, REFERENCE, Hit, Registry


def test_messages_and_severities_come_from_the_dfe_file_word_for_word():
    reg = Registry("test", "rules_cin_2025_26.tsv")

    @reg.rule("8840", fields=("CPPendDate",))
    def same_day(data):
        yield Hit("C1", "CPPendDate", "01/05/2025")

    @reg.rule("8842Q")
    def review_missing(data):
        yield Hit("C2", "CPPreviewDate")

    report = reg.run(object(), locate=lambda child: (7, f"/people/{child}/"))
    assert [(f.code, f.severity, f.child, f.url) for f in report.findings] == [
        ("8840", ERROR, "C1", "/people/C1/"), ("8842Q", QUERY, "C2", "/people/C2/")]
    assert report.findings[0].message == "Child Protection Plan cannot start and end on the same day"
    assert [f.code for f in report.errors] == ["8840"] and [f.code for f in report.queries] == ["8842Q"]
    assert {r.code for r in report.ran} == {"8840", "8842Q"}


def test_a_code_not_in_the_dfe_file_or_registered_twice_is_refused():
    reg = Registry("test", "rules_cin_2025_26.tsv")
    with pytest.raises(KeyError):
        reg.rule("9999")
    reg.rule("8840")(lambda data: [])
    with pytest.raises(ValueError):
        reg.rule("8840")(lambda data: [])
    with pytest.raises(KeyError):
        reg.cannot_run("9999", "no such rule")


def test_a_rule_needing_an_item_haven_does_not_hold_is_reported_as_not_run_with_the_reason():
    reg = Registry("test", "rules_903_2026_27.tsv")
    reg.not_held["CONVICTED"] = "Haven does not record convictions yet"
    calls = []

    @reg.rule("1000", needs=("ACCOM",))
    def held(data):
        calls.append("1000")
        return []

    @reg.rule("1005", needs=("CONVICTED",))
    def not_held(data):
        calls.append("1005")
        return [Hit("C1")]

    report = reg.run(object())
    assert calls == ["1000"] and report.findings == []
    assert report.not_run == {"1005": "CONVICTED: Haven does not record convictions yet"}


def test_a_rule_that_fails_is_shown_as_failed_and_the_others_still_run():
    reg = Registry("test", "rules_cin_2025_26.tsv")
    reg.rule("8840")(lambda data: 1 / 0)
    reg.rule("8841")(lambda data: [Hit("C1", "CPPreviewDate")])
    report = reg.run(object())
    assert "ZeroDivisionError" in report.crashed["8840"] and [f.code for f in report.findings] == ["8841"]


def test_next_years_registry_keeps_the_rules_still_in_its_file_with_its_messages():
    this = Registry("this year", "rules_cin_2025_26.tsv")
    this.rule("8840")(lambda data: [Hit("C1")])
    this.cannot_run("8842Q", "reason")
    nxt = this.derive("next year", "rules_cin_2025_26.tsv")
    assert set(nxt.rules) == {"8840"} and nxt.not_run == {"8842Q": "reason"}
    assert nxt.rules["8840"].message == this.rules["8840"].message


def test_a_rule_about_what_is_due_by_the_year_end_waits_while_the_year_is_in_progress():
    import datetime as dt
    from types import SimpleNamespace

    reg = Registry("test", "rules_903_2026_27.tsv")
    reg.rule("186", at_year_end=True)(lambda data: [Hit("C1", "SDQ_SCORE")])
    reg.rule("185")(lambda data: [Hit("C2", "SDQ_SCORE")])
    in_year = SimpleNamespace(in_progress=True, as_at=dt.date(2026, 1, 1))
    report = reg.run(in_year)
    assert [f.code for f in report.findings] == ["185"] and [r.code for r in report.ran] == ["185"]
    assert report.in_progress and report.as_at == dt.date(2026, 1, 1)
    assert report.not_run["186"] == ("judged at the end of the collection year: the year is in progress and the "
                                     "return is as at 01/01/2026")
    ended = SimpleNamespace(in_progress=False, as_at=dt.date(2026, 3, 31))
    assert {f.code for f in reg.run(ended).findings} == {"185", "186"}
    assert {f.code for f in reg.run(object()).findings} == {"185", "186"}   # data with no as-at day: the year end
    assert reg.derive("next year", "rules_903_2026_27.tsv").rules["186"].at_year_end


def test_the_rules_judging_what_is_due_by_31_march_are_marked_so():
    from haven.returns.ssda903_rules import registry_for

    registry = registry_for(2027)
    assert {code for code, r in registry.rules.items() if r.at_year_end} == {"186", "191", "197B", "543", "545"}


def test_only_runs_the_rules_asked_for():
    reg = Registry("test", "rules_cin_2025_26.tsv")
    reg.rule("8840")(lambda data: [Hit("C1")])
    reg.rule("8841")(lambda data: [Hit("C2")])
    assert [f.code for f in reg.run(object(), only=["8841"]).findings] == ["8841"]


def _codes(filename):
    with (REFERENCE / filename).open(encoding="utf-8", newline="") as f:
        return {row[0].strip() for row in csv.reader(f, delimiter="\t") if row and row[0].strip()}


@pytest.mark.parametrize("module, year, filename, expected", [
    ("haven.returns.cin_rules", 2026, "rules_cin_2025_26.tsv", 109),
    ("haven.returns.ssda903_rules", 2027, "rules_903_2026_27.tsv", 327),
])
def test_every_dfe_rule_is_in_the_registry_or_listed_as_not_run_with_a_reason(module, year, filename, expected):
    import importlib

    registry = importlib.import_module(module).registry_for(year)
    assert len(_codes(filename)) == expected == len(registry.dfe)
    assert registry.unaccounted() == []
    assert all(why.strip() for why in registry.not_run.values())


def test_each_collection_year_gets_its_registry():
    from haven.returns.cin_rules import CIN_2026
    from haven.returns.cin_rules import registry_for as cin
    from haven.returns.ssda903_rules import SSDA903_2027
    from haven.returns.ssda903_rules import registry_for as s903

    assert cin(2026) is CIN_2026 and cin(2027) is CIN_2026
    assert s903(2027) is SSDA903_2027 and s903(2026) is SSDA903_2027
