"""Hotspots: the children at highest concern across an authority (or a partnership), for the senior
managers' weekly meeting. Each concern is a named list with a one-sentence definition and, for each
child, the fields that say why they are on it; a child is listed once per concern, the worst first.

Everything is read from the record as it stands (no second copies): child protection plans
(``haven.plans``), missing episodes (``haven.missing``), the timescale rules engine's deadlines
(``haven.work.models.Deadline``: the overdue visits and return home interviews are the deadlines'
own state, never a rule worked out again here), allocations (``haven.people``) and periods of care
(``haven.looked_after``). "Open case", "looked after" and "current plan" mean what they mean for the
KPIs (``haven.kpis.definitions``), and the placement-stability list is the KPI's own rows.

``hotspots(authorities, today)`` runs a few set-based queries per concern (about 12 in all,
whatever the number of children) and returns the sections; ``in_more_than_one`` names the children
on two or more lists, the highest concern of all. No request, user or access rule here: the page
masks what the user may not open (``haven.kpis.hotspot_views``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from haven.core.calendar import add_months, months_between
from haven.core.codes import CPCategory
from haven.core.models import in_batches

from .catalogue import Scope
from .common import day_start, local_date

CP_MONTHS = 15                 # the early warning: the DfE watches plans lasting 2 years or more
MISSING_DAYS = 30
MISSING_EPISODES = 3
VISIT_RULES = ("cp_visit_10wd", "cla_visit")
RHI_DAYS = 30
CATEGORIES = dict(CPCategory.choices)


@dataclass(frozen=True)
class Concern:
    code: str
    title: str
    definition: str
    columns: tuple[str, ...]


@dataclass
class Listed:
    """One child on one list: ``why`` (column: value) says why; ``worst`` sorts the list (lower
    is worse); ``action`` is where the work can be done: (label, address, capability needed)."""

    person_id: int
    why: dict
    worst: tuple = ()
    action: tuple[str, str, str] | None = None


@dataclass
class Section:
    concern: Concern
    rows: list[Listed] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.concern.code

    @property
    def count(self) -> int:
        return len(self.rows)


CONCERNS = {c.code: c for c in (
    Concern(
        "cp_long", "On a child protection plan for more than 15 months",
        "Children whose current child protection plan started before the same day 15 months ago (a plan exactly "
        "15 months old today is not listed yet): the DfE publishes the share of plans lasting 2 years or more "
        "(Characteristics of children in need) and Working Together to Safeguard Children 2023 expects each "
        "review conference to ask whether the plan is achieving change, so 15 months is the early warning "
        "that leaves time to act before the 2-year mark.",
        ("plan started", "months on the plan", "2 years on", "category", "previous plans")),
    Concern(
        "missing", "Missing 3 or more times in 30 days",
        "Children with 3 or more missing episodes (missing from home or from care, not \"away from placement\", "
        "as the SSDA903 counts them) that started in the last 30 days, from 30 days before the as-at date to "
        "it: repeat missing is a warning sign of exploitation and harm (statutory guidance on children who run "
        "away or go missing from home or care, 2014).",
        ("missing episodes in 30 days", "went missing", "missing now", "from care")),
    Concern(
        "visits", "Statutory visits overdue",
        "Children with a child protection visit (local standard: seen every 10 working days) or a looked-after "
        "child's statutory visit (Care Planning, Placement and Case Review (England) Regulations 2010, reg. 28) "
        "overdue, read from the timescale rules engine's deadlines (rules cp_visit_10wd and cla_visit): past "
        "their due date, not met, not exempt and the clock not stopped; a visit done late is no longer listed.",
        ("visit", "due", "days overdue", "visits overdue", "last seen on a visit")),
    Concern(
        "unallocated", "Open case with no allocated social worker",
        "Children open to children's social care at the end of the as-at date (a child in need episode not "
        "closed, a current child protection plan, or looked after) with no current social worker allocation "
        "naming a worker (an allocation to a team only does not count, as for the KPI \"Children open to social "
        "care without an allocated social worker\"): Working Together to Safeguard Children 2023 expects every "
        "child in need, on a plan or in care to have a named social worker.",
        ("open as", "open since", "unallocated since", "days unallocated", "last social worker",
         "allocated to team")),
    Concern(
        "placements", "Looked after, with 3 or more placements in 12 months",
        "Children looked after at the end of the as-at date who have had 3 or more placements in the 12 months "
        "to it (temporary placements and short breaks left out), exactly as the KPI \"Children looked after with "
        "3 or more placements in the year\" counts them: placement instability harms children's relationships, "
        "schooling and health (DfE Children looked after in England, former NI 62).",
        ("placements in 12 months", "placements", "looked after since")),
    Concern(
        "rhi", "Return home interview not offered within 72 hours",
        "Children who came back from a missing episode in the last 30 days and were not offered a return home "
        "interview within 72 hours of returning (rule missing_rhi_72h: still not offered after the 72 hours, or "
        "offered late; statutory guidance on children who run away or go missing from home or care, 2014).",
        ("returned", "due by", "offered", "hours late", "returns without a timely offer")),
)}


def hotspots(authorities, today: dt.date | None = None, now: dt.datetime | None = None) -> list[Section]:
    """The sections for ``authorities`` (LocalAuthority objects) as at ``today`` (default: today),
    in the order of ``CONCERNS``, each list sorted worst first. ``now`` is when "overdue" is judged
    for the deadlines (default: now). Hotspots are about today: deadlines hold their state as it
    is now (a visit met since an earlier day is met), so an earlier ``today`` is for tests only."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    scope = Scope(tuple(authorities), today, today)
    build = {"cp_long": _cp_long, "missing": _missing, "visits": _visits, "unallocated": _unallocated,
             "placements": _placements, "rhi": _rhi}
    sections = []
    for code, concern in CONCERNS.items():
        rows = build[code](scope, now)
        rows.sort(key=lambda r: (r.worst, r.person_id))
        sections.append(Section(concern, rows))
    return sections


