"""The returns of the seeded partnership (the demo's ``--scale small``): not trivial, free of DfE
errors, schema-valid, and the files say what the database says (round trip).

The seed is as of 1 December 2026, as the demo seeded in December: the years the Returns page
shows are the year to 31 March 2026 (the latest that has ended), the one before, and the year to
31 March 2027, in progress (checked as at the seed's day: what is due by 31 March waits).

One small seed for the module, rolled back at the end (as ``haven/core/tests/test_seed_casework``)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import transaction

from haven.returns import crosscheck

AS_OF = dt.date(2026, 12, 1)   # after the collection year ending 31 March 2026, in the next one
YEAR = 2026
IN_PROGRESS = 2027
SEED = 3


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    from haven.accounts.models import LocalAuthority
    from haven.seed.generate import Seeder

    with django_db_blocker.unblock(), transaction.atomic():
        Seeder(scale="small", seed=SEED, as_of=AS_OF, out=io.StringIO()).run()
        yield list(LocalAuthority.objects.order_by("lea_code"))
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def _summary(report) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in report.errors:
        out[f.code] = out.get(f.code, 0) + 1
    return out


def test_each_authority_has_enough_children_for_its_returns_to_mean_something(seeded):
    from haven.returns import cin_census, ssda903

    for authority in seeded:
        census = cin_census.build(authority, YEAR)
        ret = ssda903.build(authority, YEAR)
        assert len(census.children) >= 100, (authority.name, len(census.children))
        assert len(ret.people) >= 30, (authority.name, len(ret.people))


def test_the_cin_census_has_no_errors_and_is_schema_valid(seeded, tmp_path):
    from haven.returns import cin_census

    for authority in seeded:
        census = cin_census.build(authority, YEAR)
        report = cin_census.validate(census)
        assert not report.crashed, report.crashed
        assert _summary(report) == {}, (authority.name, _summary(report), report.errors[:5])
        assert census.unrepresentable == []
        path = cin_census.write_xml(census, tmp_path / f"cin-{authority.lea_code}.xml")
        assert cin_census.schema_errors(path) == []


def test_the_ssda903_has_no_errors_this_year_or_last(seeded):
    from haven.returns import ssda903

    for authority in seeded:
        for year in (YEAR, YEAR - 1):
            report = ssda903.validate(ssda903.build(authority, year, with_previous=True, as_at=AS_OF))
            assert not report.crashed, report.crashed
            assert not report.in_progress
            assert _summary(report) == {}, (authority.name, year, _summary(report), report.errors[:5])


def test_the_ssda903_of_the_year_in_progress_has_no_errors_as_at_the_seeds_day(seeded):
    """The seed records nothing on or after its day: the year to 31 March 2027 is checked as at
    1 December 2026 (the record's day, ``ssda903.recorded_to``), and the rules about what is due
    by 31 March (SDQs, health checks) wait for the year to end."""
    from haven.returns import ssda903

    for authority in seeded:
        if ssda903.recorded_to(authority) == AS_OF:   # (unless the clock says it is not yet that day)
            assert ssda903.build(authority, IN_PROGRESS).as_at == AS_OF
        ret = ssda903.build(authority, IN_PROGRESS, with_previous=True, as_at=AS_OF)
        assert ret.in_progress and len(ret.people) >= 30, (authority.name, len(ret.people))
        report = ssda903.validate(ret)
        assert not report.crashed, report.crashed
        assert "186" in report.not_run and "359" in {r.code for r in report.ran}
        assert _summary(report) == {}, (authority.name, _summary(report), report.errors[:5])


def test_the_figures_read_back_from_the_files_equal_the_figures_from_the_database(seeded, tmp_path):
    """Round trip: children in need at 31 March and CP plans starting in the year (CIN census XML),
    looked after at 31 March and placements starting in the year (SSDA903 CSV)."""
    from haven.returns import cin_census, ssda903

    for authority in seeded:
        xml = cin_census.write_xml(cin_census.build(authority, YEAR), tmp_path / f"{authority.lea_code}.xml")
        directory = tmp_path / authority.lea_code
        ssda903.build(authority, YEAR).write(directory)
        from_files = crosscheck.from_files(xml, directory, YEAR)
        from_db = crosscheck.from_database(authority, YEAR)
        assert from_files == from_db, authority.name
        assert all(v > 0 for v in from_db.values()), (authority.name, from_db)


def test_the_crosscheck_notices_a_child_missing_from_a_file(seeded, tmp_path):
    """The check is not vacuous: drop one looked-after child from the episodes file and the
    figures disagree."""
    import csv

    from haven.returns import ssda903

    authority = seeded[0]
    directory = tmp_path / "903"
    ret = ssda903.build(authority, YEAR)
    open_now = [e for e in ret.tables["episodes"] if not e["DEC"]]
    dropped = open_now[0]["CHILD"]
    ret.tables["episodes"] = [e for e in ret.tables["episodes"] if e["CHILD"] != dropped]
    ret.write(directory)
    with (directory / "episodes.csv").open(newline="") as f:
        assert dropped not in {row["CHILD"] for row in csv.DictReader(f)}
    figures = crosscheck.from_ssda903_files(directory, YEAR)
    assert figures["looked_after_at_31_march"] == crosscheck.from_database(authority, YEAR)["looked_after_at_31_march"] - 1


def test_the_kpis_that_also_come_out_of_the_returns_agree_with_the_files(seeded, tmp_path):
    """The KPI catalogue (``haven.kpis``) and the returns count the same children: for the year to
    31 March 2026, the KPIs computed from the database equal the same figures read back from the
    CIN census XML and the SSDA903 CSVs that Haven wrote."""
    import csv

    from lxml import etree

    from haven.core.calendar import birthday
    from haven.kpis.catalogue import Scope, compute_all
    from haven.returns import cin_census, ssda903
    from haven.returns.ssda903 import year_bounds

    start, end = year_bounds(YEAR)

    def dmy(text):
        return dt.datetime.strptime(text, "%d/%m/%Y").date() if text else None

    ids = ["cin_count", "referrals_count", "cp_count", "cp_starting_count", "cla_count", "cla_starting_count",
           "cla_ceasing_count", "adoptions_count"]
    for authority in seeded:
        kpis = {r.kpi.id: r.value for r in compute_all(Scope((authority,), start, end), ids)}
        xml = cin_census.write_xml(cin_census.build(authority, YEAR), tmp_path / f"{authority.lea_code}.xml")
        directory = tmp_path / authority.lea_code
        ssda903.build(authority, YEAR).write(directory)
        files = crosscheck.from_files(xml, directory, YEAR)
        tree = etree.parse(str(xml))
        referrals = sum(1 for d in tree.iter("CINdetails")
                        if start <= dt.date.fromisoformat(d.findtext("CINreferralDate")) <= end)
        on_plan = {c.findtext("ChildIdentifiers/LAchildID") for c in tree.iter("Child")
                   for p in c.iter("ChildProtectionPlans")
                   if dt.date.fromisoformat(p.findtext("CPPstartDate")) <= end
                   and not (p.findtext("CPPendDate") and dt.date.fromisoformat(p.findtext("CPPendDate")) <= end)}
        with (directory / "episodes.csv").open(newline="") as f:
            episodes = list(csv.DictReader(f))
        with (directory / "ad1.csv").open(newline="") as f:
            adopted = {row["CHILD"] for row in csv.DictReader(f)}
        starting = {e["CHILD"] for e in episodes if e["RNE"] == "S" and start <= dmy(e["DECOM"]) <= end}
        ceasing = {e["CHILD"] for e in episodes if e["DEC"] and e["REC"] != "X1" and start <= dmy(e["DEC"]) <= end}
        from_files = {"cin_count": files["children_in_need_at_31_march"], "referrals_count": referrals,
                      "cp_count": len(on_plan), "cp_starting_count": files["cp_plans_starting"],
                      "cla_count": files["looked_after_at_31_march"], "cla_starting_count": len(starting),
                      "cla_ceasing_count": len(ceasing), "adoptions_count": len(adopted)}
        assert kpis == {k: float(v) for k, v in from_files.items()}, authority.name
        assert all(kpis[k] > 0 for k in ("cin_count", "referrals_count", "cp_count", "cla_count")), kpis

        # Care leavers (OC3): the young people counted as in touch, in education, employment or
        # training, and in suitable accommodation at 17-18 and at 19-21; and the whole cohort at 19-21
        # (at 17-18 a blank OC3 row may be a young person reported next year or one with nothing
        # recorded, so the file cannot say who is in the cohort).
        with (directory / "oc3.csv").open(newline="") as f:
            oc3 = list(csv.DictReader(f))
        leavers = {r.kpi.id: r for r in compute_all(Scope((authority,), start, end), [
            f"leavers_{ages}_{what}_pct" for ages in ("17_18", "19_21") for what in ("in_touch", "eet", "suitable_accommodation")])}

        def age_in_year(dob):
            born = dmy(dob)
            return next(n for n in range(17, 22) if start <= birthday(born, n) <= end)

        for ages, band in (("17_18", (17, 18)), ("19_21", (19, 20, 21))):
            rows = [r for r in oc3 if age_in_year(r["DOB"]) in band]
            counted = {"in_touch": sum(r["IN_TOUCH"] == "YES" for r in rows),
                       "eet": sum(r["ACTIV"] in {"F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5"} for r in rows),
                       "suitable_accommodation": sum(r["ACCOM"].endswith("1") for r in rows)}
            for what, n in counted.items():
                assert leavers[f"leavers_{ages}_{what}_pct"].numerator == n, (authority.name, ages, what)
            if ages == "19_21":
                assert leavers[f"leavers_{ages}_in_touch_pct"].denominator == len(rows), authority.name
        assert any(leavers[k].denominator for k in leavers), "no care leaver in the seeded authority's cohorts"
