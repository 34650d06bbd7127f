"""Reading missing and exploitation records: the return home interview clock of each episode
(read from the ``Deadline`` rows of rule ``missing_rhi_72h``, never recomputed here), a child's
summary, and the most frequently missing children with their push and pull factors aggregated."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from .codes import PullFactor, PushFactor, RHIOutcome
from .models import ExploitationRiskAssessment, MissingEpisode, PanelDecision, ReturnInterview
from .timescales import RHI_RULE


def when(value) -> str:
    from .services import when as _when

    return _when(value)


def rhi_deadlines(episodes) -> dict[int, object]:
    """{episode pk: its ``missing_rhi_72h`` deadline} for these episodes."""
    from haven.work.models import Deadline

    ids = [e.pk for e in episodes]
    if not ids:
        return {}
    ct = ContentType.objects.get_for_model(MissingEpisode)
    return {d.object_id: d for d in Deadline.objects.filter(rule=RHI_RULE, content_type=ct, object_id__in=ids)
            .order_by("sequence")}


def rhi_status(episode, deadline) -> dict:
    """What a page says about an episode's return home interview clock."""
    if episode.ended_at is None:
        return {"status": "Still missing: the 72-hour clock starts on return", "colour": "red", "overdue": False,
                "in_time": None, "deadline": None}
    if deadline is None:
        return {"status": "No clock", "colour": "grey", "overdue": False, "in_time": None, "deadline": None}
    row = {"deadline": deadline, "due": deadline.due_at}
    if deadline.met_at is not None:
        hours = (deadline.met_at - episode.ended_at).total_seconds() / 3600
        row.update(status=(f"Offered in time ({hours:.0f} hours after return)" if deadline.met_in_time
                           else f"Offered late ({hours:.0f} hours after return)"),
                   colour="green" if deadline.met_in_time else "orange", overdue=False, in_time=deadline.met_in_time)
    elif deadline.is_overdue:
        row.update(status=f"Not offered within 72 hours: was due by {when(deadline.due_at)}", colour="red",
                   overdue=True, in_time=False)
    else:
        row.update(status=f"Due by {when(deadline.due_at)}", colour="blue", overdue=False, in_time=None)
    return row


def episodes_with_clocks(episodes) -> list[dict]:
    episodes = list(episodes)
    clocks = rhi_deadlines(episodes)
    return [{"episode": e, "clock": rhi_status(e, clocks.get(e.pk))} for e in episodes]


def latest_assessment(person, user=None):
    qs = ExploitationRiskAssessment.objects.filter(person=person)
    if user is not None:
        qs = qs.visible_to(user)
    return qs.order_by("-assessed_on", "-pk").first()


def child_summary(person, user, *, since: dt.date | None = None) -> dict:
    """A child's missing and exploitation picture (panel and per-child page)."""
    since = since or timezone.localdate() - dt.timedelta(days=365)
    episodes = list(MissingEpisode.objects.visible_to(user).filter(person=person)
                    .prefetch_related("return_interviews").order_by("-started_at"))
    rows = episodes_with_clocks(episodes)
    recent = [r for r in rows if timezone.localtime(r["episode"].started_at).date() >= since]
    return {
        "person": person,
        "rows": rows,
        "recent": recent,
        "since": since,
        "open": next((e for e in episodes if e.ended_at is None), None),
        "recent_count": len(recent),
        "recent_in_time": sum(1 for r in recent if r["clock"].get("in_time") is True),
        "recent_not_in_time": sum(1 for r in recent if r["clock"].get("in_time") is False),
        "assessments": list(ExploitationRiskAssessment.objects.visible_to(user).filter(person=person)),
        "latest_assessment": latest_assessment(person, user),
        "decisions": list(PanelDecision.objects.visible_to(user).filter(person=person).prefetch_related("actions")),
    }


# --- the most frequently missing children -----------------------------------------------------

@dataclass
class ChildRow:
    person: object
    episodes: int = 0
    from_care: int = 0
    open: int = 0
    hours: float = 0.0
    returned: int = 0          # episodes ended (a return home interview is due)
    offered: int = 0           # of those, an interview offered
    taken_up: int = 0          # of those offered, accepted or completed
    in_time: int = 0           # offered within 72 hours (from the deadlines)
    push: list[str] = field(default_factory=list)   # latest interview's factors (labels)
    pull: list[str] = field(default_factory=list)
    latest: object = None

    @staticmethod
    def pct(part: int, whole: int) -> int | None:
        return round(100 * part / whole) if whole else None

    @property
    def offered_pct(self):
        return self.pct(self.offered, self.returned)

    @property
    def taken_up_pct(self):
        return self.pct(self.taken_up, self.offered)

    @property
    def in_time_pct(self):
        return self.pct(self.in_time, self.returned)


