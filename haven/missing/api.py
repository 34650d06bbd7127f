"""Missing children endpoints of /api/v1 (/api/v1/missing): a child's missing episodes, starting
an episode, recording the return, return home interviews, and the most frequently missing
children. Same rules as the pages: capability, scope (out of scope is 404), audit of every read,
and the same service functions for every change (a refusal is 422 with one message per problem;
a stale version is 409)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from haven.api.auth import Capability
from haven.audit.log import Action, record
from haven.core.versioning import StaleEdit
from haven.core.views.generic import RestrictedRecord, fetch_in_scope
from haven.people.models import Person

from . import queries, services
from .models import MissingEpisode, ReturnInterview

router = Router(tags=["missing"])


# --- schemas ----------------------------------------------------------------------------------

class ProblemOut(Schema):
    field: str
    message: str


class Problem(Schema):
    detail: str
    errors: list[ProblemOut] = []


class InterviewOut(Schema):
    id: int
    episode_id: int
    outcome: str
    offered_at: dt.datetime | None
    offered_by: str
    independent: bool
    not_offered_reason: str
    completed_at: dt.datetime | None
    conducted_by: str
    push_factors: list[str]
    pull_factors: list[str]
    factors_detail: str
    risks_identified: str
    referrals: list[str]
    actions: str
    version: int


class EpisodeOut(Schema):
    id: int
    person_id: int
    kind: str = Field(..., description="M missing, A away from placement without authorisation (SSDA903)")
    started_at: dt.datetime
    ended_at: dt.datetime | None
    from_care: bool = Field(..., description="The child was looked after when they went missing (computed)")
    placement_id: int | None
    risk_level: str
    reported_to_police: bool
    police_reference: str
    where_found: str
    where_found_detail: str
    found_by: str
    police_safe_and_well_check_on: dt.datetime | None
    rhi_due_at: dt.datetime | None = Field(None, description="Return home interview due (rule missing_rhi_72h)")
    rhi_offered_at: dt.datetime | None = Field(None, description="When the clock was met")
    rhi_in_time: bool | None = None
    rhi_overdue: bool = False
    version: int


class EpisodeDetailOut(EpisodeOut):
    circumstances: str
    return_interviews: list[InterviewOut]


class ReturnBody(Schema):
    ended_at: dt.datetime
    where_found: Literal["home", "friend", "relative", "other_address", "police_station", "hospital", "returned", "other"]
    where_found_detail: str = ""
    found_by: str = ""
    police_safe_and_well_check_on: dt.datetime | None = None


class EpisodeIn(Schema):
    kind: Literal["M", "A"] = "M"
    started_at: dt.datetime
    risk_level: Literal["low", "medium", "high"] = "medium"
    reported_to_police: bool = False
    police_reference: str = ""
    circumstances: str = ""
    returned: ReturnBody | None = Field(None, description="When recording an episode after the child came back")


class ReturnIn(ReturnBody):
    version: int = Field(..., description="The version you read; a stale version is refused with 409")


class InterviewIn(Schema):
    outcome: Literal["offered", "accepted", "declined", "completed", "not_offered"]
    offered_at: dt.datetime | None = None
    offered_by: str = ""
    independent: bool = Field(False, description="Offered by someone independent of the child's care")
    not_offered_reason: str = ""
    completed_at: dt.datetime | None = None
    conducted_by: str = ""
    push_factors: list[str] = Field([], description="Codes from the push factor list")
    pull_factors: list[str] = Field([], description="Codes from the pull factor list")
    factors_detail: str = ""
    risks_identified: str = ""
    referrals: list[str] = []
    actions: str = ""


class FrequentChild(Schema):
    person_id: int
    local_id: str
    name: str
    authority: str
    episodes: int
    from_care: int
    still_missing: int
    hours_missing: float
    returned: int
    rhi_offered: int
    rhi_offered_pct: int | None
    rhi_taken_up: int
    rhi_taken_up_pct: int | None
    rhi_offered_within_72h: int
    latest_push_factors: list[str]
    latest_pull_factors: list[str]


class FactorCount(Schema):
    factor: str
    count: int


class FrequentOut(Schema):
    start: dt.date
    end: dt.date
    authorities: list[str]
    children: int
    episodes: int
    interviews: int
    rows: list[FrequentChild]
    push_factors_latest: list[FactorCount]
    pull_factors_latest: list[FactorCount]
    push_factors_all: list[FactorCount]
    pull_factors_all: list[FactorCount]


# --- helpers ----------------------------------------------------------------------------------

def _fetch(request, model, pk: int, action: str = "view"):
    try:
        return fetch_in_scope(model, request.user, pk, action)
    except RestrictedRecord:
        raise HttpError(403, "This record is restricted; use break-glass in the web application") from None
    except Http404:
        raise HttpError(404, "Not found") from None


def _refused(exc: services.Refused):
    return Status(422, {"detail": str(exc), "errors": [{"field": p.field, "message": p.message} for p in exc.problems]})


def _episode_out(e: MissingEpisode, deadline=None) -> dict:
    out = {f: getattr(e, f) for f in ("id", "person_id", "kind", "started_at", "ended_at", "from_care", "placement_id",
                                      "risk_level", "reported_to_police", "police_reference", "where_found",
                                      "where_found_detail", "found_by", "police_safe_and_well_check_on", "version",
                                      "circumstances")}
    if deadline is not None:
        out.update(rhi_due_at=deadline.due_at, rhi_offered_at=deadline.met_at, rhi_in_time=deadline.met_in_time,
                   rhi_overdue=deadline.is_overdue)
    return out


def _detail(e: MissingEpisode, user) -> dict:
    out = _episode_out(e, queries.rhi_deadlines([e]).get(e.pk))
    out["return_interviews"] = list(ReturnInterview.objects.visible_to(user).filter(episode=e))
    return out


def _return_in(body: ReturnBody) -> services.ReturnIn:
    return services.ReturnIn(ended_at=body.ended_at, where_found=body.where_found,
                             where_found_detail=body.where_found_detail, found_by=body.found_by,
                             police_safe_and_well_check_on=body.police_safe_and_well_check_on)


# --- episodes ---------------------------------------------------------------------------------

@router.get("/people/{int:person_pk}/episodes", response={200: list[EpisodeOut], 403: Problem, 404: Problem},
            auth=Capability("missing.view"), summary="A child's missing episodes, newest first, with the RHI clock")
def list_episodes(request, person_pk: int):
    child = _fetch(request, Person, person_pk)
    episodes = list(MissingEpisode.objects.visible_to(request.user).filter(person=child).order_by("-started_at"))
    clocks = queries.rhi_deadlines(episodes)
    record(request, Action.VIEW, obj=child, summary=f"API: missing episodes of {child.full_name}")
    return [_episode_out(e, clocks.get(e.pk)) for e in episodes]


list_episodes.url_models = {"person_pk": Person}


@router.post("/people/{int:person_pk}/episodes", response={201: EpisodeDetailOut, 403: Problem, 404: Problem, 422: Problem},
             auth=Capability("missing.record"),
             summary="Record that a child went missing (with the return, when recorded after the event)")
def create_episode(request, person_pk: int, data: EpisodeIn):
    child = _fetch(request, Person, person_pk, "change")
    try:
        e = services.start_episode(
            actor=request.user, person=child, request=request,
            data=services.EpisodeIn(started_at=data.started_at, kind=data.kind, risk_level=data.risk_level,
                                    reported_to_police=data.reported_to_police, police_reference=data.police_reference,
                                    circumstances=data.circumstances),
            returned=_return_in(data.returned) if data.returned else None)
    except services.Refused as exc:
        return _refused(exc)
    return Status(201, _detail(e, request.user))


create_episode.url_models = {"person_pk": Person}


@router.get("/episodes/{int:pk}", response={200: EpisodeDetailOut, 403: Problem, 404: Problem},
            auth=Capability("missing.view"), summary="A missing episode with its return home interviews")
def get_episode(request, pk: int):
    e = _fetch(request, MissingEpisode, pk)
    record(request, Action.VIEW, obj=e, summary=f"API: {e}")
    return _detail(e, request.user)


get_episode.url_models = {"pk": MissingEpisode}


@router.patch("/episodes/{int:pk}", response={200: EpisodeDetailOut, 403: Problem, 404: Problem, 409: Problem, 422: Problem},
              auth=Capability("missing.record"),
              summary="Record (or correct) the return: when, where found, by whom, police safe and well check")
def record_return(request, pk: int, data: ReturnIn):
    e = _fetch(request, MissingEpisode, pk, "change")
    try:
        services.record_return(actor=request.user, episode=e, returned=_return_in(data), expected_version=data.version,
                               request=request)
    except services.Refused as exc:
        return _refused(exc)
    except StaleEdit as stale:
        return Status(409, {"detail": f"{stale.changed_by or 'Another user'} changed this episode after version "
                                      f"{data.version}; read it again (now version {stale.obj.version})"})
    return _detail(e, request.user)


record_return.url_models = {"pk": MissingEpisode}


# --- return home interviews -------------------------------------------------------------------

@router.get("/episodes/{int:pk}/return-interviews", response={200: list[InterviewOut], 403: Problem, 404: Problem},
            auth=Capability("missing.view"), summary="The return home interviews of a missing episode")
def list_interviews(request, pk: int):
    e = _fetch(request, MissingEpisode, pk)
    record(request, Action.VIEW, obj=e, summary=f"API: return home interviews, {e}")
    return list(ReturnInterview.objects.visible_to(request.user).filter(episode=e))


list_interviews.url_models = {"pk": MissingEpisode}


@router.post("/episodes/{int:pk}/return-interviews", response={201: InterviewOut, 403: Problem, 404: Problem, 422: Problem},
             auth=Capability("missing.record"),
             summary="Record a return home interview (offered, accepted, declined, completed or not offered)")
def create_interview(request, pk: int, data: InterviewIn):
    e = _fetch(request, MissingEpisode, pk, "change")
    try:
        rhi = services.record_interview(actor=request.user, episode=e, request=request,
                                        data=services.InterviewIn(**data.dict()))
    except services.Refused as exc:
        return _refused(exc)
    return Status(201, rhi)


create_interview.url_models = {"pk": MissingEpisode}


# --- the most frequently missing children -----------------------------------------------------

@router.get("/frequent", response={200: FrequentOut, 403: Problem, 422: Problem}, auth=Capability("missing.report"),
            summary="The most frequently missing children, per authority or across the partnership")
def frequent(request, authority_id: int | None = None, source: Literal["", "care", "home"] = "",
             start: dt.date | None = None, end: dt.date | None = None, limit: int = 50):
    authority = None
    if authority_id is not None:
        authority = next((a for a in queries.served_authorities(request.user) if a.pk == authority_id), None)
        if authority is None:
            raise HttpError(404, "Not found")
    if start and end and end < start:
        raise HttpError(422, "end must be on or after start")
    report = queries.frequent(request.user, authority=authority, source=source, start=start, end=end,
                              limit=max(1, min(limit, 500)))
    record(request, Action.SEARCH, summary="API: most frequently missing children",
           detail={"authority_id": authority_id, "source": source, "start": str(report.start), "end": str(report.end)})

    def counts(rows):
        return [{"factor": label, "count": n} for label, n in rows]

    return {
        "start": report.start, "end": report.end, "authorities": [a.name for a in report.authorities],
        "children": report.children, "episodes": report.episodes, "interviews": report.interviews,
        "rows": [{"person_id": r.person.pk, "local_id": r.person.local_id, "name": r.person.full_name,
                  "authority": r.person.authority.name, "episodes": r.episodes, "from_care": r.from_care,
                  "still_missing": r.open, "hours_missing": round(r.hours, 1), "returned": r.returned,
                  "rhi_offered": r.offered, "rhi_offered_pct": r.offered_pct, "rhi_taken_up": r.taken_up,
                  "rhi_taken_up_pct": r.taken_up_pct, "rhi_offered_within_72h": r.in_time,
                  "latest_push_factors": r.push, "latest_pull_factors": r.pull} for r in report.rows],
        "push_factors_latest": counts(report.push_latest), "pull_factors_latest": counts(report.pull_latest),
        "push_factors_all": counts(report.push_all), "pull_factors_all": counts(report.pull_all),
    }
