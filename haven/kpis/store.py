"""The store of computed figures, so that dashboards are instant and never stale without saying so.

A **run** (``KpiRun``) is the whole catalogue computed once for one *unit* (an authority, or a
partnership: its authorities together) and one period, with each KPI's figure for the unit and
for every team and worker (``KpiFigure.by_team``/``by_worker``, read from the same rows:
``haven.kpis.attribution``). Dashboards read runs; the drill-through recomputes the one KPI live.

A run is **out of date** when:

- a change to the record was marked after it was computed that could alter its period: a
  ``KpiChange`` of one of its authorities with ``at`` after the run's ``computed_at`` and
  ``since`` on or before the run's last day (``haven.kpis.changes`` writes them, in the same
  transaction as the change);
- the catalogue changed since (``fingerprint()`` of the definitions' source differs);
- its period includes the day it was computed and it is more than ``LIVE_MINUTES`` old (a clock
  that was running when it was computed may have run out since).

Pages show the stored figures with the time they were computed and, when out of date, say so and
why. The **worker** (``haven worker``, ``refresh()``) recomputes what is out of date or asked
for, newest first, so the store is rebuilt incrementally: a change dated last week recomputes
the runs whose period ends on or after last week, for the authority it belongs to (and its
partnership), nothing else.

The **standard runs**, kept current by the worker for every authority and partnership: the 12
months to today and to each of the 12 month ends before it, the calendar month to date and each
of the 12 months before it, and the 12 months to each of the last five 31 Marches. Others (an
earlier as-at date, the financial year to date) are computed when someone asks for them, and
kept current while they are viewed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from haven.core.calendar import add_months, collection_year

from . import attribution
from .catalogue import CATALOGUE, PER_10K, Scope, compute_all, load, tally, value_of

LIVE_MINUTES = getattr(settings, "HAVEN_KPI_LIVE_MINUTES", 60)
VIEWED_DAYS = 7      # a run shown on a page in the last week is kept current by the worker
TREND_MONTHS = 12
ANNUAL_YEARS = 5

PERIODS = {
    "12m": "12 months to the as-at date",
    "month": "the calendar month to the as-at date",
    "fytd": "the financial year (from 1 April) to the as-at date",
}


# --- periods -----------------------------------------------------------------------------------

def month_end(day: dt.date) -> dt.date:
    return add_months(day.replace(day=1), 1) - dt.timedelta(days=1)


def period(kind: str, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """(first day, last day) of a period of ``kind`` ending on ``as_of``."""
    if kind == "12m":
        s = Scope.year_to((), as_of)
        return s.start, s.end
    if kind == "month":
        return as_of.replace(day=1), as_of
    if kind == "fytd":
        return dt.date(collection_year(as_of) - 1, 4, 1), as_of
    raise ValueError(f"unknown period {kind}")


def trend(kind: str, as_of: dt.date, months: int = TREND_MONTHS) -> list[tuple[dt.date, dt.date]]:
    """The periods of a 12-month trend, oldest first: the period to each of the ``months`` month
    ends before ``as_of`` (a full calendar month for ``month``), then the period to ``as_of``."""
    points = []
    first_of_month = as_of.replace(day=1)
    for k in range(months, 0, -1):
        points.append(period(kind, month_end(add_months(first_of_month, -k))))
    if as_of == month_end(as_of) and points and points[-1][1] == as_of:
        points.pop()
    points.append(period(kind, as_of))
    return points


def annual(as_of: dt.date, years: int = ANNUAL_YEARS) -> list[tuple[dt.date, dt.date]]:
    """The 12 months to each of the last ``years`` 31 Marches on or before ``as_of``, oldest first."""
    last = as_of.year if (as_of.month, as_of.day) >= (3, 31) else as_of.year - 1
    return [period("12m", dt.date(y, 3, 31)) for y in range(last - years + 1, last + 1)]


# --- what a run is for ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    """An authority, or a partnership (its authorities together)."""

    authority: object | None = None
    partnership: object | None = None
    authorities: tuple = field(default=(), compare=False)

    @classmethod
    def of_authority(cls, authority) -> Unit:
        return cls(authority=authority, authorities=(authority,))

    @classmethod
    def of_partnership(cls, partnership) -> Unit:
        return cls(partnership=partnership, authorities=tuple(partnership.authorities.order_by("name")))

    @property
    def name(self) -> str:
        return (self.authority or self.partnership).name

    def audit(self, request, action: str, summary: str, **detail):
        """One access-log entry about this unit's data: an authority's carries the authority; a
        partnership's names the partnership and its authorities in the detail (an entry has
        one authority), so a search of an authority's log finds it."""
        from haven.audit.log import record

        if self.partnership is not None:
            detail = {**detail, "partnership": self.partnership.pk, "authorities": self.authority_ids}
        return record(request, action, authority_id=self.authority.pk if self.authority else None,
                      summary=summary, detail=detail)

    @property
    def authority_ids(self) -> list[int]:
        return sorted(a.pk for a in self.authorities)

    def runs(self):
        from .models import KpiRun

        if self.authority is not None:
            return KpiRun.objects.filter(authority=self.authority)
        return KpiRun.objects.filter(partnership=self.partnership)

    def new_run(self, **fields):
        from .models import KpiRun

        return KpiRun(authority=self.authority, partnership=self.partnership, **fields)


