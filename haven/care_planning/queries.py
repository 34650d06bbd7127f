"""Read side of care planning: the team and IRO views (every looked-after child in scope with
their next due items), the at-a-glance facts of one looked-after child, and how a deadline is
worded. Due dates are read from ``haven.work.models.Deadline`` (derived by the timescale rules),
never computed here.

The team view runs in a fixed number of queries whatever the number of children: one
``PeriodOfCare`` query annotated with subqueries (placement, legal status, allocations, the next
open deadline of each tracked rule), one count for the paginator and one for the names of the
page's workers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from haven.core.timescales.rules import RULES

# The columns of due items (rule code, column key, heading). Rules owned by other apps may not
# be registered yet: their column says "Not tracked".
DUE_COLUMNS = [
    ("cla_review", "review", "Review"),
    ("cla_visit", "visit", "Visit"),
    ("cla_health_assessment", "health", "Health assessment"),
    ("cla_pep", "pep", "PEP"),
]
PANEL_RULES = [
    ("cla_care_plan", "Care plan"),
    ("cla_review", "Looked-after review"),
    ("cla_visit", "Statutory visit"),
    ("cla_health_assessment", "Health assessment"),
    ("cla_dental_check", "Dental check"),
    ("cla_pep", "Personal education plan"),
]

WORKER_ROLES = [("social_worker", "Social worker"), ("iro", "Independent reviewing officer"),
                ("personal_adviser", "Personal adviser"), ("virtual_school", "Virtual school")]

SORTS = {
    "name": ("person__last_name", "person__first_name", "pk"),
    "place": ("place", "person__last_name", "pk"),
    "location": ("location", "person__last_name", "pk"),
    "days": ("start_date", "pk"),  # longest in care first when ascending by start date: see sort_by
    "social_worker": ("sw_name", "person__last_name", "pk"),
    "iro": ("iro_name", "person__last_name", "pk"),
    **{key: (f"due_{key}", "person__last_name", "pk") for _rule, key, _label in DUE_COLUMNS},
}
SORT_LABELS = {"name": "Child", "place": "Placement", "location": "In or out of authority", "days": "Days in care",
               "social_worker": "Social worker", "iro": "IRO",
               **{key: label for _rule, key, label in DUE_COLUMNS}}


def day(value: dt.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def tracked(rule: str) -> bool:
    return rule in RULES


def due_status(rule: str, due_at: dt.datetime | None, now: dt.datetime | None = None) -> dict:
    """What a page says about the next open deadline of ``rule`` (its due time, or None)."""
    now = now or timezone.now()
    if not tracked(rule):
        return {"status": "Not tracked", "colour": "grey", "due": None, "overdue": False, "tracked": False}
    if due_at is None:
        return {"status": "Nothing due", "colour": "grey", "due": None, "overdue": False, "tracked": True}
    due = timezone.localtime(due_at).date()
    today = timezone.localtime(now).date()
    if due_at < now:
        late = (today - due).days
        return {"status": "Overdue" + (f" by {late} day{'s' if late != 1 else ''}" if late > 0 else ""),
                "colour": "red", "due": due, "overdue": True, "tracked": True}
    left = (due - today).days
    return {"status": "Due today" if left == 0 else f"Due in {left} day{'s' if left != 1 else ''}",
            "colour": "yellow" if left <= 7 else "blue", "due": due, "overdue": False, "tracked": True}


# -- subqueries ------------------------------------------------------------------------------
def _open_deadlines(now):
    from haven.work.models import Deadline

    return (Deadline.objects.filter(met_at__isnull=True, exempt=False)
            .filter(Q(stopped_at__isnull=True) | Q(stopped_at__gt=now)))


def _current_allocation(role: str, today: dt.date):
    from haven.people.models import Allocation

    return (Allocation.objects.filter(person=OuterRef("person"), role=role, start_date__lte=today)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).order_by("-start_date", "-pk"))


def annotations(*, today: dt.date, now: dt.datetime) -> dict:
    """{name: expression} of everything the team view shows about a period of care."""
    from haven.looked_after.models import Episode, Placement

    placement = (Placement.objects.filter(period=OuterRef("pk"), start_date__lte=today)
                 .filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).order_by("-start_date", "-pk"))
    episode = (Episode.objects.filter(period=OuterRef("pk"), start_date__lte=today)
               .filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).order_by("-start_date", "-pk"))
    sw = _current_allocation("social_worker", today)
    iro = _current_allocation("iro", today)
    out = {
        "place": Subquery(placement.values("place")[:1]),
        "location": Subquery(placement.values("location")[:1]),
        "legal_status": Subquery(episode.values("legal_status")[:1]),
        "sw_id": Subquery(sw.values("worker_id")[:1]),
        "sw_name": Subquery(sw.values("worker__last_name")[:1]),
        "iro_id": Subquery(iro.values("worker_id")[:1]),
        "iro_name": Subquery(iro.values("worker__last_name")[:1]),
    }
    deadlines = _open_deadlines(now)
    for rule, key, _label in DUE_COLUMNS:
        if tracked(rule):
            out[f"due_{key}"] = Subquery(deadlines.filter(person=OuterRef("person"), rule=rule)
                                         .order_by("due_at").values("due_at")[:1])
    return out


def looked_after_queryset(user, *, today: dt.date | None = None, now: dt.datetime | None = None,
                          only: set[str] | None = None):
    """Periods of care open today in the user's scope, one per child, annotated with what the
    team view shows (``only`` those annotations, when given: the page query annotates just what
    it filters and sorts by, and the page's rows get the rest in a second query)."""
    from haven.looked_after.models import PeriodOfCare

    now = now or timezone.now()
    today = today or timezone.localdate()
    wanted = annotations(today=today, now=now)
    if only is not None:
        wanted = {k: v for k, v in wanted.items() if k in only}
    return PeriodOfCare.objects.visible_to(user).open_on(today).annotate(**wanted)


@dataclass
class Filters:
    authority: str = ""
    team: str = ""
    iro: str = ""
    social_worker: str = ""
    place: str = ""
    location: str = ""
    overdue: bool = False

    @classmethod
    def from_data(cls, data) -> Filters:
        def digits(name):
            value = (data.get(name) or "").strip()
            return value if value.isdigit() else ""

        return cls(authority=digits("authority"), team=digits("team"), iro=digits("iro"),
                   social_worker=digits("social_worker"), place=(data.get("place") or "").strip()[:2],
                   location=(data.get("location") or "").strip().upper()[:3],
                   overdue=(data.get("overdue") or "").lower() in ("1", "true", "on", "yes"))

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v}


