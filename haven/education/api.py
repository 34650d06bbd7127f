"""Education endpoints of /api/v1/education: for each record (schools, personal education plans,
attendance, exclusions, virtual school notes) a child's list, one record, and recording a new
one; and the child's PEP clock. Same rules as the pages: capability, scope (out of scope is 404),
audit of every read, and the same checks (a refusal is 422 with one message per problem)."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from haven.api.auth import Capability
from haven.audit.log import Action, record
from haven.core.views.generic import RestrictedRecord, fetch_in_scope
from haven.people.models import Person

from . import queries, services
from .models import Attendance, Exclusion, PersonalEducationPlan, SchoolPlacement, VirtualSchoolNote

router = Router(tags=["education"])


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


class SchoolIn(Schema):
    person_id: int
    school_name: str = Field(..., max_length=200)
    urn: str = Field("", description="6 digits")
    start_date: dt.date
    end_date: dt.date | None = None
    year_group: str = Field("", description="N1, N2, R, 1-13 or X")


class SchoolOut(Recorded):
    school_name: str
    urn: str
    start_date: dt.date
    end_date: dt.date | None
    year_group: str


class PEPIn(Schema):
    person_id: int
    held_on: dt.date
    school_id: int | None = Field(None, description="One of the child's schools")
    attendees: str
    child_views: str = ""
    targets: str = Field(..., description="One target a line: specific, measurable, who helps, by when")
    pupil_premium_plus: str = ""
    designated_teacher: str = Field("", max_length=120)


class PEPOut(Recorded):
    held_on: dt.date
    school_id: int | None
    attendees: str
    child_views: str
    targets: str
    pupil_premium_plus: str
    designated_teacher: str
    untimed_targets: list[str] = Field(..., description="Targets that do not say by when (a practice gap)")


class AttendanceIn(Schema):
    person_id: int
    school_id: int | None = None
    start_date: dt.date
    end_date: dt.date
    sessions_possible: int
    sessions_attended: int


class AttendanceOut(Recorded):
    school_id: int | None
    start_date: dt.date
    end_date: dt.date
    sessions_possible: int
    sessions_attended: int
    percentage: Decimal | None
    persistent_absence: bool = Field(..., description="Attendance below 90%")


class ExclusionIn(Schema):
    person_id: int
    school_id: int | None = None
    kind: Literal["suspension", "permanent"]
    start_date: dt.date
    sessions: int | None = Field(None, description="Suspensions: length in half-day sessions")
    reason: str


class ExclusionOut(Recorded):
    school_id: int | None
    kind: str
    start_date: dt.date
    sessions: int | None
    reason: str


class NoteIn(Schema):
    person_id: int
    written_on: dt.date
    note: str
    author: str = Field("", max_length=120, description="Defaults to you")


class NoteOut(Recorded):
    written_on: dt.date
    note: str
    author: str


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


def _values(request, person, data) -> dict:
    values = data.dict(exclude={"person_id"})
    if "school_id" in values:
        school_id = values.pop("school_id")
        values["school"] = None
        if school_id is not None:
            values["school"] = SchoolPlacement.objects.visible_to(request.user).filter(pk=school_id).first()
            if values["school"] is None or values["school"].person_id != person.pk:
                raise HttpError(422, "school_id: not one of this child's schools")
    if "author" in values and not values["author"].strip():
        values["author"] = request.user.get_full_name() or request.user.get_username()
    return values


def _endpoints(path: str, model, schema_in, schema_out, label: str):
    """List a child's records, read one, record one."""

    def list_records(request, person: int):
        child = _fetch(request, Person, person)
        record(request, Action.VIEW, obj=child, summary=f"API: {label} records of {child.full_name}")
        return list(model.objects.visible_to(request.user).filter(person=child))

    def get_record(request, pk: int):
        obj = _fetch(request, model, pk)
        record(request, Action.VIEW, obj=obj, summary=f"API: {obj}")
        return obj

    def create_record(request, data: schema_in):
        person = _fetch(request, Person, data.person_id, "change")
        try:
            obj = services.create(model, actor=request.user, person=person, data=_values(request, person, data),
                                  request=request)
        except services.Refused as exc:
            return Status(422, {"detail": str(exc), "errors": [{"field": f, "message": m} for f, m in exc.errors]})
        return Status(201, obj)

    create_record.__annotations__["data"] = schema_in
    slug = path.replace("-", "_")
    router.get(f"/{path}", response={200: list[schema_out], 403: Problem, 404: Problem},
               auth=Capability("education.view"), summary=f"A child's {label} records",
               operation_id=f"education_list_{slug}")(list_records)
    router.get(f"/{path}/{{int:pk}}", response={200: schema_out, 403: Problem, 404: Problem},
               auth=Capability("education.view"), summary=f"One {label} record",
               operation_id=f"education_get_{slug}")(get_record)
    router.post(f"/{path}", response={201: schema_out, 403: Problem, 404: Problem, 422: Problem},
                auth=Capability("education.record"), summary=f"Record a {label}",
                operation_id=f"education_create_{slug}")(create_record)
    get_record.url_models = {"pk": model}


_endpoints("schools", SchoolPlacement, SchoolIn, SchoolOut, "school")
_endpoints("peps", PersonalEducationPlan, PEPIn, PEPOut, "personal education plan")
_endpoints("attendance", Attendance, AttendanceIn, AttendanceOut, "attendance")
_endpoints("exclusions", Exclusion, ExclusionIn, ExclusionOut, "exclusion")
_endpoints("virtual-school-notes", VirtualSchoolNote, NoteIn, NoteOut, "virtual school note")


@router.get("/timescales", response={200: list[ClockOut], 403: Problem, 404: Problem},
            auth=Capability("education.view"), summary="A child's personal education plan clock: next due or overdue")
def timescales(request, person: int):
    child = _fetch(request, Person, person)
    record(request, Action.VIEW, obj=child, summary=f"API: education timescales of {child.full_name}")
    return [{"rule": c["rule"], "label": c["what"], "due": c["due"], "status": c["status"], "overdue": c["overdue"]}
            for c in queries.clocks(child, request.user)]
