"""Health endpoints of /api/v1/health: for each record (health assessments, dental checks,
immunisations, SDQ scores) a child's list, one record, and recording a new one; and the child's
health clocks. Same rules as the pages: capability, scope (out of scope is 404), audit of every
read, and the same checks (a refusal is 422 with one message per problem)."""

import datetime as dt
from typing import Literal

from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from haven.api.auth import Capability
from haven.audit.log import Action, record
from haven.core.views.generic import RestrictedRecord, fetch_in_scope
from haven.people.models import Person

from . import queries, services
from .models import DentalCheck, HealthAssessment, Immunisations, SDQScore

router = Router(tags=["health"])


class ProblemOut(Schema):
    field: str | None
    message: str


class Problem(Schema):
    detail: str
    errors: list[ProblemOut] = []


class Recorded(Schema):
    id: int
    person_id: int
    version: int


class AssessmentIn(Schema):
    person_id: int
    kind: Literal["initial", "review", "final"]
    completed_on: dt.date
    by_name: str = Field(..., max_length=120, description="The health professional who completed it")
    by_role: str = Field("", max_length=120)
    by_organisation: str = Field("", max_length=160)
    outcome: str = Field(..., description="Outcome summary")
    health_plan_actions: str = ""
    health_history_given_on: dt.date | None = Field(None, description="Final assessments only")


class AssessmentOut(Recorded):
    kind: str
    completed_on: dt.date
    by_name: str
    by_role: str
    by_organisation: str
    outcome: str
    health_plan_actions: str
    health_history_given_on: dt.date | None


class DentalIn(Schema):
    person_id: int
    checked_on: dt.date
    practice: str = Field("", max_length=160)
    treatment_needed: bool = False
    notes: str = ""


class DentalOut(Recorded):
    checked_on: dt.date
    practice: str
    treatment_needed: bool
    notes: str


class ImmunisationsIn(Schema):
    person_id: int
    recorded_on: dt.date
    up_to_date: bool
    notes: str = Field("", description="Required when not up to date: what is missing and what is planned")


class ImmunisationsOut(Recorded):
    recorded_on: dt.date
    up_to_date: bool
    notes: str


class SDQIn(Schema):
    person_id: int
    completed_on: dt.date
    score: int | None = Field(None, description="0 to 40; or leave out and give reason")
    reason: str = Field("", description="SDQ1 to SDQ5 when there is no score")
    completed_by: Literal["", "carer", "parent", "teacher", "young_person", "other"] = ""


class SDQOut(Recorded):
    completed_on: dt.date
    score: int | None
    reason: str
    completed_by: str


class ClockOut(Schema):
    rule: str
    label: str
    due: dt.date
    status: str
    overdue: bool


def _fetch(request, model, pk: int, action: str = "view"):
    try:
        return fetch_in_scope(model, request.user, pk, action)
    except RestrictedRecord:
        raise HttpError(403, "This record is restricted; use break-glass in the web application") from None
    except Http404:
        raise HttpError(404, "Not found") from None


def _endpoints(path: str, model, schema_in, schema_out, label: str):
    """List a child's records, read one, record one."""

    def list_records(request, person: int):
        child = _fetch(request, Person, person)
        record(request, Action.VIEW, obj=child, summary=f"API: {label}s of {child.full_name}")
        return list(model.objects.visible_to(request.user).filter(person=child))

    def get_record(request, pk: int):
        obj = _fetch(request, model, pk)
        record(request, Action.VIEW, obj=obj, summary=f"API: {obj}")
        return obj

    def create_record(request, data: schema_in):
        person = _fetch(request, Person, data.person_id, "change")
        values = data.dict(exclude={"person_id"})
        try:
            obj = services.create(model, actor=request.user, person=person, data=values, request=request)
        except services.Refused as exc:
            return Status(422, {"detail": str(exc), "errors": [{"field": f, "message": m} for f, m in exc.errors]})
        return Status(201, obj)

    create_record.__annotations__["data"] = schema_in
    slug = path.replace("-", "_")
    router.get(f"/{path}", response={200: list[schema_out], 403: Problem, 404: Problem},
               auth=Capability("health.view"), summary=f"A child's {label}s",
               operation_id=f"health_list_{slug}")(list_records)
    router.get(f"/{path}/{{int:pk}}", response={200: schema_out, 403: Problem, 404: Problem},
               auth=Capability("health.view"), summary=f"One {label}", operation_id=f"health_get_{slug}")(get_record)
    router.post(f"/{path}", response={201: schema_out, 403: Problem, 404: Problem, 422: Problem},
                auth=Capability("health.record"), summary=f"Record a {label}",
                operation_id=f"health_create_{slug}")(create_record)
    get_record.url_models = {"pk": model}


_endpoints("assessments", HealthAssessment, AssessmentIn, AssessmentOut, "health assessment")
_endpoints("dental-checks", DentalCheck, DentalIn, DentalOut, "dental check")
_endpoints("immunisations", Immunisations, ImmunisationsIn, ImmunisationsOut, "immunisations check")
_endpoints("sdq-scores", SDQScore, SDQIn, SDQOut, "SDQ score")


@router.get("/timescales", response={200: list[ClockOut], 403: Problem, 404: Problem}, auth=Capability("health.view"),
            summary="A child's health clocks: health assessment and dental check, next due or overdue")
def timescales(request, person: int):
    child = _fetch(request, Person, person)
    record(request, Action.VIEW, obj=child, summary=f"API: health timescales of {child.full_name}")
    return [{"rule": c["rule"], "label": c["what"], "due": c["due"], "status": c["status"], "overdue": c["overdue"]}
            for c in queries.clocks(child, request.user)]