def apply_filters(qs, filters: Filters, *, now: dt.datetime | None = None, today: dt.date | None = None):
    from haven.people.models import Allocation

    now = now or timezone.now()
    today = today or timezone.localdate()
    if filters.authority:
        qs = qs.filter(authority_id=int(filters.authority))
    current = (Allocation.objects.filter(person=OuterRef("person"), start_date__lte=today)
               .filter(Q(end_date__isnull=True) | Q(end_date__gte=today)))
    if filters.team:
        qs = qs.filter(Exists(current.filter(team_id=int(filters.team))))
    if filters.iro:
        qs = qs.filter(Exists(current.filter(role="iro", worker_id=int(filters.iro))))
    if filters.social_worker:
        qs = qs.filter(Exists(current.filter(role="social_worker", worker_id=int(filters.social_worker))))
    if filters.place:
        qs = qs.filter(place=filters.place)
    if filters.location in ("IN", "OUT"):
        qs = qs.filter(location=filters.location)
    if filters.overdue:
        rules = [rule for rule, _key, _label in DUE_COLUMNS if tracked(rule)]
        qs = qs.filter(Exists(_open_deadlines(now).filter(person=OuterRef("person"), rule__in=rules, due_at__lt=now)))
    return qs


def sort_by(qs, sort: str):
    """``sort`` is a column key, with ``-`` for descending. Empty due dates sort last."""
    key = (sort or "").lstrip("-")
    if key not in SORTS or (key in {k for _r, k, _l in DUE_COLUMNS} and f"due_{key}" not in qs.query.annotations):
        key, sort = "name", "name"
    descending = sort.startswith("-")
    if key == "days":  # more days in care = earlier start
        descending = not descending
    fields = SORTS[key]
    order = [F(fields[0]).desc(nulls_last=True) if descending else F(fields[0]).asc(nulls_last=True),
             *fields[1:]]
    return qs.order_by(*order), (f"-{key}" if sort.startswith("-") else key)


