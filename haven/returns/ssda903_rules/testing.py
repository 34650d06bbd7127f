"""Hand-built SSDA903 returns for the rule tests (no database): every table present, with the
DfE columns, values as strings as in the CSV files (dates DD/MM/YYYY)."""

from __future__ import annotations

from haven.returns.ssda903 import TABLES, Return


def row(table: str, **values) -> dict:
    unknown = set(values) - set(TABLES[table])
    if unknown:
        raise KeyError(f"{table} has no column {sorted(unknown)}")
    return {column: str(values.get(column, "")) for column in TABLES[table]}


def make_return(year: int = 2026, previous: Return | None = None, **tables: list[dict]) -> Return:
    """``make_return(header=[row("header", CHILD="1", ...)], episodes=[...])``: a return for the
    collection year ending 31 March ``year``; tables not given are empty. Extra tables the DfE
    file has and Haven does not produce (e.g. "dolo") may be passed as lists of plain dicts."""
    ret = Return(authority=None, year=year, previous=previous)
    ret.tables = {name: [] for name in TABLES}
    ret.tables.update(tables)
    return ret
