"""Pure timescale arithmetic: from a rule, a trigger date and the dates of the events that
satisfy it, compute the series of deadlines and whether each was met.

No Django here: values in, values out (tested with hypothesis).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from haven.core.calendar import add_months, add_working_days


class Clock(StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    WEEKS = "weeks"
    MONTHS = "months"
    HOURS = "hours"


def add(start: dt.date | dt.datetime, clock: Clock, amount: int) -> dt.date | dt.datetime:
    """The deadline ``amount`` units of ``clock`` after ``start``."""
    if clock is Clock.HOURS:
        if not isinstance(start, dt.datetime):
            start = dt.datetime.combine(start, dt.time.min)
        if start.tzinfo is not None:
            # Elapsed hours: across a change to or from British Summer Time, 24 hours after
            # noon is 11:00 or 13:00 by the clock (aware arithmetic in Python is wall-clock).
            return (start.astimezone(dt.UTC) + dt.timedelta(hours=amount)).astimezone(start.tzinfo)
        return start + dt.timedelta(hours=amount)
    day = start.date() if isinstance(start, dt.datetime) else start
    if clock is Clock.WORKING_DAYS:
        return add_working_days(day, amount)
    if clock is Clock.CALENDAR_DAYS:
        return day + dt.timedelta(days=amount)
    if clock is Clock.WEEKS:
        return day + dt.timedelta(weeks=amount)
    if clock is Clock.MONTHS:
        return add_months(day, amount)
    raise ValueError(clock)


@dataclass(frozen=True)
class Interval:
    clock: Clock
    amount: int

    def after(self, start):
        return add(start, self.clock, self.amount)

    def describe(self) -> str:
        unit = {Clock.WORKING_DAYS: "working day", Clock.CALENDAR_DAYS: "day", Clock.WEEKS: "week",
                Clock.MONTHS: "month", Clock.HOURS: "hour"}[self.clock]
        return f"{self.amount} {unit}{'s' if self.amount != 1 else ''}"


@dataclass(frozen=True)
class Deadline:
    sequence: int           # 1 for the first, 2… for recurring ones
    starts: dt.date | dt.datetime
    due: dt.date | dt.datetime
    met: dt.date | dt.datetime | None = None
    stopped: dt.date | dt.datetime | None = None  # the clock stopped before this was met

    @property
    def is_open(self) -> bool:
        return self.met is None and self.stopped is None

    @property
    def met_in_time(self) -> bool | None:
        return None if self.met is None else self.met <= self.due


@dataclass(frozen=True)
class Schedule:
    first: Interval
    repeat: Interval | None = None    # after each satisfying event, the next is due this long after it


def compute(schedule: Schedule, trigger, events, *, stop=None) -> list[Deadline]:
    """The deadlines a trigger sets, oldest first.

    Values are all dates (day clocks) or all datetimes (hour clocks).

    - The first deadline is ``schedule.first`` after ``trigger``; the earliest event on or after
      the trigger meets it, in time or late.
    - With ``repeat``, each event that meets a deadline starts the next clock from its own date.
    - ``stop`` (the plan ended, the case closed, an exemption): events after it do not count, and
      a deadline not yet met whose due date is after ``stop`` is not produced (the clock stopped).
      One that fell due on or before ``stop`` and was never met is kept (it was missed) with
      ``stopped`` set: nothing can meet it any more, so it is not open work.
    - The series ends with at most one unmet deadline.
    """
    pending = sorted(e for e in events if e is not None and e >= trigger and (stop is None or e <= stop))
    deadlines: list[Deadline] = []
    start, due, sequence = trigger, schedule.first.after(trigger), 1
    while True:
        met = next((e for e in pending if e >= start), None)
        if met is None:
            if stop is None:
                deadlines.append(Deadline(sequence, start, due, None))
            elif due <= stop:
                deadlines.append(Deadline(sequence, start, due, None, stopped=stop))
            return deadlines
        deadlines.append(Deadline(sequence, start, due, met))
        if schedule.repeat is None:
            return deadlines
        pending = [e for e in pending if e > met]
        start, due, sequence = met, schedule.repeat.after(met), sequence + 1
