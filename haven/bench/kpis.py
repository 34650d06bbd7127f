"""Benchmarks of the KPI catalogue (``haven bench --only kpis``): every KPI computed for one
authority-year (Westminster, the year to 31 March 2026) and for the whole partnership. Target
(issue 6): the full set for one authority-year in under 2 seconds."""

from __future__ import annotations

import datetime as dt

from haven.bench import benchmark

AS_OF = dt.date(2026, 3, 31)
RUNS = 3


@benchmark("kpis.catalogue", "Time to compute every KPI for one authority-year and for the partnership")
def catalogue(ctx):
    from haven.accounts.models import LocalAuthority
    from haven.kpis.catalogue import Scope, compute_all, load

    kpis = load()
    westminster = LocalAuthority.objects.filter(lea_code="213").first()
    if westminster is None:
        return
    everyone = list(LocalAuthority.objects.order_by("pk"))

    def one():
        return sum(len(r.rows) for r in compute_all(Scope.year_to([westminster], AS_OF)))

    def partnership():
        return sum(len(r.rows) for r in compute_all(Scope.year_to(everyone, AS_OF)))

    yield ctx.measure("kpis.all.authority_year", [one] * RUNS, warmup=1,
                      note=f"{len(kpis)} KPIs, Westminster, year to {AS_OF:%d/%m/%Y}")
    yield ctx.measure("kpis.all.partnership_year", [partnership] * RUNS, warmup=1,
                      note=f"{len(kpis)} KPIs, {len(everyone)} authorities")


@benchmark("kpis.pages", "Server time of the performance dashboard (authority, team), a KPI page and its "
                         "drill-through from the KPI store, test client; and the time to compute one stored run")
def pages(ctx):
    """The dashboard reads the KPI store (``haven.kpis.store``): the runs it shows are computed
    first (as the worker keeps them), then the pages are timed. ``kpis.run.*`` is the time to
    compute and store one run (every KPI with its team and worker figures): what the worker, or
    "Recompute now", spends when a change puts a run out of date."""
    from haven.accounts.models import LocalAuthority, Partnership, Team
    from haven.kpis import store

    westminster = LocalAuthority.objects.filter(lea_code="213").first()
    if westminster is None:
        return
    unit = store.Unit.of_authority(westminster)
    partnership = Partnership.objects.filter(authorities=westminster).first()
    runs = []
    wanted = dict.fromkeys([store.period("12m", AS_OF), *store.trend("12m", AS_OF), *store.annual(AS_OF)])
    for start, end in wanted:
        run = store.compute_run(unit, start, end)
        runs.append(run.seconds * 1000)
    from haven.bench.core import Figure

    yield Figure("kpis.run.authority", runs, note=f"{len(runs)} runs of Westminster (12 months to each month end and to each 31 March)")
    if partnership is not None:
        p_unit = store.Unit.of_partnership(partnership)
        seconds = [store.compute_run(p_unit, *store.period("12m", AS_OF)).seconds * 1000]
        yield Figure("kpis.run.partnership", seconds, note=f"{partnership.name}, year to {AS_OF:%d/%m/%Y}")

    manager = "tara.manager"
    client = ctx.client(manager)
    query = f"unit=la-{westminster.pk}&period=12m&as_of_0={AS_OF.day}&as_of_1={AS_OF.month}&as_of_2={AS_OF.year}"
    team = (Team.objects.filter(authority=westminster, name__endswith="Family Support and Child Protection").first()
            or Team.objects.filter(authority=westminster).first())
    n = ctx.requests
    pages_ = [("page.kpi_dashboard.authority", f"/performance/?{query}", "Westminster, 12 months to 31/03/2026"),
              ("page.kpi_dashboard.team", f"/performance/?{query}&team={team.pk}", team.name)]
    if partnership is not None:
        pages_.append(("page.kpi_dashboard.partnership",
                       f"/performance/?unit=p-{partnership.pk}&period=12m&as_of_0={AS_OF.day}&as_of_1={AS_OF.month}"
                       f"&as_of_2={AS_OF.year}", partnership.name))
    pages_ += [("page.kpi_detail", f"/performance/kpi/cla_visits_on_time_pct/?{query}",
                "12-month trend, 5 years, team by team"),
               ("page.kpi_children", f"/performance/kpi/cla_visits_on_time_pct/children/?{query}",
                "drill-through: the KPI computed live, first 100 rows")]
    for name, url, note in pages_:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        yield ctx.measure(name, [ctx.page(client, url) for _ in range(n)], note=note)
