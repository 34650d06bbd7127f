"""Haven's SSDA903 episode checks (``haven.looked_after.validation``: 73 rules, run on every
child's whole history as an episode is entered) as rules of the return's registry.

They read the record, not the CSV rows: the return's children are checked once, as at the day
the return is as at (the end of the collection year, or today while the year is in progress:
``Return.as_at``), on their history as it stood then (an episode that starts later is left out,
one that ends later is still open), and each rule reports its own findings."""

from __future__ import annotations

from haven.looked_after import validation
from haven.returns.rules import Hit

from .registry import SSDA903_2027


def _findings(ret) -> dict[str, list[Hit]]:
    cached = getattr(ret, "_episode_findings", None)
    if cached is None:
        from haven.returns.ssda903 import d, year_bounds

        _, end = year_bounds(ret.year)
        as_at = getattr(ret, "as_at", None) or end
        cached = {}
        in_return = {row["CHILD"] for row in ret.tables.get("episodes", [])}
        people = [(pk, person) for pk, person in sorted(ret.people.items()) if person.local_id in in_return]
        rows_of = validation.rows_by_person([pk for pk, _ in people])
        for pk, person in people:
            rows = [validation.known_at(row, as_at) for row in rows_of.get(pk, []) if row.decom <= as_at]
            for f in validation.check(rows, dob=person.date_of_birth, today=as_at):
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
