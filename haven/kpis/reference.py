"""The reference data of performance management: local targets with their red/amber/green rule,
published comparators (England, statistical neighbours, a region, an authority's own published
figure, a national threshold) and the child population behind the rates per 10,000.

What dashboards call (each reads the database once at most):

- ``rag(value, target, polarity, amber_within)``: "green", "amber", "red" or None;
- ``rag_for(kpi, value, target)``: the same from a catalogue ``Kpi`` and a ``KpiTarget``;
- ``target_for(kpi_id, authority)`` and ``targets_for(authority)``: the target that applies;
- ``benchmarks_for(kpi_ids, year)``: the latest comparator of each area on or before a year.

Comparators and populations are loaded from CSV files an analyst maintains
(``load_benchmarks``, ``load_populations``; the format is in docs/performance.md). A load
checks every row first and reports every bad one with its line number; if any is bad nothing is
written, otherwise the whole file is written in one transaction (never half).
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .catalogue import HIGHER, LOWER, MEAN, PER_10K, PERCENT, Kpi
from .catalogue import load as load_catalogue
from .models import Benchmark, ChildPopulation, KpiTarget

GREEN, AMBER, RED = "green", "amber", "red"
EPSILON = 1e-9   # float arithmetic (100 * n / d) must not turn "exactly on target" into a miss

STARTER_BENCHMARKS = Path(__file__).resolve().parent / "reference" / "benchmarks.csv"
BENCHMARK_COLUMNS = ["kpi", "area", "area_name", "year", "period", "value", "source"]
POPULATION_COLUMNS = ["authority", "year", "children", "source"]
AREAS_NEEDING_A_NAME = {Benchmark.Area.REGION, Benchmark.Area.AUTHORITY}
MIN_YEAR, MAX_YEAR = 1970, 2100

POLARITY_LABELS = {HIGHER: "Higher is better", LOWER: "Lower is better", None: "Neither (context)"}


# --- RAG ---------------------------------------------------------------------------------------

def rag(value: float | None, target: float | None, polarity: str | None,
        amber_within: float | None = 0) -> str | None:
    """Red, amber or green for ``value`` against ``target``: green when it meets the target in
    the polarity's direction (at or above it when higher is better, at or below it when lower
    is better; exactly on target is green); amber when it misses by no more than
    ``amber_within`` (in the KPI's unit; exactly at that edge is amber); red beyond that.
    None when there is no value, no target, or the KPI has no better direction."""
    if value is None or target is None or polarity not in (HIGHER, LOWER):
        return None
    shortfall = (target - value) if polarity == HIGHER else (value - target)
    if shortfall <= EPSILON:
        return GREEN
    if shortfall <= max(0.0, amber_within or 0.0) + EPSILON:
        return AMBER
    return RED


def rag_for(kpi: Kpi, value: float | None, target: KpiTarget | None) -> str | None:
    """``rag`` for a catalogue KPI's value against a ``KpiTarget`` (None when there is none)."""
    if target is None:
        return None
    return rag(value, target.target, kpi.polarity, target.amber_within)


# --- targets -----------------------------------------------------------------------------------

def _authority_id(authority) -> int | None:
    """The one authority's id that ``authority`` names, or None for every authority: a
    ``LocalAuthority``, its id, None, a ``Partnership``, or several authorities (a scope's
    ``authorities``: one of them counts as that one, several as the partnership)."""
    from haven.accounts.models import LocalAuthority, Partnership

    if authority is None or isinstance(authority, Partnership):
        return None
    if isinstance(authority, LocalAuthority):
        return authority.pk
    if isinstance(authority, int):
        return authority
    if isinstance(authority, Iterable) and not isinstance(authority, (str, bytes)):
        several = list(authority)
        return _authority_id(several[0]) if len(several) == 1 else None
    raise TypeError(f"not an authority: {authority!r}")


def target_for(kpi_id: str, authority) -> KpiTarget | None:
    """The target for ``kpi_id`` that applies to ``authority``: its own, else the default
    (authority empty). For a partnership (several authorities, or a ``Partnership``) or None:
    the default."""
    return targets_for(authority, [kpi_id]).get(kpi_id)


def targets_for(authority, kpis: Iterable[str] | None = None) -> dict[str, KpiTarget]:
    """``{kpi id: KpiTarget}`` for every KPI (or those of ``kpis``) with a target that applies
    to ``authority`` (as ``target_for``), in one query."""
    authority_id = _authority_id(authority)
    wanted = Q(authority__isnull=True)
    if authority_id is not None:
        wanted |= Q(authority_id=authority_id)
    held = KpiTarget.objects.filter(wanted)
    if kpis is not None:
        held = held.filter(kpi__in=list(kpis))
    found: dict[str, KpiTarget] = {}
    for t in held:
        if t.kpi not in found or t.authority_id is not None:
            found[t.kpi] = t
    return found


# --- comparators -------------------------------------------------------------------------------

AREA_ORDER = {a.value: i for i, a in enumerate(Benchmark.Area)}


def latest(benchmarks: list[Benchmark], area: str) -> Benchmark | None:
    """The first of ``benchmarks`` (as ``benchmarks_for`` gives them) for ``area``."""
    return next((b for b in benchmarks if b.area == area), None)


def history(kpi_id: str, first_year: int, last_year: int) -> list[Benchmark]:
    """Every England and statistical-neighbour figure for ``kpi_id`` from ``first_year`` to
    ``last_year``, by year: the comparators' lines beside a KPI's five years to 31 March."""
    return list(Benchmark.objects.filter(kpi=kpi_id, year__gte=first_year, year__lte=last_year,
                                         area__in=("england", "statistical_neighbours"))
                .order_by("year", "area", "area_name"))


def benchmarks_for(kpi_ids: Iterable[str], year: int) -> dict[str, list[Benchmark]]:
    """``{kpi id: [Benchmark]}`` for each of ``kpi_ids`` (every one is a key, with an empty list
    when it has none): for each area (area and area name) the figure of the latest year on or
    before ``year``, in the order England, statistical neighbours, region, authority, threshold.
    One query."""
    ids = list(dict.fromkeys(kpi_ids))
    result: dict[str, list[Benchmark]] = {i: [] for i in ids}
    seen: set[tuple] = set()
    for b in (Benchmark.objects.filter(kpi__in=ids, year__lte=year)
              .order_by("kpi", "area", "area_name", "-year")):
        key = (b.kpi, b.area, b.area_name)
        if key not in seen:
            seen.add(key)
            result[b.kpi].append(b)
    for found in result.values():
        found.sort(key=lambda b: (AREA_ORDER.get(b.area, 99), b.area_name))
    return result


# --- loading CSV files -------------------------------------------------------------------------

@dataclass
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}"


