"""The reference data of performance management: the RAG rule at its edges, which target
applies, the latest comparator on or before a year, the CSV loaders (every bad row with its
line, nothing half-loaded, upserts), the starter file, the ``haven benchmarks`` command and the
demo seed's targets."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from haven.kpis.catalogue import HIGHER, LOWER
from haven.kpis.catalogue import load as load_catalogue
from haven.kpis.models import Benchmark, ChildPopulation, KpiTarget
from haven.kpis.reference import (
    AMBER,
    GREEN,
    RED,
    STARTER_BENCHMARKS,
    benchmarks_for,
    export_benchmarks,
    export_populations,
    load_benchmarks,
    load_populations,
    load_starter_benchmarks,
    rag,
    rag_for,
    target_for,
    targets_for,
)

pytestmark = pytest.mark.django_db

HEADER = "kpi,area,area_name,year,period,value,source\n"


# --- RAG ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (85, GREEN),        # exactly on target
    (90, GREEN),        # better than target
    (84.9, AMBER),      # just short
    (80, AMBER),        # exactly at the amber edge
    (79.9, RED),        # just beyond
    (0, RED),
])
def test_rag_when_higher_is_better(value, expected):
    assert rag(value, 85, HIGHER, 5) == expected


@pytest.mark.parametrize("value, expected", [
    (20, GREEN),        # exactly on target
    (12, GREEN),
    (20.1, AMBER),
    (23, AMBER),        # exactly at the amber edge
    (23.1, RED),        # just beyond
])
def test_rag_when_lower_is_better(value, expected):
    assert rag(value, 20, LOWER, 3) == expected


def test_rag_without_a_value_target_or_direction_is_none_and_no_tolerance_means_green_or_red():
    assert rag(None, 85, HIGHER, 5) is None
    assert rag(80, None, HIGHER, 5) is None
    assert rag(80, 85, None, 5) is None
    assert rag(84.99, 85, HIGHER, 0) == RED
    assert rag(84.99, 85, HIGHER, None) == RED
    assert rag(85, 85, HIGHER, 0) == GREEN
    assert rag(100 * 17 / 20, 85, HIGHER, 0) == GREEN   # float arithmetic does not make 85% miss 85
    assert rag(100 * 16 / 20, 85, HIGHER, 5) == AMBER   # 80.0: on the amber edge


def test_rag_for_reads_the_kpis_polarity_and_the_targets_tolerance(world):
    catalogue = load_catalogue()
    t = KpiTarget(kpi="rereferrals_12m_pct", target=20, amber_within=3)
    assert rag_for(catalogue["rereferrals_12m_pct"], 22, t) == AMBER
    assert rag_for(catalogue["rereferrals_12m_pct"], 22, None) is None
    assert rag_for(catalogue["cla_count"], 22, KpiTarget(kpi="cla_count", target=20)) is None   # no direction


# --- targets -----------------------------------------------------------------------------------

def test_an_authoritys_own_target_comes_before_the_default(world, django_assert_num_queries):
    wcc, hf = world.westminster, world.hammersmith
    assert target_for("cp_second_pct", wcc) is None
    default = KpiTarget.objects.create(kpi="cp_second_pct", target=18, amber_within=3)
    own = KpiTarget.objects.create(kpi="cp_second_pct", authority=wcc, target=15, amber_within=2)
    KpiTarget.objects.create(kpi="icpc_15wd_pct", target=85, amber_within=10)
    KpiTarget.objects.create(kpi="cla_visits_on_time_pct", authority=hf, target=95)
    assert target_for("cp_second_pct", wcc) == own
    assert target_for("cp_second_pct", wcc.pk) == own
    assert target_for("cp_second_pct", [wcc]) == own              # a scope of one authority
    assert target_for("cp_second_pct", hf) == default
    assert target_for("cp_second_pct", [wcc, hf]) == default      # a partnership: the default
    assert target_for("cp_second_pct", None) == default
    assert target_for("cla_visits_on_time_pct", wcc) is None       # only Hammersmith has one
    with django_assert_num_queries(1):
        wcc_targets = targets_for(wcc)
    assert wcc_targets == {"cp_second_pct": own, "icpc_15wd_pct": wcc_targets["icpc_15wd_pct"]}
    assert wcc_targets["icpc_15wd_pct"].authority_id is None
    assert set(targets_for(hf)) == {"cp_second_pct", "icpc_15wd_pct", "cla_visits_on_time_pct"}
    assert targets_for(hf)["cp_second_pct"] == default
    assert targets_for([wcc, hf])["cp_second_pct"] == default
    assert "cla_visits_on_time_pct" not in targets_for(None)


# --- comparators -------------------------------------------------------------------------------

def _benchmark(kpi, area, year, value, area_name=""):
    return Benchmark.objects.create(kpi=kpi, area=area, area_name=area_name, year=year, period=str(year),
                                    value=value, source="test")


def test_benchmarks_for_gives_each_areas_latest_figure_on_or_before_the_year(world, django_assert_num_queries):
    _benchmark("referrals_per_10k", "england", 2014, 573)
    _benchmark("referrals_per_10k", "england", 2015, 548)
    _benchmark("referrals_per_10k", "england", 2017, 552)
    _benchmark("referrals_per_10k", "statistical_neighbours", 2013, 600, "Westminster")
    _benchmark("referrals_per_10k", "authority", 2015, 411, "Westminster")
    _benchmark("referrals_per_10k", "authority", 2015, 700, "Camden")
    _benchmark("referrals_per_10k", "region", 2016, 500, "Inner London")   # after the year: left out
    _benchmark("cla_per_10k", "authority", 2015, 50, "Westminster")
    with django_assert_num_queries(1):
        found = benchmarks_for(["referrals_per_10k", "cla_per_10k", "cp_per_10k"], 2015)
    assert [(b.area, b.area_name, b.year, b.value) for b in found["referrals_per_10k"]] == [
        ("england", "", 2015, 548),
        ("statistical_neighbours", "Westminster", 2013, 600),
        ("authority", "Camden", 2015, 700),
        ("authority", "Westminster", 2015, 411),
    ]
    assert [b.value for b in found["cla_per_10k"]] == [50]
    assert found["cp_per_10k"] == []
    assert [b.year for b in benchmarks_for(["referrals_per_10k"], 2026)["referrals_per_10k"]
            if b.area == "england"] == [2017]
    assert benchmarks_for(["referrals_per_10k"], 2013)["referrals_per_10k"][0].area == "statistical_neighbours"


# --- the comparators loader --------------------------------------------------------------------

GOOD = HEADER + """referrals_per_10k,england,,2015,2014-15,548,"Characteristics of children in need, 2014-15"
referrals_per_10k,authority,Westminster,2015,2014-15,411,Inspection report para 11
cla_per_10k,authority,213,2015,at 31 March 2015,50,Inspection report
adoption_a1_days,threshold,,2014,2011-14,547,Adoption scorecard
cla_health_assessments_pct,region,Inner London,2011,2010-11,88.5%,Made-up regional figure
"""


def test_a_good_file_loads_and_links_an_authority_named_by_its_code(world):
    report = load_benchmarks(GOOD, actor=world.ada)
    assert report.ok and (report.created, report.updated, report.unchanged) == (5, 0, 0)
    assert Benchmark.objects.count() == 5
    cla = Benchmark.objects.get(kpi="cla_per_10k")
    assert (cla.area_name, cla.authority, cla.loaded_by) == ("Westminster", world.westminster, world.ada)
    assert Benchmark.objects.get(kpi="referrals_per_10k", area="authority").authority == world.westminster
    assert Benchmark.objects.get(kpi="referrals_per_10k", area="england").source == "Characteristics of children in need, 2014-15"
    assert Benchmark.objects.get(kpi="cla_health_assessments_pct").value == 88.5
    assert "5 comparators created" in report.summary()


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_loaded(world):
    text = HEADER + """referrals_per_10k,england,,2015,2014-15,548,fine
