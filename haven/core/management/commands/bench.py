"""``haven bench``: seed (or reuse) a database at ``--scale`` and print benchmark figures.

Without DATABASE_URL the benchmarks use their own SQLite file, ``var/bench-<scale>.sqlite3``
(never the demo database); with DATABASE_URL they use that database (empty, or seeded at the same
scale by an earlier run). Timings are wall clock in this process, with DEBUG off.
"""

import datetime as dt
import json
import os
import platform
import sys
import traceback

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from haven.seed.generate import SCALES

# A fixed "today" for the benchmark data, so every machine benchmarks the same rows.
BENCH_AS_OF = dt.date(2026, 1, 1)


class Command(BaseCommand):
    help = "Seed (or reuse) a benchmark database at --scale and print timing figures."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(SCALES), default="large")
        parser.add_argument("--seed", type=int, default=1, help="random seed for the data and the queries")
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=BENCH_AS_OF,
                            help=f"the 'today' the data is generated around (default {BENCH_AS_OF})")
        parser.add_argument("--reseed", action="store_true",
                            help="delete the benchmarks' own SQLite file and seed again (not with DATABASE_URL)")
        parser.add_argument("--only", action="append", default=[], metavar="NAME",
                            help="run only benchmarks whose name starts with NAME (repeatable)")
        parser.add_argument("--list", action="store_true", dest="list_only", help="list the benchmarks and exit")
        parser.add_argument("--searches", type=int, default=100, help="searches per search benchmark")
        parser.add_argument("--requests", type=int, default=50, help="requests per page benchmark")
        parser.add_argument("--json", metavar="PATH", dest="json_path", help="also write the figures to PATH as JSON")
        parser.add_argument("--debug", action="store_true", help="keep DEBUG on (slower: logs every query)")

    def handle(self, *args, scale, seed, as_of, reseed, only, list_only, searches, requests, json_path, debug,
               **options):
        from haven.bench import BenchContext, load_benchmarks

        benchmarks = load_benchmarks()
        if list_only:
            for name, b in benchmarks.items():
                self.stdout.write(f"{name:<24} {b.description}")
            return
        chosen = [b for name, b in benchmarks.items() if not only or any(name.startswith(o) for o in only)]
        if not chosen:
            raise CommandError(f"No benchmark matches {', '.join(only)}; see --list")

        from haven.bench.core import format_table
        from haven.bench.database import mb, prepare

        db = prepare(scale=scale, seed=seed, as_of=as_of, reseed=reseed, out=self.stdout)
        load = os.getloadavg()
        self.stdout.write("")
        self.stdout.write(f"Engine:   {db.engine}, {db.location}")
        self.stdout.write(f"People:   {db.people:,} (scale {scale})")
        if db.seeded:
            self.stdout.write(f"Seeded:   in {db.seed_seconds:,.1f} s")
        else:
            self.stdout.write("Seeded:   earlier (reused; --reseed to time a seed)")
        self.stdout.write(f"Size:     {mb(db.size_bytes)} ({db.size_detail})")
        self.stdout.write(f"Machine:  {os.cpu_count()} CPUs, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
                          f"Python {platform.python_version()} (figures are noisy on a busy machine)")
        self.stdout.write("")

        ctx = BenchContext(scale=scale, engine=db.engine, seed=seed, searches=searches, requests=requests,
                           out=self.stdout)
        figures, failed = [], []
        with override_settings(DEBUG=debug):
            for b in chosen:
                self.stdout.write(f"Running {b.name}: {b.description}")
                try:
                    figures.extend(b.func(ctx))
                except Exception as exc:  # report it and go on with the other benchmarks
                    failed.append(b.name)
                    self.stderr.write(f"  {b.name} failed: {type(exc).__name__}: {exc}")
                    if options["verbosity"] > 1:
                        self.stderr.write(traceback.format_exc())
        self.stdout.write("")
        self.stdout.write(format_table(figures, scale=scale, engine=db.engine))
        if json_path:
            self._write_json(json_path, db, scale, figures)
        if failed:
            raise CommandError(f"{len(failed)} benchmark(s) failed: {', '.join(failed)} (-v 2 for tracebacks)")

    def _write_json(self, path, db, scale, figures):
        payload = {"scale": scale, "database": db.as_dict(), "argv": sys.argv[1:],
                   "figures": [f.as_dict() for f in figures]}
        with open(path, "w") as fh:
            json.dump(payload, fh, indent=2, default=str)
        self.stdout.write(f"\nFigures written to {path}")
