"""Child protection endpoints of /api/v1 (/api/v1/protection): strategy discussions, section 47
enquiries, conferences. Same rules as the pages: capability, scope (out of scope is 404), audit
of every read, and the same service functions for every change (a refusal is 422 with one
message per problem; a stale version is 409)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from haven.api.auth import Capability
from haven.audit.log import Action, record
from haven.core.versioning import StaleEdit
from haven.core.views.generic import RestrictedRecord, fetch_in_scope

from . import queries, services
from .models import Conference, ConferenceChild, S47Enquiry, StrategyChild, StrategyDiscussion

router = Router(tags=["protection"])


# --- schemas ----------------------------------------------------------------------------------

class ProblemOut(Schema):
    field: str
    message: str
    person_id: int | None = None


class Problem(Schema):
    detail: str
    errors: list[ProblemOut] = []


class Attendee(Schema):
    name: str = Field(..., max_length=120)
    agency: str = Field(..., description="police, health, education, housing, probation, other_la, csc, other")
    role: str = ""
    attended: bool = True


class ActionItem(Schema):
    action: str
    owner: str = ""
    due_date: dt.date | None = None


class StrategyChildOut(Schema):
    person_id: int
    s47_decided: bool
    s47_id: int | None = None
    episode_id: int | None = None


class StrategySummary(Schema):
    id: int
    held_at: dt.datetime
    missing_agencies: list[str] = Field(..., description="Required agencies that did not take part")


class StrategyOut(StrategySummary):
    summary: str
    absence_reason: str
    contact_id: int | None
    children: list[StrategyChildOut]
    attendees: list[Attendee]
    actions: list[ActionItem]
    version: int


class StrategyChildIn(Schema):
    person_id: int
    s47: bool = Field(..., description="True when a section 47 enquiry starts for this child")


class StrategyIn(Schema):
    held_at: dt.datetime
    children: list[StrategyChildIn]
    attendees: list[Attendee]
    actions: list[ActionItem] = []
    summary: str = ""
    contact_id: int | None = None
    absence_confirmed: bool = Field(False, description="Confirms why a required agency did not take part was recorded")
    absence_reason: str = ""
    referral_source: str = Field("", description="CIN referral source, for a child without an open referral")


class S47Out(Schema):
    id: int
    person_id: int
    episode_id: int
    strategy_discussion_id: int
    start_date: dt.date
    outcome: str
    completed_date: dt.date | None
    version: int
    icpc_due: dt.date | None = Field(None, description="Initial conference due date (rule icpc_15wd)")
    icpc_overdue: bool = False
    icpc_met_on: dt.date | None = None
    initial_conference_id: int | None = None


class S47OutcomeIn(Schema):
    outcome: Literal["icpc", "substantiated_no_icpc", "not_substantiated"]
    completed_date: dt.date
    version: int = Field(..., description="The version you read; a stale version is refused with 409")


class ConferenceChildOut(Schema):
    person_id: int
    s47_id: int | None
    plan_id: int | None
    participation: str
    had_advocate: bool
    plan_needed: bool = Field(..., description="Initial: a plan is needed. Review: the plan continues")
    category: str


class ConferenceOut(Schema):
    id: int
    kind: str
    held_on: dt.date
    chair: str | None
    parents_received_report: bool
    summary: str
    attendees: list[Attendee]
    children: list[ConferenceChildOut]
    version: int


class ConferenceChildIn(Schema):
    s47_id: int | None = Field(None, description="Initial conference: the child's section 47 enquiry")
    plan_id: int | None = Field(None, description="Review conference: the child protection plan reviewed")
    participation: Literal["attended", "advocate", "written", "none", "too_young"]
    had_advocate: bool = False
    plan_needed: bool = Field(False, description="Initial conference: a child protection plan is needed")
    plan_continues: bool = Field(True, description="Review conference: the plan continues")
    category: str = Field("", description="NEG, PHY, SAB, EMO or MUL (when a plan is needed or continues)")
    end_reason: str = Field("", description="Review conference: why the plan ends")


class ConferenceIn(Schema):
    kind: Literal["initial", "review"]
    held_on: dt.date
    chair_id: int | None = Field(None, description="Defaults to you")
    parents_received_report: bool = False
    summary: str = ""
    attendees: list[Attendee] = []
    children: list[ConferenceChildIn]


# --- helpers ----------------------------------------------------------------------------------

def _fetch(request, model, pk: int, action: str = "view"):
    try:
        return fetch_in_scope(model, request.user, pk, action)
    except RestrictedRecord:
        raise HttpError(403, "This record is restricted; use break-glass in the web application") from None
    except Http404:
        raise HttpError(404, "Not found") from None


def _refused(exc: services.Refused):
    return Status(422, {"detail": str(exc), "errors": [
        {"field": p.field, "message": p.message, "person_id": p.person_id} for p in exc.problems]})


def _strategy_out(d: StrategyDiscussion, user) -> dict:
    from haven.people.models import Person

    visible = set(Person.objects.visible_to(user).filter(strategy_decisions__discussion=d).values_list("pk", flat=True))
    s47s = dict(S47Enquiry.objects.filter(strategy_discussion=d).values_list("person_id", "pk"))
    children = [{"person_id": sc.person_id, "s47_decided": sc.s47_decided, "s47_id": s47s.get(sc.person_id),
                 "episode_id": sc.episode_id}
                for sc in StrategyChild.objects.filter(discussion=d).order_by("pk") if sc.person_id in visible]
    return {"id": d.pk, "held_at": d.held_at, "missing_agencies": d.missing_agencies(), "summary": d.summary,
            "absence_reason": d.absence_reason, "contact_id": d.contact_id, "children": children,
            "attendees": list(d.attendees.order_by("pk")), "actions": list(d.actions.order_by("pk")),
            "version": d.version}


def _s47_out(s: S47Enquiry) -> dict:
    deadline = queries.icpc_deadline(s)
    icpc = queries.initial_conference_for(s)
    out = {f: getattr(s, f) for f in ("id", "person_id", "episode_id", "strategy_discussion_id", "start_date", "outcome",
                                      "completed_date", "version")}
    out.update(icpc_due=timezone.localtime(deadline.due_at).date() if deadline else None,
               icpc_overdue=bool(deadline and deadline.is_overdue),
               icpc_met_on=timezone.localtime(deadline.met_at).date() if deadline and deadline.met_at else None,
               initial_conference_id=icpc.conference_id if icpc else None)
    return out


def _conference_out(c: Conference, user) -> dict:
    from haven.people.models import Person

    visible = set(Person.objects.visible_to(user).filter(conference_decisions__conference=c).values_list("pk", flat=True))
    return {"id": c.pk, "kind": c.kind, "held_on": c.held_on, "chair": str(c.chair) if c.chair else None,
            "parents_received_report": c.parents_received_report, "summary": c.summary,
            "attendees": list(c.attendees.order_by("pk")), "version": c.version,
            "children": [cc for cc in ConferenceChild.objects.filter(conference=c).order_by("pk") if cc.person_id in visible]}


def _attendees(rows) -> list[services.AttendeeIn]:
    return [services.AttendeeIn(name=a.name, agency=a.agency, role=a.role, attended=a.attended) for a in rows]


# --- strategy discussions ---------------------------------------------------------------------

@router.get("/strategy-discussions", response={200: list[StrategySummary], 403: Problem, 404: Problem},
            auth=Capability("protection.view"), summary="A child's strategy discussions")
def list_strategy_discussions(request, person: int):
    from haven.people.models import Person

    child = _fetch(request, Person, person)
    rows = (StrategyDiscussion.objects.visible_to(request.user).filter(children__person=child).distinct()
            .prefetch_related("attendees").order_by("-held_at"))
    record(request, Action.VIEW, obj=child, summary=f"API: strategy discussions of {child.full_name}")
    return [{"id": d.pk, "held_at": d.held_at, "missing_agencies": d.missing_agencies()} for d in rows]


@router.get("/strategy-discussions/{int:pk}", response={200: StrategyOut, 403: Problem, 404: Problem},
            auth=Capability("protection.view"), summary="A strategy discussion, with the agencies that did not take part")
def get_strategy_discussion(request, pk: int):
    d = _fetch(request, StrategyDiscussion, pk)
    record(request, Action.VIEW, obj=d, summary=f"API: {d}")
    return _strategy_out(d, request.user)


get_strategy_discussion.url_models = {"pk": StrategyDiscussion}


@router.post("/strategy-discussions", response={201: StrategyOut, 403: Problem, 404: Problem, 422: Problem},
             auth=Capability("protection.record"), summary="Record a strategy discussion (starts the S47 enquiries decided)")
def create_strategy_discussion(request, data: StrategyIn):
    from haven.front_door.models import Contact
    from haven.people.models import Person

    children = [services.ChildDecisionIn(person=_fetch(request, Person, c.person_id, "change"), s47=c.s47)
                for c in data.children]
    contact = _fetch(request, Contact, data.contact_id) if data.contact_id else None
    held_at = data.held_at if timezone.is_aware(data.held_at) else timezone.make_aware(data.held_at)
    try:
        d = services.record_strategy_discussion(
            actor=request.user, request=request, held_at=held_at, children=children,
            attendees=_attendees(data.attendees),
            actions=[services.ActionIn(action=a.action, owner=a.owner, due_date=a.due_date) for a in data.actions],
            summary=data.summary, contact=contact, absence_confirmed=data.absence_confirmed,
            absence_reason=data.absence_reason, referral_source=data.referral_source)
    except services.Refused as exc:
        return _refused(exc)
    return Status(201, _strategy_out(d, request.user))


# --- section 47 enquiries ---------------------------------------------------------------------

@router.get("/s47/{int:pk}", response={200: S47Out, 403: Problem, 404: Problem}, auth=Capability("protection.view"),
            summary="A section 47 enquiry, with its initial conference clock")
def get_s47(request, pk: int):
    s = _fetch(request, S47Enquiry, pk)
    record(request, Action.VIEW, obj=s, summary=f"API: {s}")
    return _s47_out(s)


get_s47.url_models = {"pk": S47Enquiry}


@router.patch("/s47/{int:pk}", response={200: S47Out, 403: Problem, 404: Problem, 409: Problem, 422: Problem},
              auth=Capability("protection.record"), summary="Record the outcome of a section 47 enquiry")
def record_s47_outcome(request, pk: int, data: S47OutcomeIn):
    s = _fetch(request, S47Enquiry, pk, "change")
    try:
        services.record_s47_outcome(actor=request.user, request=request, s47=s, expected_version=data.version,
                                    outcome=data.outcome, completed_date=data.completed_date)
    except services.Refused as exc:
        return _refused(exc)
    except StaleEdit as stale:
        return Status(409, {"detail": f"{stale.changed_by or 'Another user'} changed this enquiry after version "
                                      f"{data.version}; read it again (now version {stale.obj.version})"})
    return _s47_out(s)


record_s47_outcome.url_models = {"pk": S47Enquiry}


# --- conferences ------------------------------------------------------------------------------

class ConferenceSummary(Schema):
    id: int
    kind: str
    held_on: dt.date
    plan_needed: bool = Field(..., description="For this child. Initial: a plan is needed. Review: the plan continues")
    category: str
    plan_id: int | None


@router.get("/conferences", response={200: list[ConferenceSummary], 403: Problem, 404: Problem},
            auth=Capability("protection.view"), summary="A child's child protection conferences")
def list_conferences(request, person: int):
    from haven.people.models import Person

    child = _fetch(request, Person, person)
    rows = (ConferenceChild.objects.visible_to(request.user).filter(person=child).select_related("conference")
            .order_by("-conference__held_on"))
    record(request, Action.VIEW, obj=child, summary=f"API: conferences of {child.full_name}")
    return [{"id": cc.conference_id, "kind": cc.conference.kind, "held_on": cc.conference.held_on,
             "plan_needed": cc.plan_needed, "category": cc.category, "plan_id": cc.plan_id} for cc in rows]


@router.get("/conferences/{int:pk}", response={200: ConferenceOut, 403: Problem, 404: Problem},
            auth=Capability("protection.view"), summary="A child protection conference and its decisions")
def get_conference(request, pk: int):
    c = _fetch(request, Conference, pk)
    record(request, Action.VIEW, obj=c, summary=f"API: {c}")
    return _conference_out(c, request.user)


get_conference.url_models = {"pk": Conference}


@router.post("/conferences", response={201: ConferenceOut, 403: Problem, 404: Problem, 422: Problem},
             auth=Capability("protection.chair"),
             summary="Record an initial (starts plans) or review (continues or ends plans) conference")
def create_conference(request, data: ConferenceIn):
    from haven.accounts.models import User
    from haven.plans.models import Plan

    chair = None
    if data.chair_id is not None:
        chair = User.objects.filter(pk=data.chair_id, is_active=True).first()
        if chair is None:
            raise HttpError(422, "chair_id: no such user")
    common = dict(actor=request.user, request=request, held_on=data.held_on, chair=chair,
                  parents_received_report=data.parents_received_report, summary=data.summary,
                  attendees=_attendees(data.attendees))
    try:
        if data.kind == "initial":
            if any(c.s47_id is None for c in data.children):
                raise HttpError(422, "children: each child of an initial conference needs s47_id")
            children = [services.InitialChildIn(s47=_fetch(request, S47Enquiry, c.s47_id, "change"),
                                                participation=c.participation, had_advocate=c.had_advocate,
                                                plan_needed=c.plan_needed, category=c.category)
                        for c in data.children]
            conference = services.record_initial_conference(children=children, **common)
        else:
            if any(c.plan_id is None for c in data.children):
                raise HttpError(422, "children: each child of a review conference needs plan_id")
            children = [services.ReviewChildIn(plan=_fetch(request, Plan, c.plan_id, "change"),
                                               participation=c.participation, had_advocate=c.had_advocate,
                                               plan_continues=c.plan_continues, category=c.category,
                                               end_reason=c.end_reason)
                        for c in data.children]
            conference = services.record_review_conference(children=children, **common)
    except services.Refused as exc:
        return _refused(exc)
    return Status(201, _conference_out(conference, request.user))