@dataclass
class LoadReport:
    """What a load did (``created``, ``updated``: changed; ``unchanged``; ``deleted``: with
    ``replace``), or, when ``errors`` is not empty, why it wrote nothing."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    errors: list[RowError] = field(default_factory=list)
    what: str = "comparator"

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            n = len(self.errors)
            return f"{n} problem{'s' if n != 1 else ''} found: nothing was loaded"
        plural = f"{self.what}s"
        parts = [f"{self.created} {plural if self.created != 1 else self.what} created",
                 f"{self.updated} updated", f"{self.unchanged} unchanged"]
        if self.deleted:
            parts.append(f"{self.deleted} deleted")
        return ", ".join(parts)


def _text_of(file_or_text) -> tuple[str | None, RowError | None]:
    """The text of a path (``Path``), a CSV string, bytes, or an open file (text or binary, a
    Django upload included), decoded as UTF-8 (a byte-order mark is dropped)."""
    if isinstance(file_or_text, os.PathLike):
        data = Path(file_or_text).read_bytes()
    elif isinstance(file_or_text, str):
        return file_or_text.removeprefix("\ufeff"), None
    elif isinstance(file_or_text, (bytes, bytearray)):
        data = bytes(file_or_text)
    elif hasattr(file_or_text, "chunks"):
        data = b"".join(file_or_text.chunks())
    else:
        data = file_or_text.read()
        if isinstance(data, str):
            return data.removeprefix("\ufeff"), None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return None, RowError(line, "the file is not UTF-8 text: save it as \"CSV UTF-8\"")


def _rows(file_or_text, columns: list[str], errors: list[RowError]) -> list[tuple[int, dict]]:
    """``[(line, {column: value})]`` of the data rows (values stripped; blank lines skipped), or
    ``[]`` with ``errors`` saying why the header or the file cannot be read. A row whose number
    of fields is not the header's is an error, and not returned."""
    text, problem = _text_of(file_or_text)
    if problem:
        errors.append(problem)
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    expected = ",".join(columns)
    try:
        header = next(reader, None)
        while header is not None and not any(h.strip() for h in header):
            header = next(reader, None)
        if header is None:
            errors.append(RowError(1, f"the file is empty: it needs a header row, {expected}"))
            return []
        header_line = reader.line_num
        names = [h.strip().lower() for h in header]
        missing = [c for c in columns if c not in names]
        unknown = [n for n in names if n not in columns]
        repeated = sorted({n for n in names if names.count(n) > 1 and n in columns})
        if missing or unknown or repeated:
            said = []
            if missing:
                said.append(f"it has no {', '.join(missing)} column{'s' if len(missing) > 1 else ''}")
            if unknown:
                said.append(f"{', '.join(repr(u) for u in unknown)} {'is not a column' if len(unknown) == 1 else 'are not columns'}")
            if repeated:
                said.append(f"{', '.join(repeated)} {'is' if len(repeated) == 1 else 'are'} repeated")
            errors.append(RowError(header_line, f"the header row must be {expected}: {'; '.join(said)}"))
            return []
        rows = []
        while True:
            line = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                break
            if not any(v.strip() for v in row):
                continue
            if len(row) != len(names):
                errors.append(RowError(line, f"it has {len(row)} fields but the header has {len(names)} (put a "
                                             "value with a comma in it in double quotes)"))
                continue
            rows.append((line, {n: v.strip() for n, v in zip(names, row, strict=True)}))
    except csv.Error as exc:
        errors.append(RowError(reader.line_num or 1, f"the file cannot be read as CSV ({exc})"))
        return []
    if not rows and not errors:
        errors.append(RowError(header_line + 1, "the file has a header row but no data rows"))
    return rows