def units():
    """Every authority, and every partnership of more than one authority."""
    from haven.accounts.models import LocalAuthority, Partnership

    out = [Unit.of_authority(a) for a in LocalAuthority.objects.order_by("name")]
    for p in Partnership.objects.order_by("name"):
        unit = Unit.of_partnership(p)
        if len(unit.authorities) > 1:
            out.append(unit)
    return out


@cache
def fingerprint() -> str:
    """A hash of the source of the catalogue and every definition: a run computed with other
    definitions is out of date."""
    here = Path(__file__).parent
    files = [here / "catalogue.py", here / "common.py", here / "attribution.py",
             *sorted((here / "definitions").glob("*.py"))]
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


# --- computing a run -----------------------------------------------------------------------------

def compute_run(unit: Unit, start: dt.date, end: dt.date):
    """Compute every KPI for ``unit`` over ``start``..``end`` and store it (replacing the run of
    the same unit and period). ``computed_at`` is when the computation started, so that a change
    made while it ran leaves it out of date."""
    from .models import KpiFigure

    began, clock = timezone.now(), time.perf_counter()
    results = compute_all(Scope(unit.authorities, start, end))
    found = {roles: attribution.holders(unit.authority_ids, start, end, roles)
             for roles in {r.kpi.allocations for r in results}}
    figures = []
    for res in results:
        holders = found[res.kpi.allocations]
        teams, workers = defaultdict(list), defaultdict(list)
        for row in res.rows:
            h = attribution.place(row, holders)
            teams[attribution.key(h.team_id)].append(row)
            workers[attribution.key(h.worker_id)].append(row)
        figures.append(KpiFigure(
            kpi=res.kpi.id, numerator=res.numerator, denominator=res.denominator, value=res.value,
            note=res.note[:300],
            by_team={k: list(tally(res.kpi.kind, rows)) for k, rows in teams.items()},
            by_worker={k: list(tally(res.kpi.kind, rows)) for k, rows in workers.items()}))
    fields = dict(start=start, end=end, computed_at=began, seconds=time.perf_counter() - clock,
                  catalogue=fingerprint())
    for _attempt in range(2):
        try:
            with transaction.atomic():
                viewed = unit.runs().filter(start=start, end=end).values_list("viewed_at", flat=True).first()
                unit.runs().filter(start=start, end=end).delete()
                run = unit.new_run(viewed_at=viewed, **fields)
                run.save()
                for f in figures:
                    f.run = run
                KpiFigure.objects.bulk_create(figures)
            return run
        except IntegrityError:   # another worker stored the same run at the same moment: store ours over it
            continue
    raise RuntimeError(f"could not store the KPI run for {unit.name} {start}..{end}")


# --- reading runs ----------------------------------------------------------------------------------

@dataclass
class RunState:
    start: dt.date
    end: dt.date
    run: object | None = None
    changes: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return self.run is not None and self.run.computed_at is not None

    @property
    def stale(self) -> bool:
        return bool(self.reasons)


