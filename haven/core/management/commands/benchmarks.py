"""``haven benchmarks``: the published comparators (and child populations) an analyst maintains
as CSV files (the format is in docs/performance.md).

- ``haven benchmarks load FILE [--replace]``: check every row; if any is bad, print each with
  its line number, load nothing and exit 1; otherwise load the whole file (a comparator with
  the same kpi, area, area_name and year is updated). ``--replace`` also deletes the
  comparators held that the file does not have.
- ``haven benchmarks export [--out FILE]``: the comparators held, in the same format.
- ``haven benchmarks load-starter``: load the comparators shipped with Haven
  (``haven/kpis/reference/benchmarks.csv``: figures quoted in inspection reports).
- ``haven benchmarks load-populations FILE [--replace]`` and ``export-populations [--out
  FILE]``: the same for the child population aged 0-17 (``authority,year,children,source``).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

ACTIONS = ["load", "export", "load-starter", "load-populations", "export-populations"]


class Command(BaseCommand):
    help = "Load or export the published comparators (and child populations) as CSV"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=ACTIONS, help="what to do")
        parser.add_argument("file", nargs="?", help="the CSV file to load (load, load-populations)")
        parser.add_argument("--replace", action="store_true",
                            help="also delete what is held but not in the file")
        parser.add_argument("--out", help="write the export to this file (default: standard output)")

    def handle(self, *args, action, file, replace, out, **options):
        from haven.kpis import reference

        if action in ("export", "export-populations"):
            if file:
                raise CommandError(f"'{action}' takes no FILE: use --out FILE")
            export = reference.export_benchmarks if action == "export" else reference.export_populations
            if out:
                with open(out, "w", encoding="utf-8", newline="") as f:
                    export(f)
                self.stderr.write(f"Written to {out}")
            else:
                self.stdout.write(export(), ending="")
            return

        if action == "load-starter":
            if file:
                raise CommandError("'load-starter' takes no FILE: it loads the comparators shipped with Haven")
            path = reference.STARTER_BENCHMARKS
        else:
            if not file:
                raise CommandError(f"'{action}' needs the CSV FILE to load")
            path = Path(file)
            if not path.is_file():
                raise CommandError(f"No file {file}")
        load = reference.load_populations if action == "load-populations" else reference.load_benchmarks
        report = load(path, actor=None, replace=replace)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(f"{path}: {error}")
            raise CommandError(f"{len(report.errors)} problem{'s' if len(report.errors) != 1 else ''} "
                               f"in {path}: nothing was loaded")
        self.stdout.write(f"{path}: {report.summary()}")
