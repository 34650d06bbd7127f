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