def states(unit: Unit, periods, *, now: dt.datetime | None = None) -> dict[tuple, RunState]:
    """{(start, end): RunState} for ``periods``, with why each stored run is out of date (two
    queries, whatever the number of periods)."""
    from .models import KpiChange

    now = now or timezone.now()
    wanted = {tuple(p) for p in periods}
    ends = {e for _s, e in wanted}
    out = {p: RunState(*p) for p in wanted}
    runs = list(unit.runs().filter(end__in=ends))
    for run in runs:
        if (run.start, run.end) in out:
            out[(run.start, run.end)].run = run
    computed = [r.computed_at for r in runs if r.computed_at is not None]
    changes = []
    if computed:
        changes = list(KpiChange.objects.filter(authority_id__in=unit.authority_ids, at__gt=min(computed))
                       .values_list("since", "at"))
    fp = fingerprint()
    for state in out.values():
        run = state.run
        if run is None or run.computed_at is None:
            continue
        state.changes = sum(1 for since, at in changes if at > run.computed_at and since <= run.end)
        if state.changes:
            state.reasons.append(f"{state.changes} change{'s' if state.changes != 1 else ''} to the record since")
        if run.catalogue != fp:
            state.reasons.append("the KPI definitions have changed since")
        computed_day = timezone.localtime(run.computed_at).date()
        if run.end >= computed_day and now - run.computed_at > dt.timedelta(minutes=LIVE_MINUTES):
            state.reasons.append("the period includes the day it was computed, and clocks were running")
    return out


def ask(unit: Unit, periods, *, now: dt.datetime | None = None) -> None:
    """Mark these runs as viewed (the worker keeps them current) and ask for those not computed
    yet (placeholders the worker fills first)."""
    now = now or timezone.now()
    periods = [tuple(p) for p in periods]
    existing = set(unit.runs().filter(end__in={e for _s, e in periods}).values_list("start", "end"))
    for start, end in periods:
        if (start, end) not in existing:
            try:
                with transaction.atomic():
                    unit.new_run(start=start, end=end, computed_at=None, viewed_at=now).save()
            except IntegrityError:
                pass
    q = Q()
    for start, end in periods:
        q |= Q(start=start, end=end)
    if periods:
        unit.runs().filter(q).filter(Q(viewed_at__isnull=True) | Q(viewed_at__lt=now - dt.timedelta(minutes=5))) \
            .update(viewed_at=now)


def ensure(unit: Unit, start: dt.date, end: dt.date, *, fresh: bool = False) -> RunState:
    """The run for this period, computed now if it has never been (the headline of a page:
    a few seconds at most), or with ``fresh`` if it is out of date (a scorecard's PDF); else as
    stored (out of date or not: the state says)."""
    state = states(unit, [(start, end)])[(start, end)]
    if not state.ready or (fresh and state.stale):
        compute_run(unit, start, end)
        state = states(unit, [(start, end)])[(start, end)]
    return state


# --- figures out of a run ------------------------------------------------------------------------

@dataclass
class Figure:
    kpi: object
    numerator: float | None
    denominator: float | None
    value: float | None
    note: str = ""


def stored_figures(runs, *, kpis=None, teams: bool = False, workers: bool = False) -> dict[int, dict]:
    """{run id: {kpi id: KpiFigure}} for ``runs`` (only ``kpis`` when given), with the teams' and
    the workers' parts only when asked for (they are the bulk of a run)."""
    from .models import KpiFigure

    qs = KpiFigure.objects.filter(run__in=[r.pk for r in runs if r is not None])
    if kpis is not None:
        qs = qs.filter(kpi__in=list(kpis))
    deferred = [name for name, wanted in (("by_team", teams), ("by_worker", workers)) if not wanted]
    if deferred:
        qs = qs.defer(*deferred)
    out: dict[int, dict] = defaultdict(dict)
    for f in qs:
        out[f.run_id][f.kpi] = f
    return out


def figures(states, *, kpis=None, team: str | None = None, worker: str | None = None) -> dict[int, dict[str, Figure]]:
    """``{run id: {kpi id: Figure}}`` of the ready runs among ``states`` (``RunState`` or None),
    only ``kpis`` when given: the unit's figures, or one team's or worker's (``figure``), read
    in one query."""
    runs = [s.run for s in states if s is not None and s.ready]
    stored = stored_figures(runs, kpis=kpis, teams=team is not None, workers=worker is not None)
    return {run: {kpi: figure(f, team=team, worker=worker) for kpi, f in found.items()}
            for run, found in stored.items()}