def in_more_than_one(sections: list[Section]) -> list[tuple[int, list[Section]]]:
    """[(person id, the sections naming them)] for every child on two or more lists: the most
    lists first, then the child nearest the top of their lists (the sum of their places)."""
    found: dict[int, list[Section]] = defaultdict(list)
    place: dict[int, int] = defaultdict(int)
    for s in sections:
        for i, r in enumerate(s.rows):
            found[r.person_id].append(s)
            place[r.person_id] += i
    many = [(pid, secs) for pid, secs in found.items() if len(secs) > 1]
    many.sort(key=lambda item: (-len(item[1]), place[item[0]], item[0]))
    return many


# --- the concerns ----------------------------------------------------------------------------------

def _cp_long(scope: Scope, now) -> list[Listed]:
    """Current CP plans (``plans_current``, as the KPIs) started before the same day 15 months ago;
    the earliest such plan if a child has two; how many CP plans the child had before it."""
    from haven.plans.models import Plan

    from .definitions.protection import plans_current

    today = scope.as_of
    cutoff = add_months(today, -CP_MONTHS)
    plans = plans_current(scope, Plan.Kind.CP).filter(start_date__lt=cutoff)
    first: dict[int, dict] = {}
    for p in plans.order_by("person_id", "start_date", "pk").values(
            "pk", "person_id", "start_date", "initial_category", "latest_category"):
        first.setdefault(p["person_id"], p)
    earlier: dict[int, int] = defaultdict(int)
    for pid, start in (Plan.objects.filter(kind=Plan.Kind.CP, person_id__in=plans.values("person_id"))
                       .values_list("person_id", "start_date")):
        if pid in first and start < first[pid]["start_date"]:
            earlier[pid] += 1
    rows = []
    for pid, p in first.items():
        rows.append(Listed(pid, worst=(p["start_date"],), action=(
            "Open the plan", reverse("plans:plan-detail", args=[p["pk"]]), "plans.view"), why={
            "plan started": p["start_date"], "months on the plan": months_between(p["start_date"], today),
            "2 years on": add_months(p["start_date"], 24),
            "category": CATEGORIES.get(code := p["latest_category"] or p["initial_category"], code),
            "previous plans": earlier[pid]}))
    return rows


