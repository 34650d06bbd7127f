"""The returns of the seeded partnership (the demo's ``--scale small``): not trivial, free of DfE
errors, schema-valid, and the files say what the database says (round trip).

One small seed for the module, rolled back at the end (as ``haven/core/tests/test_seed_casework``)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import transaction

from haven.returns import crosscheck

AS_OF = dt.date(2026, 6, 1)   # after the collection year ending 31 March 2026
YEAR = 2026
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
            report = ssda903.validate(ssda903.build(authority, year, with_previous=True))
            assert not report.crashed, report.crashed
            assert _summary(report) == {}, (authority.name, year, _summary(report), report.errors[:5])


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
