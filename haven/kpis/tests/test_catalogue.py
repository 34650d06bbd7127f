"""The KPI catalogue: numbers worked out from the rows behind them, definitions required, the
command's JSON, and the first KPIs on hand-built data."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from haven.kpis.catalogue import COUNT, MEAN, PER_10K, PERCENT, Kpi, Row, Scope, compute, kpi

AS_OF = dt.date(2026, 3, 31)


def fake(kind, rows):
    def rows_(scope):
        """A test KPI."""
        return rows

    return Kpi("fake", "Fake", kind, "unit", None, "test", "test", rows_)


def test_each_kind_of_number_is_worked_out_from_the_rows_behind_it(world):
    scope = Scope.year_to([world.westminster], AS_OF)
    rows = [Row(1, True, measure=10), Row(2, False, measure=99), Row(3, True, measure=20), Row(4, True)]
    r = compute(fake(PERCENT, rows), scope)
    assert (r.numerator, r.denominator, r.value) == (3, 4, 75.0)
    r = compute(fake(COUNT, rows), scope)
    assert (r.numerator, r.denominator, r.value) == (3, None, 3.0)
    r = compute(fake(MEAN, rows), scope)   # the counted rows with a measure: (10 + 20) / 2
    assert (r.numerator, r.denominator, r.value) == (30.0, 2, 15.0)
    assert compute(fake(PERCENT, []), scope).value is None   # nothing to count: no figure, not 0%


def test_a_rate_per_10000_uses_the_population_an_analyst_recorded(world):
    from haven.kpis.models import ChildPopulation

    scope = Scope.year_to([world.westminster], AS_OF)
    rows = [Row(1), Row(2), Row(3)]
    missing = compute(fake(PER_10K, rows), scope)
    assert missing.value is None and "population is not recorded" in missing.note
    ChildPopulation.objects.create(authority=world.westminster, year=2024, children=40_000)
    ChildPopulation.objects.create(authority=world.westminster, year=2025, children=30_000)
    ChildPopulation.objects.create(authority=world.westminster, year=2027, children=1)   # after the as-at year
    r = compute(fake(PER_10K, rows), scope)
    assert (r.numerator, r.denominator, r.value) == (3, 30_000, 1.0)


def test_a_kpi_needs_a_definition_and_a_unique_id():
    with pytest.raises(ValueError, match="docstring"):
        kpi("no_doc", "No doc", kind=COUNT, unit="x", polarity=None, source="s", group="g")(lambda scope: [])

    def documented(scope):
        """Defined."""
        return []

    with pytest.raises(ValueError, match="twice"):
        kpi("cla_count", "Again", kind=COUNT, unit="x", polarity=None, source="s", group="g")(documented)


def test_the_year_to_an_as_at_date():
    scope = Scope.year_to([], AS_OF)
    assert (scope.start, scope.end) == (dt.date(2025, 4, 1), AS_OF)
    leap = Scope.year_to([], dt.date(2028, 2, 29))
    assert leap.start == dt.date(2027, 3, 1)


def _period(person, start, end=None):
    from haven.looked_after.models import PeriodOfCare

    return PeriodOfCare.objects.create(person=person, start_date=start, end_date=end, home_postcode="W2 1AA")


def test_cla_count_counts_children_looked_after_at_the_end_of_the_as_at_day(world):
    """Worked by hand: four children; one came into care on the as-at day (counted), one left
    that day (not counted: ceased to be looked after), one left the day after (counted), one
    came into care the day after (not counted). So 2 of them, plus any already in the world."""
    from haven.core.testing import make_person
    from haven.kpis.catalogue import CATALOGUE, load

    load()
    before = compute(CATALOGUE["cla_count"], Scope.year_to([world.westminster], AS_OF)).value
    kids = [make_person(world.westminster, first=f"K{i}", last="Count", born=dt.date(2012, 1, 1)) for i in range(4)]
    _period(kids[0], AS_OF)
    _period(kids[1], dt.date(2025, 1, 1), AS_OF)
    _period(kids[2], dt.date(2025, 1, 1), AS_OF + dt.timedelta(days=1))
    _period(kids[3], AS_OF + dt.timedelta(days=1))
    result = compute(CATALOGUE["cla_count"], Scope.year_to([world.westminster], AS_OF))
    assert result.value == before + 2
    counted = {r.person_id for r in result.rows}
    assert kids[0].pk in counted and kids[2].pk in counted
    assert kids[1].pk not in counted and kids[3].pk not in counted
    # Westminster's children are not Hammersmith's
    elsewhere = compute(CATALOGUE["cla_count"], Scope.year_to([world.hammersmith], AS_OF))
    assert not counted & {r.person_id for r in elsewhere.rows}


def test_the_command_prints_every_kpi_as_json_with_stable_ids(world):
    from haven.core.testing import make_person

    kid = make_person(world.westminster, first="Jay", last="Json", born=dt.date(2013, 5, 5))
    _period(kid, dt.date(2025, 6, 1))
    out = io.StringIO()
    call_command("kpi", "--la", "213", "--as-of", "2026-03-31", "--format", "json", stdout=out)
    results = json.loads(out.getvalue())
    by_id = {r["id"]: r for r in results}
    assert set(results[0]) == {"id", "name", "value", "numerator", "denominator", "unit"}
    assert by_id["cla_count"]["value"] >= 1 and by_id["cla_count"]["unit"] == "children"
    assert all(r["id"].islower() and " " not in r["id"] for r in results)
    out = io.StringIO()
    call_command("kpi", "--la", "E09000033", "--as-of", "2026-03-31", "--format", "csv", stdout=out)
    assert out.getvalue().splitlines()[0] == "id,name,value,numerator,denominator,unit"


def test_the_command_refuses_an_unknown_authority_date_or_kpi(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No local authority"):
        call_command("kpi", "--la", "000", "--as-of", "2026-03-31")
    with pytest.raises(CommandError, match="not a date"):
        call_command("kpi", "--la", "213", "--as-of", "31/03/2026")
    with pytest.raises(CommandError, match="No KPI"):
        call_command("kpi", "--la", "213", "--as-of", "2026-03-31", "--only", "nonsense")