def figure(stored, *, team: int | str | None = None, worker: int | str | None = None) -> Figure | None:
    """A KPI's figure from its stored ``KpiFigure``: the whole unit's, or one team's or worker's
    (``"none"``: the rows that count for nobody). A team's or worker's rate per 10,000 has no
    population: its value is empty and the numerator says how many."""
    load()
    k = CATALOGUE.get(stored.kpi) if stored is not None else None
    if k is None:
        return None
    if team is None and worker is None:
        return Figure(k, stored.numerator, stored.denominator, stored.value, stored.note)
    parts = stored.by_team if team is not None else stored.by_worker
    n, d = parts.get(str(team if team is not None else worker), [0, None if k.kind == PER_10K else 0])
    if k.kind == PER_10K:
        return Figure(k, n, None, None, "A team's or worker's figure is the number of children, not a rate")
    return Figure(k, n, d, value_of(k.kind, n, d))


# --- the worker ------------------------------------------------------------------------------------

def standard_periods(today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The periods the worker keeps current for every unit, newest first."""
    wanted = [*reversed(trend("12m", today)), *reversed(trend("month", today)), *reversed(annual(today))]
    seen, out = set(), []
    for p in wanted:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


def due(*, now: dt.datetime | None = None) -> list[tuple[Unit, dt.date, dt.date, str]]:
    """What the worker should compute, in order: runs asked for and never computed, then runs out
    of date that are standard or were viewed in the last week (newest period first), then
    standard runs not yet computed."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    standard = standard_periods(today)
    asked, stale, missing = [], [], []
    for unit in units():
        runs = list(unit.runs().values_list("start", "end", "computed_at", "viewed_at"))
        held = {(s, e) for s, e, _c, _v in runs}
        for s, e, c, _v in runs:
            if c is None:
                asked.append((unit, s, e, "asked for"))
        recent = now - dt.timedelta(days=VIEWED_DAYS)
        keep = {(s, e) for s, e, c, v in runs if c is not None and ((s, e) in set(standard) or (v and v > recent))}
        for p, state in states(unit, keep, now=now).items():
            if state.stale:
                stale.append((unit, p[0], p[1], "; ".join(state.reasons)))
        for p in standard:
            if p not in held:
                missing.append((unit, p[0], p[1], "standard"))
    stale.sort(key=lambda t: t[2], reverse=True)
    return asked + stale + missing


def prune_changes() -> int:
    """Delete the change marks that no stored run is out of date by any more."""
    from .models import KpiChange, KpiRun

    runs_of = defaultdict(list)   # authority id -> [(end, computed_at)]
    partnership_of = {}
    from haven.accounts.models import LocalAuthority

    for pk, partnership_id in LocalAuthority.objects.values_list("pk", "partnership_id"):
        partnership_of[pk] = partnership_id
    by_partnership = defaultdict(list)
    for authority_id, partnership_id, end, computed in KpiRun.objects.values_list(
            "authority_id", "partnership_id", "end", "computed_at"):
        if computed is None:
            continue
        if authority_id is not None:
            runs_of[authority_id].append((end, computed))
        else:
            by_partnership[partnership_id].append((end, computed))
    done = []
    for pk, authority_id, since, at in KpiChange.objects.values_list("pk", "authority_id", "since", "at"):
        mine = runs_of.get(authority_id, []) + by_partnership.get(partnership_of.get(authority_id), [])
        if not any(end >= since and computed < at for end, computed in mine):
            done.append(pk)
    for i in range(0, len(done), 500):
        KpiChange.objects.filter(pk__in=done[i:i + 500]).delete()
    return len(done)


def refresh(*, budget_seconds: float | None = None, now: dt.datetime | None = None, log=None) -> list:
    """Compute what ``due()`` lists, until done or ``budget_seconds`` have passed (at least one
    run a pass); then prune the change marks. Returns the runs computed."""
    began = time.perf_counter()
    done = []
    for unit, start, end, why in due(now=now):
        if budget_seconds is not None and done and time.perf_counter() - began > budget_seconds:
            break
        run = compute_run(unit, start, end)
        done.append(run)
        if log:
            log(f"{unit.name} {start:%d/%m/%Y} to {end:%d/%m/%Y}: {run.seconds:.1f} s ({why})")
    prune_changes()
    return done
