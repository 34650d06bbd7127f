"""The SSDA903 validation rules, one registry per collection year.

``episodes`` adapts Haven's episode checks (``haven.looked_after.validation``, which also run as
an episode is entered); ``part_a``, ``part_b`` and ``part_c`` hold the rules over the other tables and the
episode rules that need other tables or the previous year's return."""

from __future__ import annotations

from . import episodes, part_a, part_b, part_c  # noqa: F401  (registers the rules)
from .registry import SSDA903_2027

REGISTRIES = {2027: SSDA903_2027}


def registry_for(year: int):
    """The rules for the collection ending 31 March ``year``: the DfE's 2026-27 rules are the
    only set Haven holds, so earlier years are checked against them too (said on the page)."""
    eligible = [y for y in REGISTRIES if y <= year]
    return REGISTRIES[max(eligible)] if eligible else REGISTRIES[min(REGISTRIES)]
