"""``haven returns ssda903 --la 213 --year 2026 --out DIR [--validate]``: the statutory returns
from the record. Exit code 0 when there are no errors, 1 when there are.

Today: the SSDA903 (children looked after) tables. The CIN census, Ofsted Annex A and the
Standard Safeguarding Dataset follow (issue 5)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Build (and validate) a statutory return for one local authority and collection year"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["ssda903"])
        parser.add_argument("--la", required=True, help="the authority's LEA code (213) or ONS code (E09000033)")
        parser.add_argument("--year", type=int, required=True, help="the collection year's end: 2026 for April 2025 to March 2026")
        parser.add_argument("--out", required=True, help="the directory to write the CSV files to")
        parser.add_argument("--validate", action="store_true", help="run the checks; exit 1 if any error")

    def handle(self, *args, kind, la, year, out, validate, **options):
        from django.db.models import Q

        from haven.accounts.models import LocalAuthority
        from haven.returns import ssda903

        authority = LocalAuthority.objects.filter(Q(lea_code=la) | Q(ons_code=la)).first()
        if authority is None:
            raise CommandError(f"No local authority with LEA or ONS code {la!r}")
        if not 2000 < year < 2100:
            raise CommandError("--year is the year the collection ends, for example 2026")
        ret = ssda903.build(authority, year)
        paths = ret.write(Path(out))
        start, end = ssda903.year_bounds(year)
        counts = ", ".join(f"{name} {len(ret.tables.get(name, []))}" for name in ssda903.TABLES)
        self.stdout.write(f"SSDA903 {authority.name}, {start:%d/%m/%Y} to {end:%d/%m/%Y}: {counts}")
        if not ret.tables["header"]:
            self.stdout.write("No child was looked after in this year: the files hold their header rows only.")
        self.stdout.write(f"Wrote {len(paths)} files to {out}")
        if validate:
            problems = ssda903.validate(ret)
            for p in problems:
                self.stdout.write(f"ERROR {p.rule} child {p.child} ({p.field}): {p.message} {p.url}")
            self.stdout.write(f"{len(problems)} error{'s' if len(problems) != 1 else ''}")
            if problems:
                raise SystemExit(1)
