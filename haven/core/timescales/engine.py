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
class Switch:
    """From a point in time on, the repeat interval changes: visits to a child in a long-term
    placement become 3-monthly after the placement's first year (``since="trigger"``); review
    health assessments become annual from the child's fifth birthday (``since="birth"``). The
    interval that follows a met deadline is chosen by the date it was met."""

    after: Interval
    repeat: Interval
    since: str = "trigger"            # "trigger" or "birth"

    def __post_init__(self):
        if self.since not in ("trigger", "birth"):
            raise ValueError(f"Switch.since must be 'trigger' or 'birth', not {self.since!r}")


@dataclass(frozen=True)
class Schedule:
    first: Interval
    repeat: Interval | None = None    # after each satisfying event, the next is due this long after it
    second: Interval | None = None    # the second deadline, when it differs from the repeat (CLA reviews: 20 wd, 3 months, then 6-monthly)
    switch: Switch | None = None      # a later repeat from a point in time
    early: Interval | None = None     # events up to this long *before* the trigger meet the first deadline (a care plan made before the placement)

    def next_interval(self, sequence: int, met, *, trigger, born=None) -> Interval | None:
        """The interval after deadline ``sequence`` was met on ``met``."""
        if self.repeat is None and self.second is None:
            return None
        if sequence == 1 and self.second is not None:
            return self.second
        if self.switch is not None:
            origin = trigger if self.switch.since == "trigger" else born
            if origin is not None:
                if isinstance(origin, dt.datetime) and not isinstance(met, dt.datetime):
                    origin = origin.date()
                if met >= self.switch.after.after(origin):
                    return self.switch.repeat
        return self.repeat


def _before(start, interval: Interval):
    """``interval`` before ``start`` (calendar arithmetic; for ``Schedule.early``)."""
    if interval.clock is Clock.HOURS:
        return start - dt.timedelta(hours=interval.amount)
    if interval.clock is Clock.MONTHS:
        return add_months(start, -interval.amount)
    if interval.clock is Clock.WORKING_DAYS:
        return start - dt.timedelta(days=interval.amount * 7 // 5 + 4)
    days = interval.amount * (7 if interval.clock is Clock.WEEKS else 1)
    return start - dt.timedelta(days=days)


def compute(schedule: Schedule, trigger, events, *, stop=None, born=None) -> list[Deadline]:
    """The deadlines a trigger sets, oldest first.

    Values are all dates (day clocks) or all datetimes (hour clocks).

    - The first deadline is ``schedule.first`` after ``trigger``; the earliest event on or after
      the trigger meets it, in time or late. With ``schedule.early``, an event up to that long
      before the trigger meets it too (and the next clock runs from the trigger).
    - With ``repeat`` (and ``second``, ``switch``), each event that meets a deadline starts the
      next clock from its own date; ``born`` (the child's date of birth) places a ``switch``
      counted from birth.
    - ``stop`` (the plan ended, the case closed, an exemption): events after it do not count, and
      a deadline not yet met whose due date is after ``stop`` is not produced (the clock stopped).
      One that fell due on or before ``stop`` and was never met is kept (it was missed) with
      ``stopped`` set: nothing can meet it any more, so it is not open work.
    - The series ends with at most one unmet deadline.
    """
    floor = trigger if schedule.early is None else _before(trigger, schedule.early)
    pending = sorted(e for e in events if e is not None and e >= floor and (stop is None or e <= stop))
    deadlines: list[Deadline] = []
    start, due, sequence = trigger, schedule.first.after(trigger), 1
    while True:
        met = next((e for e in pending if e >= (floor if sequence == 1 else start)), None)
        if met is None:
            if stop is None:
                deadlines.append(Deadline(sequence, start, due, None))
            elif due <= stop:
                deadlines.append(Deadline(sequence, start, due, None, stopped=stop))
            return deadlines
        deadlines.append(Deadline(sequence, start, due, met))
        interval = schedule.next_interval(sequence, met, trigger=trigger, born=born)
        if interval is None:
            return deadlines
        pending = [e for e in pending if e > met]
        start = max(met, trigger)
        start, due, sequence = start, interval.after(start), sequence + 1
