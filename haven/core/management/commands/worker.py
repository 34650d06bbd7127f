"""``haven worker``: Haven's background work, in one process that loops (run it beside the web
server; ``make run`` starts one):

- keeps the KPI store current (``haven.kpis.store.refresh``): recomputes the runs that changes to
  the record have put out of date, the runs someone asked for, and the standard runs;
- makes the monthly scorecards that are due (``haven.kpis.scorecards.make_due``).

``haven worker --once`` does one pass and exits (for cron or a systemd timer instead of the loop).
Several workers may run at once: a run stored twice is stored once, the later one winning.
"""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection


class Command(BaseCommand):
    help = "Keep the KPI store current and make the scorecards that are due (loops; --once for one pass)"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=float, default=30, help="seconds between passes (default 30)")
        parser.add_argument("--budget", type=float, default=None,
                            help="stop a pass's KPI computing after this many seconds (default: until done)")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, once, interval, budget, quiet, **options):
        from haven.kpis import scorecards, store

        stopping = []
        previous = signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        log = None if quiet else (lambda line: self.stdout.write(line))
        try:
            while True:
                if not connection.in_atomic_block:   # (a caller's transaction, as in a test: keep it)
                    close_old_connections()   # a pass after a database restart, or past CONN_MAX_AGE
                runs = store.refresh(budget_seconds=budget, log=log)
                made = scorecards.make_due(log=log)   # a scorecard that fails is logged and tried next pass
                if log and (runs or made):
                    log(f"worker: {len(runs)} KPI run(s) computed, {len(made)} scorecard(s) made")
                if once or stopping:
                    return
                for _ in range(int(max(interval, 1) * 10)):
                    if stopping:
                        return
                    time.sleep(0.1)
        finally:
            signal.signal(signal.SIGTERM, previous)