def _year(raw: str, line: int, errors: list[RowError], name: str = "year") -> int | None:
    if not raw:
        errors.append(RowError(line, f"enter the {name}: 4 digits, like 2015 (for 2014-15)"))
        return None
    if not re.fullmatch(r"\d{4}", raw) or not MIN_YEAR <= int(raw) <= MAX_YEAR:
        errors.append(RowError(line, f"{name} '{raw}' must be a year of 4 digits from {MIN_YEAR} to {MAX_YEAR}, "
                                     "like 2015 for 2014-15"))
        return None
    return int(raw)


def parse_number(raw: str) -> float | None:
    """A number as people type it (411, 94.6%, 1,234), or None when it is not a finite number."""
    cleaned = raw.replace(",", "").replace(" ", "").removesuffix("%")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _too_long(raw: str, name: str, limit: int, line: int, errors: list[RowError]) -> None:
    if len(raw) > limit:
        errors.append(RowError(line, f"{name} must be {limit} characters or fewer (it has {len(raw)})"))


def _authorities():
    """``{name, LEA code or ONS code (lower case): LocalAuthority}`` of every authority held."""
    from haven.accounts.models import LocalAuthority

    found = {}
    for la in LocalAuthority.objects.all():
        for key in (la.name, la.lea_code, la.ons_code):
            found[key.strip().lower()] = la
    return found


def _looks_like_a_code(raw: str) -> bool:
    return bool(re.fullmatch(r"\d{3}|[A-Za-z]\d{8}", raw))


def _duplicate(key: tuple, line: int, seen: dict, errors: list[RowError], says: str) -> bool:
    if key in seen:
        errors.append(RowError(line, f"repeats line {seen[key]}: the same {says}. Keep one of lines "
                                     f"{seen[key]} and {line}"))
        return True
    seen[key] = line
    return False