@dataclass
class Row:
    period: object
    person: object
    place: str
    place_label: str
    location: str
    legal_status: str
    days: int
    social_worker: str
    iro: str
    due: dict

    @property
    def overdue(self) -> bool:
        return any(d["overdue"] for d in self.due.values())

    @property
    def dues(self) -> list[dict]:
        """The due items in column order, each with its column ``key``."""
        return [{"key": key, **self.due[key]} for _rule, key, _label in DUE_COLUMNS]


def rows_for(periods, *, now: dt.datetime | None = None, today: dt.date | None = None,
             annotated: bool = False) -> list[Row]:
    """Rows for a page of periods, in its order: one query annotates the page's periods with
    everything shown (unless ``annotated`` already), one fetches the workers' names."""
    from haven.accounts.models import User
    from haven.core.codes.looked_after import PlacementType

    now = now or timezone.now()
    today = today or timezone.localdate()
    periods = list(periods)
    if not annotated and periods:
        from haven.looked_after.models import PeriodOfCare as Period

        order = {p.pk: n for n, p in enumerate(periods)}
        full = (Period.objects.filter(pk__in=list(order)).annotate(**annotations(today=today, now=now))
                .select_related("person"))
        periods = sorted(full, key=lambda p: order[p.pk])
    ids = {p.sw_id for p in periods if p.sw_id} | {p.iro_id for p in periods if p.iro_id}
    names = {u.pk: (u.get_full_name() or u.get_username()) for u in User.objects.filter(pk__in=ids)}
    places = dict(PlacementType.choices)
    rows = []
    for p in periods:
        due = {key: due_status(rule, getattr(p, f"due_{key}", None), now) for rule, key, _label in DUE_COLUMNS}
        rows.append(Row(period=p, person=p.person, place=p.place or "", place_label=places.get(p.place, ""),
                        location=p.location or "", legal_status=p.legal_status or "",
                        days=(today - p.start_date).days + 1, social_worker=names.get(p.sw_id, ""),
                        iro=names.get(p.iro_id, ""), due=due))
    return rows


def team_queryset(user, filters: Filters, sort: str = "name", *, iro_user=None, full: bool = False):
    """The team (or, with ``iro_user``, the IRO's) looked-after children, filtered and sorted.
    Annotated only with what the filters and the sort need, unless ``full`` (an export); give a
    page of it to ``rows_for``."""
    now, today = timezone.now(), timezone.localdate()
    key = (sort or "").lstrip("-")
    needed = {"place", "location"} if (filters.place or filters.location) else set()
    if key in SORTS:
        needed.add(SORTS[key][0])
    qs = looked_after_queryset(user, today=today, now=now, only=None if full else needed).select_related("person")
    if iro_user is not None:
        filters = Filters(**{**filters.__dict__, "iro": str(iro_user.pk)})
    qs = apply_filters(qs, filters, now=now, today=today)
    return sort_by(qs, sort)


def filter_choices(user) -> dict:
    """Authorities, teams, IROs and social workers to filter by (those in the user's reach)."""
    from haven.accounts.models import Membership, Team, User
    from haven.accounts.roles import Role

    authorities = sorted(user.authorities, key=lambda a: a.name)
    ids = [a.pk for a in authorities]
    teams = list(Team.objects.filter(serves__in=ids).distinct().order_by("name"))

    def people(role):
        members = Membership.objects.filter(role=role, team__serves__in=ids).values("user_id")
        return list(User.objects.filter(pk__in=members, is_active=True).order_by("first_name", "last_name"))

    return {"authorities": authorities, "teams": teams, "iros": people(Role.CP_CHAIR_IRO),
            "workers": people(Role.SOCIAL_WORKER) + [u for u in people(Role.TEAM_MANAGER)]}


# -- one child -------------------------------------------------------------------------------
def next_deadlines(person, user, rules) -> dict:
    """{rule: the earliest open Deadline} for ``person`` (one query)."""
    from haven.work.models import Deadline

    out: dict = {}
    for d in (Deadline.objects.visible_to(user).open().filter(person=person, rule__in=list(rules))
              .order_by("due_at")):
        out.setdefault(d.rule, d)
    return out


