"""Validation rules for the statutory returns: small named units with the DfE's code and message,
collected in a registry per collection year.

A rule is a function over one return's data (``data``) that yields ``Hit``s: the child (the
LA child ID; "" for a rule about the return as a whole) and the item at fault. The registry
gives each rule its DfE code, message and severity from the DfE's own rules file, kept in
``haven/returns/reference/`` word for word, so a message can never drift from the DfE's:

    CIN_2026 = Registry("CIN census 2025-26", "rules_cin_2025_26.tsv")

    @CIN_2026.rule("8840", fields=("CPPstartDate", "CPPendDate"))
    def cp_plan_cannot_start_and_end_on_the_same_day(data):
        for child in data.children:
            ...
            yield Hit(child.la_child_id, "CPPendDate")

Next year's changes are a new registry (``Registry.derive`` copies this year's rules, then
``replace``/``drop``/new ``rule`` calls make the changes), never edits all over the code.

Every code in the DfE's file is either a rule in the registry or in ``not_run`` with the
reason it cannot run in Haven (a test checks that nothing is silently left out), and
``Registry.run`` reports which rules ran, which found something, and which did not run and why.

Severity: a code ending in "Q" is a query (reported, does not fail the return); otherwise the
DfE's third column when the file has one ("ERROR"/"QUERY"), else an error.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from haven.core.memo import remember, remembering

REFERENCE = Path(__file__).parent / "reference"

ERROR = "error"
QUERY = "query"


@dataclass(frozen=True)
class Hit:
    """What a rule found: the child (LA child ID, "" for the return as a whole), the item at
    fault (the DfE's element or column name), and optionally a detail (e.g. the date) that
    helps the user find the row."""

    child: str
    field: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Rule:
    code: str
    message: str
    severity: str
    fields: tuple[str, ...]
    check: Callable[[object], Iterable[Hit]]
    needs: tuple[str, ...] = ()   # items the rule reads that Haven may not hold (see Registry.not_held)
    # The rule judges what must be done by the end of the collection year (an SDQ in the year, a
    # health check): it does not run on a return for a year still in progress (``data.in_progress``).
    at_year_end: bool = False

    @property
    def name(self) -> str:
        return self.check.__name__.replace("_", " ")


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    child: str
    field: str
    detail: str = ""
    person_id: int | None = None
    url: str = ""


@dataclass
class Report:
    registry: str
    findings: list[Finding] = field(default_factory=list)
    ran: list[Rule] = field(default_factory=list)
    not_run: dict[str, str] = field(default_factory=dict)   # code -> why it did not run
    crashed: dict[str, str] = field(default_factory=dict)   # code -> the exception (a bug: shown, never hidden)
    # The day the return was checked as at (``data.as_at``; None when the data has no such date),
    # and whether its collection year was still in progress then.
    as_at: object = None
    in_progress: bool = False

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def queries(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == QUERY]

    def by_rule(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {}
        for f in self.findings:
            out.setdefault(f.code, []).append(f)
        return out

    def by_child(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {}
        for f in self.findings:
            out.setdefault(f.child, []).append(f)
        return out

    def extend(self, other: Report) -> None:
        self.findings.extend(other.findings)
        self.ran.extend(other.ran)
        self.not_run.update(other.not_run)
        self.crashed.update(other.crashed)


def read_rules_file(filename: str) -> dict[str, tuple[str, str]]:
    """``{code: (message, severity)}`` from a DfE rules file (tab separated: code, message, and
    a severity or the columns the rule concerns)."""
    out = {}
    with (REFERENCE / filename).open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter="\t"):
            if not row or not row[0].strip():
                continue
            code, message = row[0].strip(), row[1].strip()
            third = row[2].strip().upper() if len(row) > 2 else ""
            if code.endswith("Q") or third == "QUERY":
                severity = QUERY
            else:
                severity = ERROR
            out[code] = (message, severity)
    return out


def shared_in_run(name: str, data, compute: Callable[[], object]):
    """``compute()``, worked out once per ``Registry.run`` for ``data`` when several rules need
    the same thing (the CIN census's entry checks of every episode); outside a run (a rule
    called on its own, as the tests do) it is computed each time, so a changed return is never
    judged on stale work (``haven.core.memo``)."""
    return remember((name, id(data)), compute)


class Registry:
    def __init__(self, name: str, rules_file: str):
        self.name = name
        self.rules_file = rules_file
        self.dfe = read_rules_file(rules_file)
        self.rules: dict[str, Rule] = {}
        self.not_run: dict[str, str] = {}
        # Items of the return Haven does not record yet, and why: a rule that ``needs`` one is
        # written and tested but does not run (it is listed as not run, with the reason).
        self.not_held: dict[str, str] = {}

    def rule(self, code: str, *, fields: Iterable[str] = (), needs: Iterable[str] = (),
             at_year_end: bool = False) -> Callable:
        """Register the decorated function as DfE rule ``code``. ``needs``: the items it reads
        that Haven might not hold; while one of them is in ``not_held`` the rule does not run.
        ``at_year_end``: the rule judges what is due by the end of the collection year, and does
        not run while the year is in progress."""
        if code not in self.dfe:
            raise KeyError(f"{code} is not a rule in {self.rules_file}")

        def register(func):
            if code in self.rules:
                raise ValueError(f"rule {code} registered twice in {self.name}")
            message, severity = self.dfe[code]
            self.rules[code] = Rule(code, message, severity, tuple(fields), func, tuple(needs), at_year_end)
            return func

        return register

    def cannot_run(self, code: str, reason: str) -> None:
        """Record that DfE rule ``code`` does not run in Haven, and why (shown on the page)."""
        if code not in self.dfe:
            raise KeyError(f"{code} is not a rule in {self.rules_file}")
        self.not_run[code] = reason

    def unaccounted(self) -> list[str]:
        """DfE codes that are neither a rule nor explained in ``not_run``: should be empty."""
        return sorted(set(self.dfe) - set(self.rules) - set(self.not_run))

    def derive(self, name: str, rules_file: str) -> Registry:
        """Next year's registry: this year's rules whose code is still in the new file."""
        new = Registry(name, rules_file)
        for code, r in self.rules.items():
            if code in new.dfe:
                message, severity = new.dfe[code]
                new.rules[code] = Rule(code, message, severity, r.fields, r.check, r.needs, r.at_year_end)
        new.not_run = {c: why for c, why in self.not_run.items() if c in new.dfe}
        new.not_held = dict(self.not_held)
        return new

    def run(self, data, *, locate: Callable[[str], tuple[int | None, str]] | None = None,
            only: Iterable[str] | None = None) -> Report:
        """Run every rule (or ``only`` these codes) over ``data``. ``locate(child_id)`` gives
        the person's primary key and the page to fix it on. Work several rules share
        (``shared_in_run``) is done once in a run."""
        with remembering():
            return self._run(data, locate=locate, only=only)

    def _run(self, data, *, locate, only) -> Report:
        report = Report(self.name, not_run=dict(self.not_run), as_at=getattr(data, "as_at", None),
                        in_progress=getattr(data, "in_progress", False))
        wanted = set(only) if only is not None else None
        in_progress = report.in_progress
        not_begun = (f"the collection year had not begun on {data.as_at:%d/%m/%Y}, the day the return is as at"
                     if getattr(data, "not_begun", False) else None)
        for code, rule in self.rules.items():
            if wanted is not None and code not in wanted:
                continue
            if not_begun:
                report.not_run[code] = not_begun
                continue
            missing = [item for item in rule.needs if item in self.not_held]
            if missing:
                report.not_run[code] = "; ".join(f"{item}: {self.not_held[item]}" for item in missing)
                continue
            if rule.at_year_end and in_progress:
                report.not_run[code] = (f"judged at the end of the collection year: the year is in progress "
                                        f"and the return is as at {data.as_at:%d/%m/%Y}")
                continue
            try:
                hits = list(rule.check(data))
            except Exception as exc:  # a bug in a rule must show, not stop the others
                report.crashed[code] = f"{type(exc).__name__}: {exc}"
                continue
            report.ran.append(rule)
            for hit in hits:
                pk, url = locate(hit.child) if (locate and hit.child) else (None, "")
                report.findings.append(Finding(code, rule.severity, rule.message, hit.child, hit.field,
                                               hit.detail, pk, url))
        report.findings.sort(key=lambda f: (f.severity != ERROR, f.child, f.code))
        return report
