"""Worklists read the derived deadlines (``haven.work.models.Deadline``): a worker's open
deadlines for the children allocated to them, a manager's for everyone in their teams, a child's
timescales. Grouping by when things are due is pure (``group_of``, ``overdue_by``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from haven.accounts.roles import capabilities_for

from .models import Deadline

GROUPS = [
    ("overdue", "Overdue"),
    ("today", "Due today"),
    ("week", "Due in the next 7 days"),
    ("later", "Due later"),
]
GROUP_LABELS = dict(GROUPS)
ROW_LIMIT = 500  # per group on a page; the counts are always complete


def group_of(due_at: dt.datetime, now: dt.datetime) -> str:
    """overdue (the due time has passed), today (due later today, London time), week (due in
    the next 7 days) or later."""
    if due_at < now:
        return "overdue"
    due_day = timezone.localtime(due_at).date()
    today = timezone.localtime(now).date()
    if due_day <= today:
        return "today"
    if due_day <= today + dt.timedelta(days=7):
        return "week"
    return "later"


def overdue_by(due_at: dt.datetime, now: dt.datetime, *, hours: bool = False) -> str:
    """How overdue, in words: "3 days", "1 day", "5 hours" (hour clocks, or under a day). Day
    clocks are due by the end of the day, so they count whole days after the due date."""
    if due_at >= now:
        return ""
    if hours and now - due_at < dt.timedelta(days=1):
        n = max(1, int((now - due_at).total_seconds() // 3600))
        return f"{n} hour{'s' if n != 1 else ''}"
    days = (timezone.localtime(now).date() - timezone.localtime(due_at).date()).days
    if days < 1:
        n = max(1, int((now - due_at).total_seconds() // 3600))
        return f"{n} hour{'s' if n != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"


@dataclass
class Item:
    """One row of a worklist."""

    deadline: Deadline
    group: str
    overdue_by: str
    allocation: object | None = None

    @property
    def person(self):
        return self.deadline.person

    @property
    def hours(self) -> bool:
        rule = self.deadline.rule_obj
        return bool(rule and rule.hours)

    @property
    def trigger(self) -> tuple[str, str]:
        return trigger_of(self.deadline)


@dataclass
class Worklist:
    groups: dict[str, list[Item]] = field(default_factory=lambda: {g: [] for g, _ in GROUPS})
    counts: dict[str, int] = field(default_factory=lambda: {g: 0 for g, _ in GROUPS})

    def add(self, item: Item) -> None:
        self.counts[item.group] += 1
        if len(self.groups[item.group]) < ROW_LIMIT:
            self.groups[item.group].append(item)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def tabs(self):
        """[(code, label, count)] for the filter."""
        return [(g, label, self.counts[g]) for g, label in GROUPS]

    def sections(self, only: str | None = None):
        """[(code, label, items, count)] in order, or just the one group asked for."""
        return [(g, label, self.groups[g], self.counts[g]) for g, label in GROUPS if not only or g == only]


def item_for(deadline: Deadline, now: dt.datetime, allocation=None) -> Item:
    rule = deadline.rule_obj
    return Item(deadline, group_of(deadline.due_at, now),
                overdue_by(deadline.due_at, now, hours=bool(rule and rule.hours)), allocation)


def trigger_of(d: Deadline) -> tuple[str, str]:
    """(what set the clock, its address) for a deadline whose trigger was prefetched; blank if
    the record is gone or has no page yet."""
    from django.urls import NoReverseMatch

    trigger = d.trigger
    if trigger is None:
        return ("", "")
    try:
        url = trigger.get_absolute_url() if hasattr(trigger, "get_absolute_url") else ""
    except NoReverseMatch:
        url = ""
    return (str(trigger), url)


def open_deadlines(user, now: dt.datetime):
    return (Deadline.objects.visible_to(user).open(now).select_related("person").prefetch_related("trigger")
            .order_by("due_at", "person__last_name", "person__first_name", "rule"))


def my_allocations(user):
    from haven.people.models import Allocation

    return Allocation.objects.current().filter(worker_id=user.pk)


def my_work(user, now: dt.datetime | None = None) -> Worklist:
    """Open deadlines of the children currently allocated to ``user`` (as their worker)."""
    now = now or timezone.now()
    worklist = Worklist()
    for d in open_deadlines(user, now).filter(person_id__in=my_allocations(user).values("person_id")):
        worklist.add(item_for(d, now))
    return worklist


# -- teams ---------------------------------------------------------------------------------------
def managed_teams(user):
    """Teams in which ``user`` holds a role that manages team work (``work.team``)."""
    from haven.accounts.models import Team

    ids = [m.team_id for m in user.active_memberships if "work.team" in capabilities_for([m.role])]
    return Team.objects.filter(pk__in=ids).order_by("name")


def team_members(teams):
    """Active members of ``teams`` whose role has a worklist (``work.view``), by name."""
    from haven.accounts.models import User
    from haven.accounts.roles import Role

    roles = [r.value for r in Role if "work.view" in capabilities_for([r])]
    return (User.objects.filter(memberships__team__in=teams, memberships__active=True, memberships__role__in=roles,
                                is_active=True).distinct().order_by("last_name", "first_name", "pk"))


@dataclass
class WorkerRow:
    worker: object | None          # None: allocated to the team, no worker
    team: object | None = None
    children: int = 0
    worklist: Worklist = field(default_factory=Worklist)

    @property
    def key(self) -> str:
        return str(self.worker.pk) if self.worker is not None else f"team-{self.team.pk}"

    @property
    def name(self) -> str:
        if self.worker is not None:
            return self.worker.get_full_name() or self.worker.username
        return f"{self.team} (no worker)"


@dataclass
class TeamWork:
    teams: list
    rows: list[WorkerRow]
    worklist: Worklist              # every row, or the chosen worker's
    allocations: list               # the chosen worker's current allocations (for reallocation)
    chosen: WorkerRow | None = None


def team_allocations(user, teams, members):
    from haven.people.models import Allocation

    return (Allocation.objects.current().visible_to(user)
            .filter(Q(worker__in=members) | Q(team__in=teams))
            .select_related("worker", "team", "person"))


def team_work(user, *, worker: str | None = None, now: dt.datetime | None = None) -> TeamWork:
    """Open deadlines for every child allocated to a member of ``user``'s teams, or to one of
    the teams, with counts per worker. ``worker`` (a WorkerRow key) narrows the list."""
    now = now or timezone.now()
    teams = list(managed_teams(user))
    members = list(team_members(teams))
    allocations = list(team_allocations(user, teams, members))
    team_ids = {t.pk for t in teams}
    member_ids = {m.pk for m in members}

    rows: dict[str, WorkerRow] = {}
    for m in members:
        rows[str(m.pk)] = WorkerRow(m)
    for t in teams:
        rows[f"team-{t.pk}"] = WorkerRow(None, team=t)
    by_person = defaultdict(list)
    for a in allocations:
        key = str(a.worker_id) if a.worker_id in member_ids else f"team-{a.team_id}" if a.team_id in team_ids else None
        if key is None:
            continue
        by_person[a.person_id].append((key, a))
        rows[key].children += 1

    chosen = rows.get(worker) if worker else None
    worklist = Worklist()
    people = list(by_person)
    deadlines = open_deadlines(user, now).filter(person_id__in=people) if people else Deadline.objects.none()
    for d in deadlines:
        seen_keys = set()
        for key, allocation in by_person[d.person_id]:
            if key in seen_keys:
                continue
            seen_keys.add(key)
            item = item_for(d, now, allocation)
            rows[key].worklist.add(item)
            if chosen is None or key == chosen.key:
                worklist.add(item)
    ordered = [r for r in rows.values() if r.worker is not None or r.children]
    chosen_allocations = [a for pairs in by_person.values() for key, a in pairs if chosen and key == chosen.key]
    chosen_allocations.sort(key=lambda a: (a.person.last_name, a.person.first_name, a.pk))
    return TeamWork(teams, ordered, worklist, chosen_allocations, chosen)


# -- a child's timescales ------------------------------------------------------------------------
def _day(value: dt.datetime) -> str:
    local = timezone.localtime(value)
    return f"{local.day} {local:%B %Y}"


def status_of(d: Deadline, now: dt.datetime) -> tuple[str, str]:
    """(words, tag colour) for a deadline on the child's record."""
    if d.exempt:
        return ("Exempt", "grey")
    if d.met_at is not None:
        if d.met_in_time:
            return (f"Met in time on {_day(d.met_at)}", "green")
        return (f"Met late on {_day(d.met_at)}", "orange")
    if d.stopped_at is not None and d.stopped_at <= now:
        return (f"Not met: the clock stopped on {_day(d.stopped_at)}", "grey")
    rule = d.rule_obj
    late = overdue_by(d.due_at, now, hours=bool(rule and rule.hours))
    if late:
        return (f"Overdue by {late}", "red")
    return ("Due", "blue")


def timescales_for(person, user, *, now: dt.datetime | None = None, past_limit: int | None = 20):
    """(open, past, past_total): the child's open deadlines, soonest first, then the met,
    exempt and stopped ones, newest first (the latest ``past_limit``). Each row is (deadline,
    status words, tag colour, what set the clock, its address)."""
    now = now or timezone.now()
    qs = Deadline.objects.visible_to(user).filter(person=person).select_related("person")
    open_rows = list(qs.open(now).prefetch_related("trigger").order_by("due_at", "rule"))
    open_ids = [d.pk for d in open_rows]
    past_qs = qs.exclude(pk__in=open_ids).order_by("-due_at", "-pk")
    past_total = past_qs.count()
    past = list((past_qs[:past_limit] if past_limit else past_qs).prefetch_related("trigger"))
    return ([(d, *status_of(d, now), *trigger_of(d)) for d in open_rows],
            [(d, *status_of(d, now), *trigger_of(d)) for d in past], past_total)
