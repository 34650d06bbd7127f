"""The benchmark kit: a registry of named benchmarks, the context they run in, timing, the table.

A benchmark is a function that takes a ``BenchContext`` and yields ``Figure``s::

    from haven.bench import benchmark

    @benchmark("chronology.timeline", "A child's chronology page, 50 children")
    def timeline(ctx):
        client = ctx.client("sam.worker")
        urls = [f"/people/{pk}/chronology/" for pk in ctx.sample_people(50, kind="child")]
        yield ctx.measure("page.chronology", [ctx.page(client, url) for url in urls])

Put it in a module under ``haven/bench/`` or in ``<app>/bench.py`` of an installed app: both are
imported by ``load_benchmarks``. Benchmarks are never collected by the test suite.
"""

from __future__ import annotations

import importlib
import math
import pkgutil
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from django.db import connection

# Modules of this package that hold the kit, not benchmarks.
KIT_MODULES = {"core", "database"}


# -- figures ----------------------------------------------------------------------------------
def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (p50 of 1..100 is 50, p95 is 95, p100 is the max)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Figure:
    """The timings of one named operation, with the rows it returned and the queries it ran."""

    name: str
    timings_ms: list[float]
    rows: list[int | None] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    note: str = ""

    @property
    def n(self) -> int:
        return len(self.timings_ms)

    @property
    def p50(self) -> float:
        return percentile(self.timings_ms, 50)

    @property
    def p95(self) -> float:
        return percentile(self.timings_ms, 95)

    @property
    def max(self) -> float:
        return max(self.timings_ms) if self.timings_ms else math.nan

    @property
    def rows_per_op(self) -> float | None:
        counted = [r for r in self.rows if r is not None]
        return sum(counted) / len(counted) if counted else None

    @property
    def queries_per_op(self) -> float | None:
        return sum(self.queries) / len(self.queries) if self.queries else None

    def subset(self, name: str, indices: Iterable[int], note: str = "") -> Figure:
        """The same measurements restricted to some operations (e.g. one kind of search)."""
        idx = list(indices)
        return Figure(
            name=name,
            timings_ms=[self.timings_ms[i] for i in idx],
            rows=[self.rows[i] for i in idx] if self.rows else [],
            queries=[self.queries[i] for i in idx] if self.queries else [],
            note=note,
        )

    def as_dict(self) -> dict:
        return {"name": self.name, "n": self.n, "p50_ms": round(self.p50, 2), "p95_ms": round(self.p95, 2),
                "max_ms": round(self.max, 2), "rows_per_op": self.rows_per_op,
                "queries_per_op": self.queries_per_op, "note": self.note}


# -- registry ---------------------------------------------------------------------------------
@dataclass
class Benchmark:
    name: str
    func: Callable[[BenchContext], Iterable[Figure]]
    description: str = ""


REGISTRY: dict[str, Benchmark] = {}


def benchmark(name: str, description: str = ""):
    """Register ``func(ctx) -> Iterable[Figure]`` under ``name`` (names are unique)."""

    def register(func):
        existing = REGISTRY.get(name)
        if existing and (existing.func.__module__, existing.func.__qualname__) != (func.__module__, func.__qualname__):
            raise ValueError(f"benchmark {name!r} is already registered by {existing.func.__module__}")
        doc = (func.__doc__ or "").strip().splitlines()
        REGISTRY[name] = Benchmark(name, func, description or (doc[0] if doc else ""))
        return func

    return register


def load_benchmarks() -> dict[str, Benchmark]:
    """Import every benchmark module: ``haven.bench.*`` and each installed app's ``bench``."""
    from django.utils.module_loading import autodiscover_modules

    import haven.bench as package

    for info in pkgutil.iter_modules(package.__path__):
        if info.name not in KIT_MODULES and not info.name.startswith("_"):
            importlib.import_module(f"{package.__name__}.{info.name}")
    autodiscover_modules("bench")
    return dict(REGISTRY)  # in registration order


# -- context ----------------------------------------------------------------------------------
@dataclass
class BenchContext:
    """What a benchmark gets: the scale and engine, sizes, deterministic randomness, helpers to
    fetch demo users and signed-in clients, and ``measure``."""

    scale: str
    engine: str
    seed: int = 1
    searches: int = 100
    requests: int = 50
    warmup: int = 3
    out: TextIO | None = None

    def rng(self, name: str) -> random.Random:
        """A random generator of its own for each benchmark, the same on every run."""
        return random.Random(f"{self.seed}:{name}")

    def log(self, message: str) -> None:
        if self.out is not None:
            self.out.write(message + "\n")
            self.out.flush()

    def user(self, username: str = "sam.worker"):
        from haven.accounts.models import User

        return User.objects.get(username=username)

    def client(self, username: str = "sam.worker"):
        """A test client signed in (password and second factor) as a demo user."""
        from django.test import Client

        from haven.core.testing import sign_in

        client = Client()
        sign_in(client, self.user(username))
        return client

    def page(self, client, url: str, *, expect: int = 200) -> Callable[[], None]:
        """An operation that GETs ``url`` and checks the status (a benchmark of an error page
        would measure the wrong thing)."""

        def get():
            response = client.get(url)
            if response.status_code != expect:
                raise RuntimeError(f"GET {url} answered {response.status_code}, expected {expect}")

        return get

    def sample_people(self, count: int, *, lea_code: str = "213", kind: str | None = None,
                      restricted: bool | None = False, name: str = "sample") -> list[int]:
        """``count`` person ids of one authority, chosen deterministically."""
        from haven.people.models import Person

        qs = Person.objects.filter(authority__lea_code=lea_code)
        if kind:
            qs = qs.filter(kind=kind)
        if restricted is not None:
            qs = qs.filter(restricted=restricted)
        ids = sorted(qs.values_list("pk", flat=True))
        if not ids:
            raise RuntimeError(f"no people to sample in authority {lea_code}")
        rng = self.rng(name)
        return rng.sample(ids, count) if count <= len(ids) else [rng.choice(ids) for _ in range(count)]

    def measure(self, name: str, operations: Sequence[Callable[[], int | None]], *, warmup: int | None = None,
                note: str = "") -> Figure:
        """Run each operation once and time it (wall clock, in this process). An operation may
        return the number of rows it produced. The first ``warmup`` operations run once more
        beforehand, untimed, so caches and lazy imports do not count."""
        warmup = self.warmup if warmup is None else warmup
        for op in operations[:warmup]:
            op()
        figure = Figure(name=name, timings_ms=[], note=note)
        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            for op in operations:
                count[0] = 0
                started = time.perf_counter()
                rows = op()
                figure.timings_ms.append((time.perf_counter() - started) * 1000)
                figure.rows.append(rows)
                figure.queries.append(count[0])
        return figure


# -- output -----------------------------------------------------------------------------------
def format_table(figures: Sequence[Figure], *, scale: str, engine: str) -> str:
    def num(value, fmt="{:,.1f}"):
        return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else fmt.format(value)

    header = ["benchmark", "n", "p50 ms", "p95 ms", "max ms", "rows/op", "queries/op", "scale", "engine"]
    rows = [[f.name, str(f.n), num(f.p50), num(f.p95), num(f.max), num(f.rows_per_op), num(f.queries_per_op),
             scale, engine] for f in figures]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    left = {0, 7, 8}

    def line(cells):
        return "  ".join(c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])
