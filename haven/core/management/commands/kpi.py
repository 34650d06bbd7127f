"""``haven kpi --la 213 --as-of 2026-03-31 [--format json|csv|table]``: every KPI of the
catalogue for an authority (``--la`` repeated, or ``--la all`` for every authority: the
partnership) over the 12 months ending on the as-at date (or from ``--start``).

JSON is a list of ``{id, name, value, numerator, denominator, unit}`` with stable snake_case ids.
"""

from __future__ import annotations

import csv
import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: use YYYY-MM-DD, for example 2026-03-31") from None


class Command(BaseCommand):
    help = "Print every KPI for an authority (or the partnership) at an as-at date"

    def add_arguments(self, parser):
        parser.add_argument("--la", action="append", required=True,
                            help="LEA (213) or ONS code; repeat for several, or 'all' for every authority")
        parser.add_argument("--as-of", required=True, help="the as-at date, YYYY-MM-DD (the period ends on it)")
        parser.add_argument("--start", help="the first day of the period (default: 12 months before the as-at date)")
        parser.add_argument("--format", choices=["json", "csv", "table"], default="table")
        parser.add_argument("--only", action="append", metavar="ID", help="only these KPI ids (repeatable)")

    def handle(self, *args, la, as_of, start, format, only, **options):
        from django.db.models import Q

        from haven.accounts.models import LocalAuthority
        from haven.kpis.catalogue import Scope, compute_all, load

        if la == ["all"]:
            authorities = list(LocalAuthority.objects.order_by("name"))
        else:
            authorities = []
            for code in la:
                found = LocalAuthority.objects.filter(Q(lea_code=code) | Q(ons_code=code)).first()
                if found is None:
                    raise CommandError(f"No local authority with LEA or ONS code {code!r}")
                authorities.append(found)
        end = _date(as_of)
        scope = Scope.year_to(authorities, end) if not start else Scope(tuple(authorities), _date(start), end)
        if scope.start > scope.end:
            raise CommandError("--start is after --as-of")
        catalogue = load()
        unknown = [i for i in only or [] if i not in catalogue]
        if unknown:
            raise CommandError(f"No KPI with id {', '.join(unknown)}; ids: {', '.join(catalogue)}")
        results = [r.as_dict() for r in compute_all(scope, only)]
        if format == "json":
            self.stdout.write(json.dumps(results, indent=2, default=str))
        elif format == "csv":
            writer = csv.DictWriter(self.stdout, fieldnames=["id", "name", "value", "numerator", "denominator", "unit"])
            writer.writeheader()
            writer.writerows(results)
        else:
            names = ", ".join(a.name for a in authorities)
            self.stdout.write(f"{names}: {scope.start:%d/%m/%Y} to {scope.end:%d/%m/%Y}")
            for r in results:
                value = "-" if r["value"] is None else r["value"]
                self.stdout.write(f"{r['id']:<40} {value!s:>10} {r['unit']:<14} {r['name']}")
