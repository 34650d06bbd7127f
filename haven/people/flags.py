"""The flags on a record's header. Modules register sources; nothing is stored twice.

    from haven.people.flags import Flag, flag_source

    @flag_source
    def on_cp_plan(person):
        if ...: yield Flag("cp_plan", "Child protection plan", "red")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

FLAG_SOURCES: list[Callable] = []
# GOV.UK tag colours
COLOURS = {"red", "orange", "yellow", "green", "blue", "purple", "pink", "grey", "turquoise"}


@dataclass(frozen=True)
class Flag:
    code: str
    label: str
    colour: str = "grey"
    detail: str = ""

    def __post_init__(self):
        if self.colour not in COLOURS:
            raise ValueError(f"unknown flag colour {self.colour!r}")


def flag_source(func: Callable[..., Iterable[Flag]]) -> Callable[..., Iterable[Flag]]:
    FLAG_SOURCES.append(func)
    return func


def flags_for(person) -> list[Flag]:
    flags: list[Flag] = []
    for source in FLAG_SOURCES:
        flags.extend(source(person))
    return flags


@flag_source
def record_flags(person):
    if person.restricted:
        yield Flag("restricted", "Restricted record", "purple", person.restricted_reason)
    if person.date_of_death:
        yield Flag("deceased", "Deceased", "grey", f"Died {person.date_of_death:%d/%m/%Y}")
    if person.is_unborn:
        yield Flag("unborn", "Unborn", "blue", f"Expected {person.expected_date_of_birth:%d/%m/%Y}")
    if person.interpreter_needed:
        yield Flag("interpreter", "Interpreter needed", "blue", person.get_first_language_display())


@flag_source
def manual_flags(person):
    today = timezone.localdate()
    for flag in person.manual_flags.all():
        if flag.start_date <= today and (flag.end_date is None or flag.end_date > today):
            yield Flag(flag.kind, flag.get_kind_display(), "red" if flag.kind == "risk_to_staff" else "grey", flag.note)
