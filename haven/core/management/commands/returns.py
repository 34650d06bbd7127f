"""The statutory returns from the record, for schedulers and scripts:

    haven returns cin-census --la 213 --year 2026 --out cin.xml [--validate]
    haven returns ssda903    --la 213 --year 2026 --out DIR     [--validate]
    haven returns annex-a    --la 213 --start 2025-04-01 --end 2026-03-31 --out annex_a.xlsx
    haven returns ssd        --la 213 --out DIR

``--la`` takes the LEA code or the ONS code. With ``--validate`` the DfE rules run: each error
and query is printed with its rule code, child, item and link; the exit code is 1 when there is
an error (or a rule could not run because of a bug), 0 otherwise (queries do not fail).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: use YYYY-MM-DD, for example 2026-03-31") from None


class Command(BaseCommand):
    help = "Build (and validate) a statutory return for one local authority"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["cin-census", "ssda903", "annex-a", "ssd"])
        parser.add_argument("--la", required=True, help="the authority's LEA code (213) or ONS code (E09000033)")
        parser.add_argument("--year", type=int, help="cin-census, ssda903: the year the collection ends, 2026 for April 2025 to March 2026")
        parser.add_argument("--start", help="annex-a: the first day of the period (YYYY-MM-DD)")
        parser.add_argument("--end", help="annex-a: the last day of the period (YYYY-MM-DD)")
        parser.add_argument("--out", required=True, help="the file (cin-census, annex-a) or directory (ssda903, ssd) to write")
        parser.add_argument("--validate", action="store_true", help="cin-census, ssda903: run the DfE rules; exit 1 on any error")

    def handle(self, *args, kind, la, year, start, end, out, validate, **options):
        from django.db.models import Q

        from haven.accounts.models import LocalAuthority

        authority = LocalAuthority.objects.filter(Q(lea_code=la) | Q(ons_code=la)).first()
        if authority is None:
            raise CommandError(f"No local authority with LEA or ONS code {la!r}")
        if kind in ("cin-census", "ssda903"):
            if year is None:
                raise CommandError(f"{kind} needs --year, the year the collection ends (e.g. 2026)")
            if not 2000 < year < 2100:
                raise CommandError("--year is the year the collection ends, for example 2026")
        if kind == "cin-census":
            self.cin_census(authority, year, Path(out), validate)
        elif kind == "ssda903":
            self.ssda903(authority, year, Path(out), validate)
        elif kind == "annex-a":
            if not start or not end:
                raise CommandError("annex-a needs --start and --end (YYYY-MM-DD)")
            first, last = _date(start), _date(end)
            if last < first:
                raise CommandError("--end is before --start")
            self.annex_a(authority, first, last, Path(out))
        else:
            self.ssd(authority, Path(out))

    # -- the returns ------------------------------------------------------------------------

    def cin_census(self, authority, year, out, validate):
        from haven.returns import cin_census

        census = cin_census.build(authority, year)
        cin_census.write_xml(census, out)
        self.stdout.write(f"CIN census {authority.name}, {census.start:%d/%m/%Y} to {census.end:%d/%m/%Y}: "
                          f"{len(census.children)} children, "
                          f"{sum(len(c.cin_details) for c in census.children)} CIN episodes")
        if not census.children:
            self.stdout.write("No child was in need in this year: the file holds the header and no children.")
        self.stdout.write(f"Wrote {out}")
        if validate:
            self.report(cin_census.validate(census))

    def ssda903(self, authority, year, out, validate):
        from haven.returns import ssda903

        ret = ssda903.build(authority, year, with_previous=validate)
        paths = ret.write(out)
        start, end = ssda903.year_bounds(year)
        counts = ", ".join(f"{name} {len(ret.tables.get(name, []))}" for name in ssda903.TABLES)
        self.stdout.write(f"SSDA903 {authority.name}, {start:%d/%m/%Y} to {end:%d/%m/%Y}: {counts}")
        if not ret.tables["header"]:
            self.stdout.write("No child was looked after in this year: the files hold their header rows only.")
        self.stdout.write(f"Wrote {len(paths)} files to {out}")
        if validate:
            self.report(ssda903.validate(ret))

    def annex_a(self, authority, start, end, out):
        from haven.returns import annex_a

        annex = annex_a.build(authority, start, end)
        annex.write_xlsx(out)
        counts = ", ".join(f"{name}: {len(rows)}" for name, (_columns, rows) in annex.lists.items())
        self.stdout.write(f"Ofsted Annex A {authority.name}, {start:%d/%m/%Y} to {end:%d/%m/%Y}: {counts}")
        self.stdout.write(f"Wrote {out}")

    def ssd(self, authority, out):
        from haven.returns import ssd

        written = ssd.export(authority, out)
        self.stdout.write(f"Standard Safeguarding Dataset {authority.name}: {len(written)} tables, "
                          f"{sum(n for _table, n, _path in written)} rows")
        self.stdout.write(f"Wrote {len(written)} files to {out}")

    def report(self, report):
        for f in report.findings:
            where = f" child {f.child}" if f.child else ""
            item = f" ({f.field}{' ' + f.detail if f.detail else ''})" if f.field or f.detail else ""
            self.stdout.write(f"{f.severity.upper()} {f.code}{where}{item}: {f.message} {f.url}".rstrip())
        for code, why in sorted(report.crashed.items()):
            self.stdout.write(f"RULE FAILED TO RUN {code}: {why}")
        errors, queries = len(report.errors), len(report.queries)
        if report.in_progress:
            self.stdout.write(f"The collection year is in progress: the return is as at {report.as_at:%d/%m/%Y}; "
                              "rules about what is due by 31 March do not run until the year ends.")
        self.stdout.write(f"{report.registry}: {len(report.ran)} rules ran, {len(report.not_run)} did not run "
                          f"(see the Returns page for why); {errors} error{'s' if errors != 1 else ''}, "
                          f"{queries} quer{'ies' if queries != 1 else 'y'}")
        if errors or report.crashed:
            raise SystemExit(1)