def _missing(scope: Scope, now) -> list[Listed]:
    """Missing episodes (kind M) that started from the first moment of the day 30 days before the
    as-at date to the end of it (London time), 3 or more for the child."""
    from haven.missing.models import MissingEpisode

    low = day_start(scope.as_of - dt.timedelta(days=MISSING_DAYS))
    high = day_start(scope.as_of + dt.timedelta(days=1))
    by_child: dict[int, list[dict]] = defaultdict(list)
    for e in (MissingEpisode.objects.filter(authority_id__in=scope.authority_ids, kind="M",
                                            started_at__gte=low, started_at__lt=high)
              .order_by("person_id", "started_at", "pk").values("person_id", "started_at", "ended_at", "from_care")):
        by_child[e["person_id"]].append(e)
    rows = []
    for pid, episodes in by_child.items():
        if len(episodes) < MISSING_EPISODES:
            continue
        latest = episodes[-1]["started_at"]
        rows.append(Listed(pid, worst=(-len(episodes), -latest.timestamp()), action=(
            "Missing episodes", reverse("missing:child", args=[pid]), "missing.view"), why={
            "missing episodes in 30 days": len(episodes),
            "went missing": tuple(e["started_at"] for e in episodes),
            "missing now": any(e["ended_at"] is None for e in episodes),
            "from care": sum(1 for e in episodes if e["from_care"])}))
    return rows


def _visits(scope: Scope, now) -> list[Listed]:
    """Overdue deadlines of the visit rules (``Deadline.objects.overdue``): one row per child,
    headed by the visit overdue longest; when the child was last seen on a visit that would meet
    each rule (the rule's own ``satisfied_by``)."""
    from haven.core.timescales.rules import RULES
    from haven.work.models import Deadline
    from haven.work.sync import last_events

    overdue = Deadline.objects.overdue(now).filter(rule__in=VISIT_RULES, authority_id__in=scope.authority_ids)
    by_child: dict[int, list[dict]] = defaultdict(list)
    for d in overdue.order_by("person_id", "due_at", "pk").values("person_id", "rule", "due_at", "sequence"):
        by_child[d["person_id"]].append(d)
    last_seen: dict[int, dt.date] = {}
    for code in VISIT_RULES:
        rule = RULES.get(code)
        wanted = [pid for pid, found in by_child.items() if any(d["rule"] == code for d in found)]
        if rule is None or rule.satisfied_by.match != "person" or not wanted:
            continue
        for pid, last in last_events(rule, wanted).items():
            last = local_date(last) if isinstance(last, dt.datetime) else last
            if pid not in last_seen or last > last_seen[pid]:
                last_seen[pid] = last
    today = scope.as_of
    rows = []
    for pid, deadlines in by_child.items():
        oldest = deadlines[0]
        due = local_date(oldest["due_at"])
        rule = RULES.get(oldest["rule"])
        rows.append(Listed(pid, worst=(due,), action=(
            "Record a visit", reverse("recording:recording-create") + f"?person={pid}", "recording.record"), why={
            "visit": rule.label if rule else oldest["rule"], "due": due, "days overdue": (today - due).days,
            "visits overdue": len(deadlines), "last seen on a visit": last_seen.get(pid)}))
    return rows


