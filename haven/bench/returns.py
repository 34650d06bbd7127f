"""Benchmarks of the statutory returns (``haven bench --only returns``) for the largest authority
(the most children in need in the year): the CIN census and the SSDA903 built, then built and
validated against every DfE rule that runs (the SSDA903 with last year's return, which the
year-on-year rules read); Ofsted Annex A built and written as xlsx; the Standard Safeguarding
Dataset written as CSV. Target (issue 5): each return built and validated in under 10 seconds.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from haven.bench import benchmark

YEAR = 2026   # the collection year ending 31 March 2026 (the bench data's as-of day is 1 January 2026)
RUNS = 3


def largest_authority():
    """The authority with the most children in need during the year."""
    from django.db.models import Count, Q

    from haven.accounts.models import LocalAuthority
    from haven.assessments.models import CINEpisode
    from haven.returns.ssda903 import year_bounds

    start, end = year_bounds(YEAR)
    busiest = (CINEpisode.objects.filter(referral_date__lte=end)
               .filter(Q(closure_date__isnull=True) | Q(closure_date__gte=start))
               .values("authority_id").annotate(n=Count("person_id", distinct=True)).order_by("-n").first())
    return LocalAuthority.objects.filter(pk=busiest["authority_id"]).first() if busiest else None


@benchmark("returns.build", "Time to build, and to build and validate, the CIN census and SSDA903 for the "
                            "largest authority; Annex A and the SSD export")
def build(ctx):
    from haven.returns import annex_a, cin_census, ssd, ssda903
    from haven.returns.ssda903 import year_bounds

    authority = largest_authority()
    if authority is None:
        return
    start, end = year_bounds(YEAR)
    about = f"{authority.name}, year to 31/03/{YEAR}"
    sizes = {}

    def cin_build():
        census = cin_census.build(authority, YEAR)
        sizes["cin"] = len(census.children)
        return len(census.children)

    def cin_build_validate():
        census = cin_census.build(authority, YEAR)
        report = cin_census.validate(census)
        sizes["cin_findings"] = (len(report.errors), len(report.queries), len(report.ran))
        return len(census.children)

    def ssda903_build():
        ret = ssda903.build(authority, YEAR)
        sizes["903"] = len(ret.people)
        return len(ret.people)

    def ssda903_build_validate():
        ret = ssda903.build(authority, YEAR, with_previous=True)
        report = ssda903.validate(ret)
        sizes["903_findings"] = (len(report.errors), len(report.queries), len(report.ran))
        return len(ret.people)

    def annex():
        a = annex_a.build(authority, start, end)
        with tempfile.TemporaryDirectory() as tmp:
            a.write_xlsx(Path(tmp) / "annex-a.xlsx")
        return sum(len(rows) for _columns, rows in a.lists.values())

    def ssd_export():
        with tempfile.TemporaryDirectory() as tmp:
            return sum(n for _t, n, _p in ssd.export(authority, Path(tmp)))

    yield ctx.measure("returns.cin_census.build", [cin_build] * RUNS, warmup=0, note=about)
    figure = ctx.measure("returns.cin_census.build_validate", [cin_build_validate] * RUNS, warmup=0)
    figure.note = f"{about}; errors, queries, rules run: {sizes.get('cin_findings')}"
    yield figure
    yield ctx.measure("returns.ssda903.build", [ssda903_build] * RUNS, warmup=0, note=about)
    figure = ctx.measure("returns.ssda903.build_validate", [ssda903_build_validate] * RUNS, warmup=0)
    figure.note = f"{about}, with last year's return; errors, queries, rules run: {sizes.get('903_findings')}"
    yield figure
    yield ctx.measure("returns.annex_a.xlsx", [annex] * RUNS, warmup=0, note=about)
    yield ctx.measure("returns.ssd.export", [ssd_export] * RUNS, warmup=0, note=authority.name)
