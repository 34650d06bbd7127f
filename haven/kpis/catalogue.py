"""The KPI catalogue: every indicator is code with a definition.

A KPI is a function that, for a ``Scope`` (one or more authorities, a period, an as-at date),
returns the **rows behind the number**: one ``Row`` per child (or worker) in the cohort, saying
whether it is counted in the numerator and the fields that explain why. The number is worked out
from the rows by the KPI's ``kind``, so the figure and its drill-through can never disagree:

- ``percent``: numerator = rows counted, denominator = all rows, value = 100 * n / d;
- ``count``: value = rows counted (no denominator);
- ``per_10k``: numerator = rows counted, denominator = the child population (``population``),
  value = 10,000 * n / d;
- ``mean``: numerator = the sum of the counted rows' ``measure``, denominator = how many,
  value = their mean (days, caseloads).

Register one with the decorator; its docstring is the definition, with its source::

    @kpi("cla_count", "Children looked after", kind="count", unit="children", polarity=None,
         source="DfE SSDA903: looked after at the as-at date", group="Children looked after")
    def cla_count(scope):
        \"\"\"Children looked after on the as-at date (an episode open that day).\"\"\"
        for period in PeriodOfCare.objects.filter(...):
            yield Row(period.person_id, why={"started": period.start_date})

Timeliness KPIs read the timescale rules engine's deadlines (``haven.work.models.Deadline``),
never their own copies of the rules.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from haven.core.memo import remember, remembering

PERCENT, COUNT, PER_10K, MEAN = "percent", "count", "per_10k", "mean"
HIGHER, LOWER = "higher", "lower"   # which way is better; None: neither (context)


@dataclass(frozen=True)
class Scope:
    """What a KPI is computed for: ``authorities`` (LocalAuthority objects: one, or a whole
    partnership), the period ``start``..``end`` (inclusive) and the as-at date (``end``)."""

    authorities: tuple
    start: dt.date
    end: dt.date

    @property
    def as_of(self) -> dt.date:
        return self.end

    @property
    def authority_ids(self) -> list[int]:
        return sorted(a.pk for a in self.authorities)

    @classmethod
    def year_to(cls, authorities: Iterable, as_of: dt.date) -> Scope:
        """The 12 months ending on ``as_of`` (e.g. 1 April 2025 to 31 March 2026)."""
        start = dt.date(as_of.year - 1, as_of.month, as_of.day) + dt.timedelta(days=1) \
            if not (as_of.month == 2 and as_of.day == 29) else dt.date(as_of.year - 1, 3, 1)
        return cls(tuple(authorities), start, as_of)


@dataclass
class Row:
    """One child (``person_id``) or worker (``label``) in the cohort behind a number. A row about
    a worker rather than a child names them (``worker_id``) and their team (``team_id``), so that
    team and worker figures need no allocation to place it (``haven.kpis.attribution``)."""

    person_id: int | None
    counted: bool = True
    measure: float | None = None
    why: dict = field(default_factory=dict)
    label: str = ""
    worker_id: int | None = None
    team_id: int | None = None


@dataclass(frozen=True)
class Kpi:
    id: str
    name: str
    kind: str
    unit: str
    polarity: str | None
    source: str
    group: str
    rows: Callable[[Scope], Iterable[Row]]
    annual: bool = False          # published once a year (at 31 March): dashboards add a 5-year trend
    allocations: tuple = ("social_worker", "team")   # whose work a child's row is, for team figures

    @property
    def definition(self) -> str:
        return inspect.cleandoc(self.rows.__doc__ or "")


@dataclass
class Result:
    kpi: Kpi
    scope: Scope
    rows: list[Row]
    numerator: float | None
    denominator: float | None
    value: float | None
    note: str = ""

    def as_dict(self) -> dict:
        return {"id": self.kpi.id, "name": self.kpi.name, "value": _round(self.value),
                "numerator": _round(self.numerator), "denominator": _round(self.denominator),
                "unit": self.kpi.unit}


def _round(x):
    if x is None:
        return None
    return round(x, 1) if isinstance(x, float) and not float(x).is_integer() else int(x)


CATALOGUE: dict[str, Kpi] = {}


def kpi(id: str, name: str, *, kind: str, unit: str, polarity: str | None, source: str, group: str,
        annual: bool = False, allocations: tuple = ("social_worker", "team")):
    """Register the decorated function as KPI ``id`` (stable snake_case: scripts rely on it).
    ``annual``: a measure the DfE publishes once a year (dashboards show five years of 31 Marches
    beside the 12 months). ``allocations``: the allocation roles, in order of preference, that
    say whose work a child's row is (team and worker figures: ``haven.kpis.attribution``)."""

    def register(func):
        if id in CATALOGUE:
            raise ValueError(f"KPI {id} is registered twice")
        if not (func.__doc__ or "").strip():
            raise ValueError(f"KPI {id} needs its definition as the function's docstring")
        if kind not in (PERCENT, COUNT, PER_10K, MEAN):
            raise ValueError(f"KPI {id}: unknown kind {kind}")
        CATALOGUE[id] = Kpi(id, name, kind, unit, polarity, source, group, func, annual, tuple(allocations))
        return func

    return register