def _unallocated(scope: Scope, now) -> list[Listed]:
    """The counted rows of the KPI ``unallocated_children_count``: children with an open case
    (``open_cases``: a CIN episode, a current CP plan, or looked after) and no current social
    worker allocation naming a worker. Unallocated since: the later of the day the case opened
    (the earliest open record's start) and the day the last social worker allocation ended."""
    from haven.people.models import Allocation

    from .definitions.adoption_leavers_workforce import OPEN_AS, unallocated_children_count

    today = scope.as_of
    open_as = {r.person_id: {how: r.why[f"{how} since"] for how in OPEN_AS if f"{how} since" in r.why}
               for r in unallocated_children_count(scope) if r.counted}
    if not open_as:
        return []
    ids = sorted(open_as)
    last_worker: dict[int, tuple[dt.date, str]] = {}
    teams: dict[int, set[str]] = defaultdict(set)
    for chunk in in_batches(ids):
        for pid, end, first, last, username in (
                Allocation.objects.filter(person_id__in=chunk, role=Allocation.Role.SOCIAL_WORKER,
                                          worker__isnull=False, end_date__lte=today)
                .values_list("person_id", "end_date", "worker__first_name", "worker__last_name", "worker__username")):
            if pid not in last_worker or end > last_worker[pid][0]:
                last_worker[pid] = (end, " ".join(p for p in (first, last) if p) or username)
        for pid, team in (Allocation.objects.current(today)
                          .filter(person_id__in=chunk, worker__isnull=True,
                                  role__in=[Allocation.Role.SOCIAL_WORKER, Allocation.Role.TEAM])
                          .values_list("person_id", "team__name")):
            teams[pid].add(team)
    rows = []
    for pid in ids:
        opened = min(open_as[pid].values())
        ended = last_worker.get(pid)
        since = max(opened, ended[0]) if ended else opened
        rows.append(Listed(pid, worst=(since,), action=(
            "Allocate a worker", reverse("people:allocation-create", args=[pid]), "people.allocate"), why={
            "open as": ", ".join(open_as[pid]),
            "open since": opened, "unallocated since": since, "days unallocated": (today - since).days,
            "last social worker": ended[1] if ended else "none",
            "allocated to team": ", ".join(sorted(teams[pid]))}))
    return rows


def _placements(scope: Scope, now) -> list[Listed]:
    """The counted rows of the KPI ``cla_3plus_placements_pct`` (its own query, for the whole
    cohort at once), with the KPI's own fields."""
    from .definitions.looked_after import cla_3plus_placements_pct

    rows = []
    for r in cla_3plus_placements_pct(scope):
        if not r.counted:
            continue
        rows.append(Listed(r.person_id, worst=(-(r.measure or 0),), why={
            "placements in 12 months": int(r.measure or 0), "placements": r.why.get("placements", ""),
            "looked after since": r.why.get("looked after since")}))
    return rows


def _rhi(scope: Scope, now) -> list[Listed]:
    """Deadlines of rule ``missing_rhi_72h`` whose clock started (the child returned) in the last
    30 days (as ``_missing``'s window): overdue now (``Deadline.objects.overdue``) or met after
    they fell due. One row per child, headed by the worst: not offered before offered late."""
    from haven.missing.timescales import RHI_RULE
    from haven.work.models import Deadline

    low = day_start(scope.as_of - dt.timedelta(days=RHI_DAYS))
    high = day_start(scope.as_of + dt.timedelta(days=1))
    mine = Deadline.objects.filter(rule=RHI_RULE, authority_id__in=scope.authority_ids,
                                   starts_at__gte=low, starts_at__lt=high)
    late = mine.overdue(now) | mine.filter(exempt=False, met_at__gt=F("due_at"))
    by_child: dict[int, list[dict]] = defaultdict(list)
    for d in late.values("person_id", "object_id", "starts_at", "due_at", "met_at"):
        hours = ((d["met_at"] or now) - d["due_at"]).total_seconds() / 3600
        d["late"] = max(0, int(hours))
        by_child[d["person_id"]].append(d)
    rows = []
    for pid, found in by_child.items():
        found.sort(key=lambda d: (d["met_at"] is not None, -d["late"]))
        worst = found[0]
        rows.append(Listed(pid, worst=(worst["met_at"] is not None, -worst["late"]), action=(
            "Record the interview", reverse("missing:episode-detail", args=[worst["object_id"]]), "missing.view"),
            why={"returned": worst["starts_at"], "due by": worst["due_at"],
                 "offered": worst["met_at"] or "not offered", "hours late": worst["late"],
                 "returns without a timely offer": len(found)}))
    return rows