def load_benchmarks(file_or_text, *, actor, replace: bool = False) -> LoadReport:
    """Load published comparators from the reference CSV (``kpi,area,area_name,year,period,
    value,source``; docs/performance.md). Every row is checked first; any bad row: the report
    lists each problem with its line, and nothing is written. A good file is written in one
    transaction: a comparator with the same kpi, area, area name and year is updated, others are
    created; with ``replace``, comparators held that the file does not have are deleted.
    ``actor``: the user loading it (or None for a command or the seed)."""
    report = LoadReport(what="comparator")
    errors = report.errors
    rows = _rows(file_or_text, BENCHMARK_COLUMNS, errors)
    catalogue = load_catalogue()
    authorities = _authorities() if rows else {}
    areas = {a.value: a.value for a in Benchmark.Area} | {a.label.lower(): a.value for a in Benchmark.Area}
    wanted: dict[tuple, dict] = {}
    seen: dict[tuple, int] = {}
    for line, r in rows:
        before = len(errors)
        kpi = catalogue.get(r["kpi"])
        if not r["kpi"]:
            errors.append(RowError(line, "enter the kpi: a KPI id of the catalogue, like referrals_per_10k"))
        elif kpi is None:
            close = difflib.get_close_matches(r["kpi"], list(catalogue), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            errors.append(RowError(line, f"kpi '{r['kpi']}' is not a KPI id of the catalogue{hint}"))
        area = areas.get(r["area"].lower())
        if area is None:
            errors.append(RowError(line, f"area '{r['area']}' must be one of {', '.join(a.value for a in Benchmark.Area)}"
                                   if r["area"] else f"enter the area: one of {', '.join(a.value for a in Benchmark.Area)}"))
        area_name, authority = r["area_name"], None
        if area in AREAS_NEEDING_A_NAME and not area_name:
            errors.append(RowError(line, f"enter the area_name for area {area}: "
                                         + ("the region, like Inner London" if area == Benchmark.Area.REGION
                                            else "the authority's name, LEA or ONS code, like Westminster")))
        if area == Benchmark.Area.AUTHORITY and area_name:
            authority = authorities.get(area_name.lower())
            if authority is not None:
                area_name = authority.name
            elif _looks_like_a_code(area_name):
                errors.append(RowError(line, f"no authority held by Haven has the LEA or ONS code '{area_name}': "
                                             "give the authority's name instead"))
        _too_long(area_name, "area_name", 120, line, errors)
        year = _year(r["year"], line, errors)
        if not r["period"]:
            errors.append(RowError(line, "enter the period as published, like 2014-15 or at 31 March 2015"))
        _too_long(r["period"], "period", 40, line, errors)
        value = parse_number(r["value"]) if r["value"] else None
        if not r["value"]:
            errors.append(RowError(line, "enter the value: a number, like 94.6"))
        elif value is None:
            errors.append(RowError(line, f"value '{r['value']}' must be a number, like 94.6"))
        elif kpi is not None and kpi.kind == PERCENT and not 0 <= value <= 100:
            errors.append(RowError(line, f"value {r['value']} must be from 0 to 100: {kpi.id} is a percentage"))
        elif value < 0:
            errors.append(RowError(line, f"value {r['value']} must be 0 or more"))
        if not r["source"]:
            errors.append(RowError(line, "enter the source: the publication, and what it says"))
        _too_long(r["source"], "source", 300, line, errors)
        if len(errors) > before:
            continue
        key = (kpi.id, area, area_name, year)
        if _duplicate(key, line, seen, errors, f"kpi, area, area_name and year ({kpi.id}, {area}"
                                               f"{', ' + area_name if area_name else ''}, {year})"):
            continue
        wanted[key] = dict(period=r["period"], value=value, source=r["source"],
                           authority_id=authority.pk if authority else None)
    if errors:
        errors.sort(key=lambda e: e.line)
        return report

    _upsert(Benchmark, ("kpi", "area", "area_name", "year"), wanted, report, replace=replace,
            stamp={"loaded_at": timezone.now(), "loaded_by": actor})
    return report


def load_starter_benchmarks(*, actor=None, replace: bool = False) -> LoadReport:
    """Load the comparators shipped with Haven (``haven/kpis/reference/benchmarks.csv``)."""
    return load_benchmarks(STARTER_BENCHMARKS, actor=actor, replace=replace)


def plain_number(value: float) -> str:
    """A value as the CSV writes it: 411, 94.6 (no trailing .0, no rounding)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def export_benchmarks(out=None) -> str | None:
    """Write every comparator held in the loader's format to ``out`` (a text file, or an
    ``HttpResponse``); without ``out``, return the CSV text. Loading the result changes nothing."""
    target = out if out is not None else io.StringIO()
    writer = csv.writer(target, lineterminator="\n")
    writer.writerow(BENCHMARK_COLUMNS)
    for b in Benchmark.objects.order_by("kpi", "area", "area_name", "year"):
        writer.writerow([b.kpi, b.area, b.area_name, b.year, b.period, plain_number(b.value), b.source])
    return target.getvalue() if out is None else None


# --- the child population ----------------------------------------------------------------------

def load_populations(file_or_text, *, actor, replace: bool = False) -> LoadReport:
    """Load the child population (aged 0-17) of authorities Haven holds from a CSV
    (``authority,year,children,source``; docs/performance.md), with the same checks and
    reporting as ``load_benchmarks``: every bad row with its line, and nothing written unless
    every row is good. A population for the same authority and year is updated; with
    ``replace``, populations held that the file does not have are deleted. (``actor`` is
    accepted for symmetry: ``ChildPopulation`` records no loader.)"""
    report = LoadReport(what="population")
    errors = report.errors
    rows = _rows(file_or_text, POPULATION_COLUMNS, errors)
    authorities = _authorities() if rows else {}
    wanted: dict[tuple, dict] = {}
    seen: dict[tuple, int] = {}
    for line, r in rows:
        before = len(errors)
        authority = authorities.get(r["authority"].lower())
        if not r["authority"]:
            errors.append(RowError(line, "enter the authority: its name, LEA or ONS code, like Westminster or 213"))
        elif authority is None:
            errors.append(RowError(line, f"authority '{r['authority']}' is not an authority Haven holds "
                                         "(give its name, LEA or ONS code)"))
        year = _year(r["year"], line, errors)
        children = parse_number(r["children"]) if r["children"] else None
        if not r["children"]:
            errors.append(RowError(line, "enter the number of children aged 0 to 17, like 40694"))
        elif children is None or not children.is_integer() or children <= 0:
            errors.append(RowError(line, f"children '{r['children']}' must be a whole number more than 0"))
        _too_long(r["source"], "source", 200, line, errors)
        if len(errors) > before:
            continue
        key = (authority.pk, year)
        if _duplicate(key, line, seen, errors, f"authority and year ({authority.name}, {year})"):
            continue
        wanted[key] = dict(children=int(children), source=r["source"])
    if errors:
        errors.sort(key=lambda e: e.line)
        return report

    _upsert(ChildPopulation, ("authority_id", "year"), wanted, report, replace=replace)
    return report


def _upsert(model, key: tuple[str, ...], wanted: dict[tuple, dict], report: LoadReport, *, replace: bool,
            stamp: dict | None = None) -> None:
    """Make ``model``'s table hold ``wanted`` ({key values: {field: value}}), in one
    transaction: rows not held are created, rows that differ updated (with ``stamp``'s fields,
    such as who loaded them), the same left alone; with ``replace``, rows not wanted deleted.
    The counts go in ``report``."""
    stamp = stamp or {}
    fields = sorted({f for values in wanted.values() for f in values} | set(stamp))
    with transaction.atomic():
        held = {tuple(getattr(o, f) for f in key): o for o in model.objects.select_for_update()}
        new, changed = [], []
        for k, values in wanted.items():
            obj = held.get(k)
            if obj is None:
                new.append(model(**dict(zip(key, k, strict=True)), **values, **stamp))
            elif any(getattr(obj, f) != v for f, v in values.items()):
                for f, v in {**values, **stamp}.items():
                    setattr(obj, f, v)
                changed.append(obj)
            else:
                report.unchanged += 1
        model.objects.bulk_create(new)
        if changed:
            model.objects.bulk_update(changed, fields)
        report.created, report.updated = len(new), len(changed)
        if replace:
            gone = [o.pk for k, o in held.items() if k not in wanted]
            report.deleted = model.objects.filter(pk__in=gone).delete()[0] if gone else 0


def export_populations(out=None) -> str | None:
    """Every child population held, in ``load_populations``' format (authority by LEA code)."""
    target = out if out is not None else io.StringIO()
    writer = csv.writer(target, lineterminator="\n")
    writer.writerow(POPULATION_COLUMNS)
    for p in ChildPopulation.objects.select_related("authority").order_by("authority__name", "year"):
        writer.writerow([p.authority.lea_code, p.year, p.children, p.source])
    return target.getvalue() if out is None else None


# --- showing figures ---------------------------------------------------------------------------

def figure(kpi: Kpi, value: float | None) -> str:
    """A KPI's value with its unit, as the reference pages show it: 85%, 411 per 10,000,
    512 days; an empty string for None."""
    if value is None:
        return ""
    shown = f"{value:,.1f}".removesuffix(".0") if not float(value).is_integer() else f"{int(value):,}"
    if kpi.kind == PERCENT or kpi.unit == "%":
        return f"{shown}%"
    if kpi.kind == PER_10K:
        return f"{shown} per 10,000"
    if kpi.kind == MEAN or kpi.unit:
        return f"{shown} {kpi.unit}".strip()
    return shown