def population(scope: Scope) -> int | None:
    """The child population (aged 0-17) of the scope's authorities for the as-at year, from the
    figures an analyst maintains (``ChildPopulation``); None when one is missing."""
    from .models import ChildPopulation

    total = 0
    for authority in scope.authorities:
        row = (ChildPopulation.objects.filter(authority=authority, year__lte=scope.as_of.year)
               .order_by("-year").first())
        if row is None:
            return None
        total += row.children
    return total


def shared(func):
    """A helper several KPIs call with the same scope (the contacts decided in the period, the
    care leavers on their birthdays): while ``compute_all`` runs, each scope's result is worked
    out once (``haven.core.memo``). The helper must return a value (a list), not a generator."""

    @functools.wraps(func)
    def wrapper(scope, *args):
        key = (func.__module__, func.__qualname__, tuple(scope.authority_ids), scope.start, scope.end, args)
        return remember(key, lambda: func(scope, *args))

    return wrapper


def tally(kind: str, rows: Iterable[Row]) -> tuple[float, float | None]:
    """(numerator, denominator) of ``rows`` for a KPI of ``kind``: the arithmetic of the
    module docstring, shared by the whole scope's figure and each team's and worker's. A rate
    per 10,000 has no denominator here (the population is the scope's, not a team's)."""
    rows = list(rows)
    counted = [r for r in rows if r.counted]
    if kind == PERCENT:
        return len(counted), len(rows)
    if kind in (COUNT, PER_10K):
        return len(counted), None
    if kind == MEAN:
        measures = [r.measure for r in counted if r.measure is not None]
        return float(sum(measures)), len(measures)
    raise ValueError(f"unknown KPI kind {kind}")


def value_of(kind: str, numerator: float | None, denominator: float | None) -> float | None:
    """The figure from its numerator and denominator (None when there is nothing to divide by)."""
    if numerator is None:
        return None
    if kind == COUNT:
        return float(numerator)
    if not denominator:
        return None
    return (100 if kind == PERCENT else 10_000 if kind == PER_10K else 1) * numerator / denominator


def compute(k: Kpi, scope: Scope) -> Result:
    rows = list(k.rows(scope))
    numerator, denominator = tally(k.kind, rows)
    note = ""
    if k.kind == PER_10K:
        denominator = population(scope)
        if denominator is None:
            note = "The child population is not recorded for this authority and year"
    return Result(k, scope, rows, numerator, denominator, value_of(k.kind, numerator, denominator), note)


def compute_all(scope: Scope, ids: Iterable[str] | None = None) -> list[Result]:
    load()
    wanted = list(ids) if ids is not None else list(CATALOGUE)
    with remembering():
        return [compute(CATALOGUE[i], scope) for i in wanted]


def groups(kpis: Iterable[Kpi] | None = None) -> list[tuple[str, list[Kpi]]]:
    """The KPIs (by default the whole catalogue) by their group, groups and KPIs in the
    catalogue's order: how every page lists them."""
    found: dict[str, list[Kpi]] = {}
    for k in (load().values() if kpis is None else kpis):
        found.setdefault(k.group, []).append(k)
    return list(found.items())


def load() -> dict[str, Kpi]:
    """Import every module of ``haven.kpis.definitions`` (each registers its KPIs)."""
    import importlib
    import pkgutil

    from . import definitions

    for info in pkgutil.iter_modules(definitions.__path__):
        importlib.import_module(f"{definitions.__name__}.{info.name}")
    return CATALOGUE