cla_per_10k,county,,2015,2015,50,an area that does not exist
cla_per_10k,england,,15,2015,abc,a two-digit year and a value that is no number
cla_health_assessments_pct,england,,2011,2010-11,182,not a percentage
cla_per_10k,region,,2015,2015,40,a region with no name
"""
    report = load_benchmarks(text, actor=world.ada)
    assert not report.ok
    lines = [(e.line, e.message) for e in report.errors]
    assert [n for n, _ in lines] == [3, 4, 4, 5, 6]
    assert "area 'county' must be one of england" in lines[0][1]
    assert "year '15' must be a year of 4 digits" in lines[1][1]
    assert "value 'abc' must be a number" in lines[2][1]
    assert "must be from 0 to 100" in lines[3][1]
    assert "enter the area_name for area region" in lines[4][1]
    assert str(report.errors[0]).startswith("Line 3: ")
    assert Benchmark.objects.count() == 0     # not even the good first row
    assert report.summary() == "5 problems found: nothing was loaded"


def test_duplicates_name_both_lines_and_an_unknown_kpi_is_named(world):
    text = HEADER + """referrals_per_10k,england,,2015,2014-15,548,one
cla_per10k,england,,2015,2015,50,a typo
referrals_per_10k,england,,2015,2014-15,550,the same again
cla_per_10k,authority,Westminster,2015,2015,50,by name
cla_per_10k,authority,E09000033,2015,2015,50,by ONS code: the same authority
cla_per_10k,authority,999,2015,2015,50,a code no authority has
"""
    report = load_benchmarks(text, actor=None)
    messages = {e.line: e.message for e in report.errors}
    assert set(messages) == {3, 4, 6, 7}
    assert "kpi 'cla_per10k' is not a KPI id of the catalogue (did you mean cla_per_10k?)" in messages[3]
    assert messages[4].startswith("repeats line 2") and "lines 2 and 4" in messages[4]
    assert messages[6].startswith("repeats line 5")
    assert "no authority held by Haven has the LEA or ONS code '999'" in messages[7]
    assert not Benchmark.objects.exists()


def test_the_header_blank_lines_quoted_commas_and_ragged_rows(world):
    assert "the header row must be kpi,area,area_name,year,period,value,source: it has no source column" in \
        str(load_benchmarks("kpi,area,area_name,year,period,value\n", actor=None).errors[0])
    assert "the file is empty" in str(load_benchmarks("", actor=None).errors[0])
    assert "no data rows" in str(load_benchmarks(HEADER, actor=None).errors[0])
    ragged = load_benchmarks(HEADER + "\nreferrals_per_10k,england,,2015,2014-15,548,Say, with a comma\n", actor=None)
    assert [(e.line, "it has 8 fields but the header has 7" in e.message) for e in ragged.errors] == [(3, True)]
    bad_bytes = load_benchmarks(HEADER.encode() + b"cla_per_10k,england,,2015,2015,50,caf\xe9\n", actor=None)
    assert "Line 2: the file is not UTF-8" in str(bad_bytes.errors[0])
    bom = load_benchmarks("\ufeff" + HEADER + "cla_per_10k,england,,2015,2015,50,\"Say, with a comma\"\n", actor=None)
    assert bom.ok and Benchmark.objects.get().source == "Say, with a comma"


def test_a_second_load_updates_the_same_comparator_and_replace_deletes_the_rest(world):
    load_benchmarks(GOOD, actor=None)
    again = load_benchmarks(HEADER + "referrals_per_10k,england,,2015,2014-15,549,Revised\n"
                                     "referrals_per_10k,england,,2016,2015-16,532,New\n", actor=world.ada)
    assert (again.created, again.updated, again.unchanged, again.deleted) == (1, 1, 0, 0)
    revised = Benchmark.objects.get(kpi="referrals_per_10k", area="england", year=2015)
    assert (revised.value, revised.source, revised.loaded_by) == (549, "Revised", world.ada)
    assert Benchmark.objects.count() == 6
    replaced = load_benchmarks(HEADER + "referrals_per_10k,england,,2016,2015-16,532,New\n", actor=None, replace=True)
    assert (replaced.created, replaced.updated, replaced.unchanged, replaced.deleted) == (0, 0, 1, 5)
    assert list(Benchmark.objects.values_list("year", flat=True)) == [2016]


def test_an_export_loads_back_unchanged(world):
    load_benchmarks(GOOD, actor=None)
    text = export_benchmarks()
    assert text.splitlines()[0] == HEADER.strip()
    assert "cla_health_assessments_pct,region,Inner London,2011,2010-11,88.5,Made-up regional figure" in text
    report = load_benchmarks(text, actor=None)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 5)


def test_the_starter_file_loads_cleanly_with_the_inspection_figures(world):
    report = load_starter_benchmarks()
    assert report.ok, [str(e) for e in report.errors]
    assert report.created == len(STARTER_BENCHMARKS.read_text(encoding="utf-8").strip().splitlines()) - 1

    def value(kpi, area, year, name=""):
        return Benchmark.objects.get(kpi=kpi, area=area, year=year, area_name=name).value

    assert value("referrals_per_10k", "authority", 2015, "Westminster") == 411
    assert value("referrals_per_10k", "statistical_neighbours", 2015, "Westminster") == 558
    assert value("referrals_per_10k", "england", 2015) == 548
    assert value("cla_per_10k", "authority", 2015, "Westminster") == 50
    assert value("cla_health_assessments_pct", "authority", 2011, "Westminster") == 94.6
    assert value("cla_health_assessments_pct", "england", 2011) == 82
    assert value("adoption_a1_days", "authority", 2014, "Westminster") == 512
    assert value("adoption_a1_days", "threshold", 2014) == 547
    assert value("adoption_a2_days", "authority", 2014, "Westminster") == 196
    assert value("adoption_a2_days", "threshold", 2014) == 152
    westminster = Benchmark.objects.filter(area="authority")
    assert {b.authority for b in westminster} == {world.westminster}
    assert all(".md" in b.source for b in Benchmark.objects.all())
    assert load_starter_benchmarks().unchanged == report.created


# --- the child population loader ---------------------------------------------------------------

def test_populations_load_with_the_same_reporting(world):
    bad = load_populations("authority,year,children,source\n213,2025,40694,ONS\nNowhere,2025,100,x\n"
                           "213,25,-3,x\nE09000033,2025,40000,the same again\n", actor=None)
    assert [e.line for e in bad.errors] == [3, 4, 4, 5]
    assert "authority 'Nowhere' is not an authority Haven holds" in bad.errors[0].message
    assert "repeats line 2" in bad.errors[3].message
    assert not ChildPopulation.objects.exists()
    good = load_populations("authority,year,children,source\n213,2025,\"40,694\",ONS mid-2024\n"
                            "Hammersmith and Fulham,2025,36000,ONS mid-2024\n", actor=None)
    assert good.ok and good.created == 2
    assert ChildPopulation.objects.get(authority=world.westminster).children == 40694
    again = load_populations("authority,year,children,source\n213,2025,40700,ONS revised\n", actor=None)
    assert (again.created, again.updated) == (0, 1)
    assert "213,2025,40700,ONS revised" in export_populations()


# --- the command -------------------------------------------------------------------------------

def test_the_command_loads_exports_and_exits_1_on_a_bad_file(world, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "cla_per_10k,england,,2015,2015,50,ok\nnope,england,,2015,2015,50,x\n"
                            "cla_per_10k,england,,2016,2016,many,x\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 problems in .*bad.csv: nothing was loaded"):
        call_command("benchmarks", "load", str(bad), stderr=err)
    assert "Line 3: kpi 'nope'" in err.getvalue() and "Line 4: value 'many'" in err.getvalue()
    assert not Benchmark.objects.exists()

    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    call_command("benchmarks", "load", str(good), stdout=out)
    assert "5 comparators created, 0 updated, 0 unchanged" in out.getvalue()

    exported = tmp_path / "out.csv"
    call_command("benchmarks", "export", "--out", str(exported), stderr=io.StringIO())
    assert exported.read_text(encoding="utf-8") == export_benchmarks()
    out = io.StringIO()
    call_command("benchmarks", "export", stdout=out)
    assert out.getvalue().startswith(HEADER)

    out = io.StringIO()
    call_command("benchmarks", "load-starter", stdout=out)
    assert "benchmarks.csv" in out.getvalue() and "created" in out.getvalue()
    call_command("benchmarks", "load", str(good), "--replace", stdout=io.StringIO())
    assert Benchmark.objects.count() == 5

    with pytest.raises(CommandError, match="needs the CSV FILE"):
        call_command("benchmarks", "load")
    with pytest.raises(CommandError, match="No file"):
        call_command("benchmarks", "load", str(tmp_path / "missing.csv"))

    pops = tmp_path / "pops.csv"
    pops.write_text("authority,year,children,source\n213,2025,40694,ONS\n", encoding="utf-8")
    call_command("benchmarks", "load-populations", str(pops), stdout=io.StringIO())
    assert ChildPopulation.objects.get(authority=world.westminster, year=2025).children == 40694


def test_the_command_exits_with_status_1_from_the_command_line(world, tmp_path, monkeypatch):
    """``haven benchmarks load`` run as a program: status 1 for a bad file (CommandError). (A
    command run as a program closes the database connections when it ends, which would end the
    module's test transaction on PostgreSQL: they stay open here.)"""
    from django.core.management import ManagementUtility
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "nope,england,,2015,2015,50,x\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["haven", "benchmarks", "load", str(bad)]).execute()
    assert exit_.value.code == 1


# --- the demo seed ---------------------------------------------------------------------------

def test_the_demo_seed_loads_the_starter_comparators_and_sensible_targets(world):
    from haven.seed.generate import DEMO_TARGETS, seed_reference_data

    catalogue = load_catalogue()
    assert all(k in catalogue and catalogue[k].polarity for k, _, _ in DEMO_TARGETS)
    line = seed_reference_data(world.ada)
    assert "comparators" in line and Benchmark.objects.filter(kpi="adoption_a1_days").count() == 2
    assert target_for("assessments_45wd_referral_pct", world.hammersmith).target == 85
    assert target_for("cla_health_assessments_pct", world.westminster).target == 95      # its own
    assert target_for("cla_health_assessments_pct", world.hammersmith).target == 90      # the default
    assert KpiTarget.objects.filter(authority=None).count() == len(DEMO_TARGETS)
    seed_reference_data(world.ada)    # again: nothing duplicated
    assert KpiTarget.objects.filter(authority=None).count() == len(DEMO_TARGETS)