def missing_this_year(person, since: dt.datetime) -> dict | None:
    """Missing episodes since ``since`` and how many had a return-home interview offered, when the
    missing module is installed and migrated; None otherwise."""
    from django.apps import apps
    from django.db import DatabaseError, transaction

    try:
        Episode = apps.get_model("missing", "MissingEpisode")
        Interview = apps.get_model("missing", "ReturnInterview")
    except (LookupError, ImportError):
        return None
    try:
        with transaction.atomic():
            episodes = list(Episode._base_manager.filter(person=person, started_at__gte=since).values_list("pk", flat=True))
            offered = (Interview._base_manager.filter(episode_id__in=episodes, offered_at__isnull=False)
                       .values("episode_id").distinct().count()) if episodes else 0
    except (DatabaseError, Exception):  # noqa: BLE001 - another app's table, not there yet or different
        return None
    return {"episodes": len(episodes), "offered": offered, "not_offered": len(episodes) - offered}


def glance(person, user, *, today: dt.date | None = None) -> dict | None:
    """The looked-after child's facts at a glance, or None if never looked after (or not in
    the user's scope)."""
    from haven.looked_after.models import Episode, PeriodOfCare, Placement
    from haven.looked_after.queries import placements_in_last_year
    from haven.people.models import Allocation

    from .models import CarePlan, LACReview, ReviewRecommendation

    today = today or timezone.localdate()
    periods = list(PeriodOfCare.objects.visible_to(user).filter(person=person).order_by("-start_date", "-pk"))
    if not periods:
        return None
    current = next((p for p in periods if p.start_date <= today and (p.end_date is None or p.end_date >= today)), None)
    placements = list(Placement.objects.visible_to(user).filter(person=person).order_by("-start_date", "-pk"))
    placement = next((pl for pl in placements if current and pl.period_id == current.pk and pl.start_date <= today
                      and (pl.end_date is None or pl.end_date >= today)), None)
    episode = None
    if current is not None:
        episode = (Episode.objects.visible_to(user).filter(period=current, start_date__lte=today)
                   .filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).order_by("-start_date", "-pk").first())
    due = next_deadlines(person, user, [r for r, _l in PANEL_RULES]) if current else {}
    now = timezone.now()
    dues = [{"rule": rule, "label": label, **due_status(rule, due[rule].due_at if rule in due else None, now)}
            for rule, label in PANEL_RULES]
    allocations = {}
    for a in (Allocation.objects.current(today).filter(person=person, role__in=["social_worker", "iro",
                                                                                 "personal_adviser", "virtual_school"])
              .select_related("worker", "team").order_by("start_date")):
        allocations[a.role] = a
    plan = CarePlan.objects.visible_to(user).filter(person=person).order_by("-agreed_on", "-pk").first()
    review = LACReview.objects.visible_to(user).filter(person=person).order_by("-held_on", "-pk").first()
    recs = list(ReviewRecommendation.objects.visible_to(user).filter(person=person,
                                                                     status__in=["not_started", "in_progress"]))
    return {
        "periods": periods,
        "current": current,
        "placement": placement,
        "episode": episode,
        "days_in_care": current.days_in_care(today) if current else None,
        "total_days": sum(p.days_in_care(today) for p in periods),
        "placements_in_year": placements_in_last_year(person, user, today),
        "dues": dues,
        "overdue": [d for d in dues if d["overdue"]],
        "missing": missing_this_year(person, now - dt.timedelta(days=365)) if current else None,
        "social_worker": allocations.get("social_worker"),
        "iro": allocations.get("iro"),
        "personal_adviser": allocations.get("personal_adviser"),
        "virtual_school": allocations.get("virtual_school"),
        "workers": [(label, allocations.get(role)) for role, label in WORKER_ROLES],
        "plan": plan,
        "review": review,
        "open_recommendations": len(recs),
        "incomplete_recommendations": sum(1 for r in recs if not r.is_smart),
        "overdue_recommendations": sum(1 for r in recs if r.is_overdue),
    }
