"""A plan's clocks, read from the derived deadlines (``haven.work.models.Deadline``) that the
timescale rules in ``timescales.py`` produce. Nothing here computes a deadline."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from .models import Plan

# The order clocks are shown in; a rule not named here comes last.
ORDER = ["core_group_10wd", "cp_visit_10wd", "cp_review_conference", "cin_review_3m"]


@dataclass
class Clock:
    rule: str
    label: str
    describe: str
    next: object | None = None          # the open deadline, if any
    history: list = field(default_factory=list)   # met (or exempt) deadlines, newest first

    @property
    def overdue(self) -> bool:
        return bool(self.next and self.next.is_overdue)

    @property
    def due(self):
        """The open deadline's due day (deadlines on day clocks fall due at the end of a day)."""
        return timezone.localtime(self.next.due_at).date() if self.next else None

    @property
    def last(self):
        return self.history[0] if self.history else None

    @property
    def last_done(self):
        last = self.last
        return timezone.localtime(last.met_at).date() if last is not None and last.met_at else None

    @property
    def late_count(self) -> int:
        return sum(1 for d in self.history if d.met_in_time is False)


def clocks_for(plan: Plan, user) -> list[Clock]:
    from haven.work.models import Deadline

    ct = ContentType.objects.get_for_model(Plan)
    rows = Deadline.objects.visible_to(user).filter(content_type=ct, object_id=plan.pk).order_by("rule", "sequence")
    clocks: dict[str, Clock] = {}
    for d in rows:
        rule = d.rule_obj
        clock = clocks.setdefault(d.rule, Clock(d.rule, d.label, rule.describe if rule else ""))
        if d.met_at is None and not d.exempt:
            clock.next = d
        else:
            clock.history.insert(0, d)
    return sorted(clocks.values(), key=lambda c: (ORDER.index(c.rule) if c.rule in ORDER else len(ORDER), c.rule))


def overdue_count(plan: Plan, user) -> int:
    return sum(1 for c in clocks_for(plan, user) if c.overdue)
