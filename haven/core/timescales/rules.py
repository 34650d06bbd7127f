"""Timescale rules as data. Each module declares its rules in its own ``timescales.py``:

    register(Rule(
        code="assessment_45wd",
        label="Single assessment authorised",
        citation="Working Together to Safeguard Children 2023, 3.186: within 45 working days of referral",
        trigger=Source("assessments.CINEpisode", date="referral_date"),
        schedule=Schedule(Interval(Clock.WORKING_DAYS, 45)),
        satisfied_by=Source("assessments.Assessment", date="authorised_date", link="episode"),
        stop="closure_date",
        exemptible=True,
    ))

The worklists, overdue flags and timeliness KPIs read the deadlines these rules produce
(``haven.work.models.Deadline``); none keeps its own copy of a rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .engine import Clock, Interval, Schedule, Switch

__all__ = ["RULES", "Clock", "Interval", "Rule", "Schedule", "Source", "Switch", "register", "rules_for_model"]


@dataclass(frozen=True)
class Source:
    """Where dates come from: ``model`` ("app_label.ModelName"), the ``date`` field (a lookup
    path, may cross foreign keys), an optional ``filter`` (lookups), and, for satisfying events,
    how they reach the trigger: ``link`` is the lookup path from the event to the trigger object;
    with ``match="person"`` the event belongs to the trigger's person instead (e.g. a visit to the
    child satisfies the plan's visit clock)."""

    model: str
    date: str
    link: str | None = None
    match: str = "object"
    filter: dict = field(default_factory=dict)
    exclude: dict = field(default_factory=dict)

    @property
    def model_class(self):
        from django.apps import apps

        return apps.get_model(self.model)


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    citation: str
    trigger: Source
    schedule: Schedule
    satisfied_by: Source
    stop: str | None = None           # date path on the trigger that stops the clock
    stop_when: dict = field(default_factory=dict)  # ...only when the trigger matches these lookups
    exemptible: bool = False
    person: str = "person"            # path from the trigger to the child
    hours: bool = False               # an hour clock (dates are datetimes)
    # A schedule chosen per trigger: the value of ``schedule_by`` (a lookup path on the trigger)
    # picks one of ``schedules``; other values (and None) use ``schedule``. Statutory visits:
    # weekly for a temporary connected-person approval, 3-monthly after a long-term placement's
    # first year, else 6-weekly.
    schedule_by: str | None = None
    schedules: tuple = ()             # ((value, Schedule), ...): a tuple, so the rule stays hashable
    # The clock starts on the child's birthday of this age when that is later than the trigger
    # (personal education plans from age 3); no deadlines if the trigger stops before it.
    from_age: int | None = None

    def schedule_for(self, value) -> Schedule:
        for key, schedule in self.schedules:
            if key == value:
                return schedule
        return self.schedule

    @property
    def needs_birth(self) -> bool:
        return self.from_age is not None or any(s.switch is not None and s.switch.since == "birth"
                   for s in (self.schedule, *(v for _, v in self.schedules)))

    def models(self) -> set[str]:
        """Every model whose change can move this rule's deadlines (the first hop of each path)."""
        from django.apps import apps

        labels = {self.trigger.model, self.satisfied_by.model}
        for source in (self.trigger, self.satisfied_by):
            model = apps.get_model(source.model)
            extra = (self.schedule_by,) if source is self.trigger and self.schedule_by else ()
            for path in (source.date, *source.filter.keys(), *extra):
                first = path.split("__")[0]
                try:
                    f = model._meta.get_field(first)
                except Exception:  # noqa: BLE001 - not a field (a transform): nothing to follow
                    continue
                if f.is_relation and f.related_model is not None:
                    labels.add(f.related_model._meta.label)
        return labels

    @property
    def describe(self) -> str:
        text = f"within {self.schedule.first.describe()}"
        if self.schedule.repeat:
            text += f", then every {self.schedule.repeat.describe()}"
        return text


RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    if rule.code in RULES and RULES[rule.code] != rule:
        raise ValueError(f"timescale rule {rule.code} registered twice")
    if rule.hours != (rule.schedule.first.clock is Clock.HOURS):
        raise ValueError(f"{rule.code}: hour clocks need hours=True and only those")
    RULES[rule.code] = rule
    return rule


def rules_for_model(label: str) -> list[tuple[Rule, str]]:
    """Rules a model takes part in, as (rule, "trigger" | "event")."""
    found = []
    for rule in RULES.values():
        if rule.trigger.model.lower() == label.lower():
            found.append((rule, "trigger"))
        if rule.satisfied_by.model.lower() == label.lower():
            found.append((rule, "event"))
    return found
