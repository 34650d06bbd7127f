"""Plans endpoints of /api/v1: a plan with its objectives, actions (and which are incomplete),
reviews and clocks; starting a child in need plan; adding an action. Same rules as the pages:
capability, scope, audit, and the same services."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from haven.api.auth import Capability
from haven.audit.log import Action, record
from haven.core.views.generic import RestrictedRecord, fetch_in_scope
from haven.people.models import Person

from . import checks, services
from .deadlines import clocks_for
from .models import ACTION_ORDER, Plan, PlanAction, PlanObjective, PlanReview

router = Router(tags=["plans"])


class Problem(Schema):
    detail: str


class ActionOut(Schema):
    id: int
    objective_id: int | None
    action: str
    owner: str
    measurable_outcome: str
    due_date: dt.date | None
    status: str
    is_smart: bool
    missing: list[str] = Field(..., description="What the action lacks: an owner, a measurable outcome, a due date")
    version: int


class ObjectiveOut(Schema):
    id: int
    text: str
    actions: list[ActionOut]


class ReviewOut(Schema):
    id: int
    held_on: dt.date
    notes: str


class ClockOut(Schema):
    rule: str
    label: str
    next_due: dt.date | None
    overdue: bool
    last_done: dt.date | None


class PlanSummary(Schema):
    id: int
    person_id: int
    kind: str
    start_date: dt.date
    end_date: dt.date | None
    end_reason: str
    initial_category: str
    latest_category: str
    version: int


class PlanOut(PlanSummary):
    episode_id: int
    summary: str
    child_friendly: str
    objectives: list[ObjectiveOut]
    other_actions: list[ActionOut] = Field(..., description="Actions not linked to an objective")
    incomplete_count: int = Field(..., description="Actions without an owner, a measurable outcome or a due date")
    incomplete: list[ActionOut]
    reviews: list[ReviewOut]
    timescales: list[ClockOut]


class CINPlanIn(Schema):
    person_id: int
    start_date: dt.date
    summary: str = Field(..., min_length=1, description="What needs to change")
    child_friendly: str = ""


class ActionIn(Schema):
    action: str = Field(..., min_length=1)
    owner: str = Field("", max_length=120)
    measurable_outcome: str = ""
    due_date: dt.date | None = None
    objective_id: int | None = None
    status: PlanAction.Status = PlanAction.Status.NOT_STARTED
    save_incomplete: bool = Field(False, description="Save even without an owner, a measurable outcome or a due "
                                                     "date (the plan shows it as incomplete); otherwise 422")


def _fetch(request, model, pk: int, action: str = "view"):
    try:
        return fetch_in_scope(model, request.user, pk, action)
    except RestrictedRecord:
        raise HttpError(403, "This record is restricted; use break-glass in the web application") from None
    except Http404:
        raise HttpError(404, "Not found") from None


def _plan_out(plan: Plan, user) -> dict:
    objectives = list(PlanObjective.objects.visible_to(user).filter(plan=plan))
    actions = list(PlanAction.objects.visible_to(user).filter(plan=plan).order_by(*ACTION_ORDER))
    ids = {o.pk for o in objectives}
    return {
        **{f: getattr(plan, f) for f in ("id", "person_id", "episode_id", "kind", "start_date", "end_date", "end_reason",
                                           "initial_category", "latest_category", "version", "summary", "child_friendly")},
        "objectives": [{"id": o.pk, "text": o.text, "actions": [a for a in actions if a.objective_id == o.pk]}
                       for o in objectives],
        "other_actions": [a for a in actions if a.objective_id not in ids],
        "incomplete_count": sum(1 for a in actions if not a.is_smart),
        "incomplete": [a for a in actions if not a.is_smart],
        "reviews": list(PlanReview.objects.visible_to(user).filter(plan=plan)),
        "timescales": [{"rule": c.rule, "label": c.label, "next_due": c.due, "overdue": c.overdue,
                        "last_done": c.last_done} for c in clocks_for(plan, user)],
    }


@router.get("/", response={200: list[PlanSummary], 403: Problem, 404: Problem}, auth=Capability("plans.view"),
            summary="A child's plans")
def list_plans(request, person: int):
    child = _fetch(request, Person, person)
    record(request, Action.VIEW, obj=child, summary=f"API: plans of {child.full_name}")
    return list(Plan.objects.visible_to(request.user).filter(person=child))


@router.post("/", response={201: PlanOut, 403: Problem, 404: Problem, 422: Problem}, auth=Capability("plans.record"),
             summary="Start a child in need plan")
def create_cin_plan(request, data: CINPlanIn):
    person = _fetch(request, Person, data.person_id, "change")
    try:
        plan = services.create_cin_plan(actor=request.user, person=person, start_date=data.start_date,
                                        summary=data.summary, child_friendly=data.child_friendly, request=request)
    except services.PlanError as error:
        raise HttpError(422, str(error)) from None
    return Status(201, _plan_out(plan, request.user))


@router.get("/{int:pk}", response={200: PlanOut, 403: Problem, 404: Problem}, auth=Capability("plans.view"),
            summary="A plan with its objectives, actions (and which are incomplete), reviews and timescales")
def get_plan(request, pk: int):
    plan = _fetch(request, Plan, pk)
    record(request, Action.VIEW, obj=plan, summary=f"API: {plan}")
    return _plan_out(plan, request.user)


@router.get("/{int:pk}/actions", response={200: list[ActionOut], 403: Problem, 404: Problem},
            auth=Capability("plans.view"), summary="A plan's actions")
def list_actions(request, pk: int):
    plan = _fetch(request, Plan, pk)
    record(request, Action.VIEW, obj=plan, summary=f"API: actions of {plan}")
    return list(PlanAction.objects.visible_to(request.user).filter(plan=plan).order_by(*ACTION_ORDER))


@router.post("/{int:pk}/actions", response={201: ActionOut, 403: Problem, 404: Problem, 422: Problem},
             auth=Capability("plans.record"), summary="Add an action to a plan")
def add_action(request, pk: int, data: ActionIn):
    plan = _fetch(request, Plan, pk, "change")
    objective = None
    if data.objective_id is not None:
        objective = PlanObjective.objects.visible_to(request.user).filter(pk=data.objective_id, plan=plan).first()
        if objective is None:
            raise HttpError(422, "objective_id: not an objective of this plan")
    try:
        action = services.add_action(actor=request.user, plan=plan, action=data.action, owner=data.owner,
                                     measurable_outcome=data.measurable_outcome, due_date=data.due_date,
                                     objective=objective, status=data.status, save_incomplete=data.save_incomplete,
                                     request=request)
    except services.IncompleteAction as error:
        them = "them" if len(error.missing) > 1 else "it"
        raise HttpError(422, f"This action does not have {checks.join_missing(error.missing)}. Add {them}, or send "
                             "save_incomplete: true to save it as incomplete") from None
    except services.PlanError as error:
        raise HttpError(422, str(error)) from None
    return Status(201, action)


# The URL permission walk reads which model a path parameter names from here.
for _endpoint in (get_plan, list_actions, add_action):
    _endpoint.url_models = {"pk": Plan}
