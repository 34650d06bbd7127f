"""Haven's SSDA903 episode checks (``haven.looked_after.validation``: 73 rules, run on every
child's whole history as an episode is entered) as rules of the return's registry.

They read the record, not the CSV rows: the return's children are checked once, as at the end
of the collection year, and each rule reports its own findings."""

from __future__ import annotations

from haven.looked_after import validation
from haven.returns.rules import Hit

from .registry import SSDA903_2027


def _findings(ret) -> dict[str, list[Hit]]:
    cached = getattr(ret, "_episode_findings", None)
    if cached is None:
        from haven.returns.ssda903 import d, year_bounds

        _, end = year_bounds(ret.year)
        cached = {}
        for _pk, person in sorted(ret.people.items()):
            if not any(row["CHILD"] == person.local_id for row in ret.tables.get("episodes", [])):
                continue
            for f in validation.check_person(person, today=end):
                cached.setdefault(f.code, []).append(Hit(person.local_id, f.field, d(f.decom)))
        ret._episode_findings = cached
    return cached


def _adapter(code: str):
    def check(ret):
        return _findings(ret).get(code, [])

    check.__name__ = f"episode_rule_{code}"
    return check


EPISODE_CODES = [code for code, _ in validation.RULES]
for _code in dict.fromkeys(EPISODE_CODES):
    SSDA903_2027.rule(_code, fields=("DECOM",))(_adapter(_code))
