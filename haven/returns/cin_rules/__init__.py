"""The CIN census validation rules, one registry per collection year.

``registry_for(year)`` gives the registry for the collection year ending 31 March ``year``.
The rules are in ``part_a`` and ``part_b`` (split only to keep files readable); each is a small
function registered with its DfE code (``haven.returns.rules``)."""

from __future__ import annotations

from . import part_a, part_b  # noqa: F401  (registers the rules)
from .registry import CIN_2026

REGISTRIES = {2026: CIN_2026}


def registry_for(year: int):
    """The rules for the collection ending 31 March ``year``: the DfE's 2025-26 rules are the
    newest Haven holds, so later years use them until a new registry is added."""
    eligible = [y for y in REGISTRIES if y <= year]
    return REGISTRIES[max(eligible)] if eligible else REGISTRIES[min(REGISTRIES)]
