"""Sections of a person's summary page that other modules contribute (the episodes, plans,
deadlines… of a child), without the people module knowing them.

    from haven.people.panels import Panel, record_panel

    @record_panel(order=20)
    def referrals(person, user):
        if not user.has_capability("assessments.view"):
            return None
        return Panel("Referrals", "assessments/_panel.html", {"episodes": ...})
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

PANELS: list[tuple[int, Callable]] = []


@dataclass
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    anchor: str = ""


def record_panel(order: int = 50):
    def register(func):
        PANELS.append((order, func))
        PANELS.sort(key=lambda t: t[0])
        return func

    return register


def panels_for(person, user) -> list[Panel]:
    out = []
    for _order, func in PANELS:
        panel = func(person, user)
        if panel is not None:
            out.append(panel)
    return out