@dataclass
class Report:
    start: dt.date
    end: dt.date
    authorities: list
    rows: list[ChildRow]
    children: int
    episodes: int
    push_latest: list[tuple[str, int]]      # factors in the listed children's latest interviews
    pull_latest: list[tuple[str, int]]
    push_all: list[tuple[str, int]]         # factors in every interview about episodes in the period
    pull_all: list[tuple[str, int]]
    interviews: int
    totals: ChildRow


def served_authorities(user) -> list:
    return sorted(user.authorities, key=lambda a: a.name)


def _counted(counter: Counter, choices) -> list[tuple[str, int]]:
    names = dict(choices.choices)
    return [(str(names.get(code, code)), n) for code, n in
            sorted(counter.items(), key=lambda kv: (-kv[1], list(names).index(kv[0]) if kv[0] in names else 99))]


def frequent(user, *, authority=None, source: str = "", start: dt.date | None = None, end: dt.date | None = None,
             limit: int | None = 50) -> Report:
    """Children with the most missing episodes that started between ``start`` and ``end``
    (default: the last 12 months), in one authority or across every authority the user serves
    (the partnership), from care or from home. Scope applies as everywhere."""
    today = timezone.localdate()
    end = end or today
    start = start or end - dt.timedelta(days=365)
    authorities = served_authorities(user)
    ids = [a.pk for a in authorities]
    if authority is not None:
        ids = [a for a in ids if a == authority.pk]
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    episodes = (MissingEpisode.objects.visible_to(user).filter(authority_id__in=ids, started_at__gte=lo, started_at__lt=hi)
                .select_related("person__authority").order_by("started_at"))
    if source == "care":
        episodes = episodes.filter(from_care=True)
    elif source == "home":
        episodes = episodes.filter(from_care=False)
    episodes = list(episodes)
    interviews = defaultdict(list)
    for rhi in ReturnInterview.objects.visible_to(user).filter(episode__in=[e.pk for e in episodes]):
        interviews[rhi.episode_id].append(rhi)
    clocks = rhi_deadlines(episodes)
    now = timezone.now()
    rows: dict[int, ChildRow] = {}
    push_all, pull_all = Counter(), Counter()
    n_interviews = 0
    for e in episodes:
        row = rows.setdefault(e.person_id, ChildRow(person=e.person))
        row.episodes += 1
        row.from_care += int(e.from_care)
        row.open += int(e.ended_at is None)
        row.hours += e.hours(now)
        if e.ended_at is not None:
            row.returned += 1
        offered = [r for r in interviews.get(e.pk, []) if r.outcome != RHIOutcome.NOT_OFFERED and r.offered_at]
        if offered:
            row.offered += 1
            row.taken_up += int(any(r.taken_up for r in offered))
        deadline = clocks.get(e.pk)
        if deadline is not None and deadline.met_in_time:
            row.in_time += 1
        for rhi in interviews.get(e.pk, []):
            n_interviews += 1
            push_all.update(rhi.push_factors or [])
            pull_all.update(rhi.pull_factors or [])
            if rhi.push_factors or rhi.pull_factors:
                key = rhi.completed_at or rhi.offered_at or rhi.created_at
                if row.latest is None or key >= (row.latest.completed_at or row.latest.offered_at or row.latest.created_at):
                    row.latest = rhi
    ordered = sorted(rows.values(), key=lambda r: (-r.episodes, -r.hours, r.person.last_name, r.person.first_name))
    listed = ordered[:limit] if limit else ordered
    push_latest, pull_latest = Counter(), Counter()
    for row in listed:
        if row.latest is not None:
            push_latest.update(row.latest.push_factors or [])
            pull_latest.update(row.latest.pull_factors or [])
            row.push = [str(dict(PushFactor.choices).get(c, c)) for c in row.latest.push_factors or []]
            row.pull = [str(dict(PullFactor.choices).get(c, c)) for c in row.latest.pull_factors or []]
    totals = ChildRow(person=None)
    for row in ordered:
        for name in ("episodes", "from_care", "open", "hours", "returned", "offered", "taken_up", "in_time"):
            setattr(totals, name, getattr(totals, name) + getattr(row, name))
    return Report(start=start, end=end, authorities=[a for a in authorities if a.pk in ids], rows=listed,
                  children=len(ordered), episodes=len(episodes),
                  push_latest=_counted(push_latest, PushFactor), pull_latest=_counted(pull_latest, PullFactor),
                  push_all=_counted(push_all, PushFactor), pull_all=_counted(pull_all, PullFactor),
                  interviews=n_interviews, totals=totals)
