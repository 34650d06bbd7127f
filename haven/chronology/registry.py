"""The chronology is derived: each module registers a *source* that yields the dated facts it
holds about a person; the chronology reads them all. No module writes to the chronology.

    from haven.chronology.registry import Entry, chronology_source

    @chronology_source("referral", "Referrals")
    def referrals(person, user):
        for r in Referral.objects.visible_to(user).filter(person=person):
            yield Entry(date=r.referral_date, title="Referral received", url=r.get_absolute_url())
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass
class Entry:
    date: dt.date | dt.datetime
    title: str
    detail: str = ""
    significant: bool = False
    url: str = ""
    category: str = ""
    category_label: str = ""
    by: str = ""

    @property
    def sort_key(self) -> dt.datetime:
        d = self.date
        if isinstance(d, dt.datetime):
            return d.replace(tzinfo=None)
        return dt.datetime.combine(d, dt.time.min)


@dataclass
class Source:
    category: str
    label: str
    func: Callable[..., Iterable[Entry]]
    significant_by_default: bool = False
    extra: dict = field(default_factory=dict)


SOURCES: dict[str, Source] = {}


def chronology_source(category: str, label: str, *, significant: bool = False):
    def register(func):
        SOURCES[category] = Source(category, label, func, significant)
        return func

    return register


def categories() -> list[tuple[str, str]]:
    return [(s.category, s.label) for s in SOURCES.values()]


def chronology_for(person, user, *, categories: Iterable[str] | None = None,
                   significant_only: bool = False) -> list[Entry]:
    """Every dated fact about ``person`` that ``user`` may see, newest first."""
    wanted = set(categories) if categories else None
    entries: list[Entry] = []
    for source in SOURCES.values():
        if wanted is not None and source.category not in wanted:
            continue
        for entry in source.func(person, user):
            entry.category = entry.category or source.category
            entry.category_label = entry.category_label or source.label
            entry.significant = entry.significant or source.significant_by_default
            entries.append(entry)
    if significant_only:
        entries = [e for e in entries if e.significant]
    entries.sort(key=lambda e: e.sort_key, reverse=True)
    return entries
