"""Permanence endpoints of /api/v1 (/api/v1/permanence): a child's permanence summary, care
proceedings with their 26-week clock, the adoption measures, and one create endpoint per record.
Same rules as the pages: capability, scope (out of scope is 404), audit of every read, and the
same service functions for every change (a refusal is 422 with one message per problem, a stale
version 409)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from haven.api.auth import Capability
from haven.audit.log import Action, record
from haven.core.versioning import StaleEdit
from haven.core.views.generic import RestrictedRecord, fetch_in_scope

from . import measures, queries, services
from .models import CareProceedings, PreProceedings

router = Router(tags=["permanence"])


# --- schemas ----------------------------------------------------------------------------------

class ProblemOut(Schema):
    field: str
    message: str


class Problem(Schema):
    detail: str
    errors: list[ProblemOut] = []


class PlanOut(Schema):
    id: int
    plan: str
    decided_on: dt.date
    reason: str
    is_current: bool
    period_id: int | None


class MeetingOut(Schema):
    id: int
    held_on: dt.date
    attendees: str
    decisions: str
    next_meeting_on: dt.date | None


class PreProceedingsOut(Schema):
    id: int
    letter_before_proceedings_on: dt.date | None
    pla_meeting_on: dt.date
    outcome: str
    ended_on: dt.date | None
    version: int


class ProceedingsOut(Schema):
    id: int
    person_id: int
    court: str
    case_number: str
    application: str
    issued_on: dt.date
    pre_proceedings_id: int | None
    interim_order_on: dt.date | None
    interim_renewed_on: dt.date | None
    final_hearing_on: dt.date | None
    concluded_on: dt.date | None
    outcome: str
    extension_granted: bool
    extension_reason: str
    extended_to: dt.date | None
    version: int
    due: dt.date | None = Field(None, description="When the proceedings must be decided (rule proceedings_26w)")
    status: str | None = Field(None, description="The 26-week clock, in words")
    overdue: bool = False


class AdoptionStepOut(Schema):
    id: int
    kind: str
    decided_on: dt.date
    reason_ceased: str
    notes: str


class SGOOut(Schema):
    id: int
    granted_on: dt.date
    guardians: str
    relationship: str
    support_plan: str
    proceedings_id: int | None


class SummaryOut(Schema):
    person_id: int
    current_plan: PlanOut | None
    plans: list[PlanOut]
    meetings: list[MeetingOut]
    pre_proceedings: list[PreProceedingsOut]
    proceedings: list[ProceedingsOut]
    adoption_stage: str
    adoption: list[AdoptionStepOut]
    special_guardianship_orders: list[SGOOut]


class PlanIn(Schema):
    person_id: int
    plan: str = Field(..., description="return_home, kinship, sgo, cao, long_term_fostering, adoption, residential, "
                                       "independence, other")
    decided_on: dt.date
    reason: str


class MeetingIn(Schema):
    person_id: int
    held_on: dt.date
    attendees: str = ""
    decisions: str
    next_meeting_on: dt.date | None = None


class PreProceedingsIn(Schema):
    person_id: int
    pla_meeting_on: dt.date
    letter_before_proceedings_on: dt.date | None = None
    outcome: str = Field("ongoing", description="ongoing, diverted or issued")
    ended_on: dt.date | None = None


class ProceedingsIn(Schema):
    person_id: int
    court: str
    case_number: str = ""
    application: str = Field(..., description="care, supervision, care_or_supervision, placement, epo, discharge, other")
    issued_on: dt.date
    pre_proceedings_id: int | None = None
    interim_order_on: dt.date | None = None
    interim_renewed_on: dt.date | None = None
    final_hearing_on: dt.date | None = None
    concluded_on: dt.date | None = None
    outcome: str = ""


class ProceedingsPatch(Schema):
    version: int = Field(..., description="The version you read; a stale version is refused with 409")
    court: str | None = None
    case_number: str | None = None
    application: str | None = None
    issued_on: dt.date | None = None
    interim_order_on: dt.date | None = None
    interim_renewed_on: dt.date | None = None
    final_hearing_on: dt.date | None = None
    concluded_on: dt.date | None = None
    outcome: str | None = None


class ExtensionIn(Schema):
    proceedings_id: int
    extended_to: dt.date
    reason: str


class AdoptionStepIn(Schema):
    person_id: int
    kind: str = Field(..., description="should_be_placed and reversed are the agency decision maker's (permanence.decide); "
                                       "placement_order, matched, moved_in_f2a, placed, adoption_order")
    decided_on: dt.date
    reason_ceased: str = Field("", description="RD1–RD4, when the decision is reversed")
    notes: str = ""


class SGOIn(Schema):
    person_id: int
    granted_on: dt.date
    guardians: str
    relationship: str = Field(..., description="relative, friend, former_foster_carer, other")
    support_plan: str = ""
    proceedings_id: int | None = None


class MeasureRowOut(Schema):
    person_id: int | None = Field(None, description="None when you cannot open the child's record")
    adopted_on: dt.date
    start: dt.date
    end: dt.date
    days: int


class MeasureOut(Schema):
    code: str
    label: str
    average_days: int | None
    children: int
    rows: list[MeasureRowOut]


# --- helpers ----------------------------------------------------------------------------------

def _fetch(request, model, pk: int, action: str = "view"):
    try:
        return fetch_in_scope(model, request.user, pk, action)
    except RestrictedRecord:
        raise HttpError(403, "This record is restricted; use break-glass in the web application") from None
    except Http404:
        raise HttpError(404, "Not found") from None


def _child(request, pk: int, action: str = "change"):
    from haven.people.models import Person

    return _fetch(request, Person, pk, action)


def _refused(exc: services.Refused):
    return Status(422, {"detail": str(exc), "errors": [{"field": p.field, "message": p.message}
                                                       for p in exc.problems]})


def _proceedings_out(p: CareProceedings, deadline=None) -> dict:
    out = {f: getattr(p, f) for f in ("id", "person_id", "court", "case_number", "application", "issued_on",
                                      "pre_proceedings_id", "interim_order_on", "interim_renewed_on",
                                      "final_hearing_on", "concluded_on", "outcome", "extension_granted",
                                      "extension_reason", "extended_to", "version")}
    deadline = deadline if deadline is not None else services.clock(p)
    status = queries.deadline_status(deadline)
    out.update(due=status["due"] if status else None, status=status["status"] if status else None,
               overdue=bool(status and status["overdue"]))
    return out


def _call(func, **kwargs):
    try:
        return func(**kwargs), None
    except services.Refused as exc:
        return None, _refused(exc)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "Forbidden") from None


# --- reads ------------------------------------------------------------------------------------

@router.get("/children/{int:pk}", response={200: SummaryOut, 403: Problem, 404: Problem},
            auth=Capability("permanence.view"),
            summary="A child's permanence: plan and history, meetings, proceedings with the 26-week clock, adoption, SGO",
            url_name="permanence_child_summary")
def child_summary(request, pk: int):
    child = _child(request, pk, "view")
    record(request, Action.VIEW, obj=child, summary=f"API: permanence of {child.full_name}")
    data = queries.summary(child, request.user)
    return {
        "person_id": child.pk, "current_plan": data["current_plan"], "plans": data["plans"],
        "meetings": data["meetings"], "pre_proceedings": data["pre_proceedings"],
        "proceedings": [_proceedings_out(r["proceedings"], r["clock"]["deadline"] if r["clock"] else None)
                        for r in data["proceedings"]],
        "adoption_stage": data["adoption_stage"], "adoption": data["adoption"],
        "special_guardianship_orders": data["sgos"],
    }


@router.get("/proceedings/{int:pk}", response={200: ProceedingsOut, 403: Problem, 404: Problem},
            auth=Capability("permanence.view"), summary="Care proceedings, with the 26-week clock",
            url_name="permanence_get_proceedings")
def get_proceedings(request, pk: int):
    p = _fetch(request, CareProceedings, pk)
    record(request, Action.VIEW, obj=p, summary=f"API: {p}")
    return _proceedings_out(p)


get_proceedings.url_models = {"pk": CareProceedings}


@router.patch("/proceedings/{int:pk}", response={200: ProceedingsOut, 403: Problem, 404: Problem, 409: Problem,
                                                  422: Problem},
              auth=Capability("permanence.record"),
              summary="Update care proceedings: hearings, conclusion and outcome (concluding meets the 26-week clock)",
            url_name="permanence_update_proceedings")
def update_proceedings(request, pk: int, data: ProceedingsPatch):
    p = _fetch(request, CareProceedings, pk, "change")
    fields = data.dict(exclude_unset=True)
    version = fields.pop("version")
    try:
        services.update_proceedings(actor=request.user, request=request, proceedings=p, expected_version=version,
                                    **fields)
    except services.Refused as exc:
        return _refused(exc)
    except StaleEdit as stale:
        return Status(409, {"detail": f"{stale.changed_by or 'Another user'} changed these proceedings after version "
                                      f"{version}; read them again (now version {stale.obj.version})"})
    return _proceedings_out(p)


update_proceedings.url_models = {"pk": CareProceedings}


# --- creates ----------------------------------------------------------------------------------

@router.post("/plans", response={201: PlanOut, 403: Problem, 404: Problem, 422: Problem},
             auth=Capability("permanence.record"), summary="Record or change a child's permanence plan",
            url_name="permanence_create_plan")
def create_plan(request, data: PlanIn):
    obj, error = _call(services.set_plan, actor=request.user, request=request, person=_child(request, data.person_id),
                       plan=data.plan, decided_on=data.decided_on, reason=data.reason)
    return error or Status(201, obj)


@router.post("/meetings", response={201: MeetingOut, 403: Problem, 404: Problem, 422: Problem},
             auth=Capability("permanence.record"), summary="Record a permanence planning meeting",
            url_name="permanence_create_meeting")
def create_meeting(request, data: MeetingIn):
    obj, error = _call(services.record_meeting, actor=request.user, request=request,
                       person=_child(request, data.person_id), held_on=data.held_on, attendees=data.attendees,
                       decisions=data.decisions, next_meeting_on=data.next_meeting_on)
    return error or Status(201, obj)


@router.post("/pre-proceedings", response={201: PreProceedingsOut, 403: Problem, 404: Problem, 422: Problem},
             auth=Capability("permanence.record"), summary="Record pre-proceedings (Public Law Outline)",
            url_name="permanence_create_pre_proceedings")
def create_pre_proceedings(request, data: PreProceedingsIn):
    obj, error = _call(services.record_pre_proceedings, actor=request.user, request=request,
                       person=_child(request, data.person_id), pla_meeting_on=data.pla_meeting_on,
                       letter_before_proceedings_on=data.letter_before_proceedings_on, outcome=data.outcome,
                       ended_on=data.ended_on)
    return error or Status(201, obj)


@router.post("/proceedings", response={201: ProceedingsOut, 403: Problem, 404: Problem, 422: Problem},
             auth=Capability("permanence.record"), summary="Record care proceedings (starts the 26-week clock)",
            url_name="permanence_create_proceedings")
def create_proceedings(request, data: ProceedingsIn):
    person = _child(request, data.person_id)
    pre = _fetch(request, PreProceedings, data.pre_proceedings_id, "change") if data.pre_proceedings_id else None
    obj, error = _call(services.issue_proceedings, actor=request.user, request=request, person=person,
                       court=data.court, case_number=data.case_number, application=data.application,
                       issued_on=data.issued_on, pre_proceedings=pre, interim_order_on=data.interim_order_on,
                       interim_renewed_on=data.interim_renewed_on, final_hearing_on=data.final_hearing_on,
                       concluded_on=data.concluded_on, outcome=data.outcome)
    return error or Status(201, _proceedings_out(obj))


@router.post("/extensions", response={201: ProceedingsOut, 403: Problem, 404: Problem, 422: Problem},
             auth=Capability("permanence.record"),
             summary="Record that the court extended the 26 weeks (up to 8 weeks at a time)",
            url_name="permanence_create_extension")
def create_extension(request, data: ExtensionIn):
    p = _fetch(request, CareProceedings, data.proceedings_id, "change")
    _obj, error = _call(services.record_extension, actor=request.user, request=request, proceedings=p,
                        extended_to=data.extended_to, reason=data.reason)
    if error:
        return error
    p.refresh_from_db()
    return Status(201, _proceedings_out(p))


@router.post("/adoption-steps", response={201: AdoptionStepOut, 403: Problem, 404: Problem, 422: Problem},
             auth=Capability("permanence.record"),
             summary="Record a step of the adoption journey (refused when out of order)",
            url_name="permanence_create_adoption_step")
def create_adoption_step(request, data: AdoptionStepIn):
    obj, error = _call(services.record_adoption_step, actor=request.user, request=request,
                       person=_child(request, data.person_id), kind=data.kind, decided_on=data.decided_on,
                       notes=data.notes, reason_ceased=data.reason_ceased)
    return error or Status(201, obj)


@router.post("/special-guardianship-orders", response={201: SGOOut, 403: Problem, 404: Problem, 422: Problem},
             auth=Capability("permanence.record"), summary="Record a special guardianship order",
            url_name="permanence_create_sgo")
def create_sgo(request, data: SGOIn):
    person = _child(request, data.person_id)
    proceedings = _fetch(request, CareProceedings, data.proceedings_id, "change") if data.proceedings_id else None
    obj, error = _call(services.record_sgo, actor=request.user, request=request, person=person,
                       granted_on=data.granted_on, guardians=data.guardians, relationship=data.relationship,
                       support_plan=data.support_plan, proceedings=proceedings)
    return error or Status(201, obj)


# --- measures ---------------------------------------------------------------------------------

@router.get("/adoption-measures", response={200: list[MeasureOut], 403: Problem, 404: Problem},
            auth=Capability("permanence.view"),
            summary="Adoption scorecard A1, A2, A10 for an authority (children adopted in the range), with the children",
            url_name="permanence_adoption_measures")
def adoption_measures(request, authority: int | None = None, start: dt.date | None = None,
                      end: dt.date | None = None):
    from haven.people.models import Person

    from .views import measures_authorities

    allowed = measures_authorities(request.user)
    if not allowed:
        raise HttpError(403, "Adoption measures are for managers and authority-wide readers")
    chosen = allowed[0] if authority is None else next((a for a in allowed if a.pk == authority), None)
    if chosen is None:
        raise HttpError(404, "Not found")
    default_start, default_end = measures.default_range(timezone.localdate())
    start, end = start or default_start, end or default_end
    results = measures.scorecard(chosen, start, end)
    visible = set(Person.objects.visible_to(request.user).filter(
        pk__in=[r.person.pk for m in results for r in m.rows]).values_list("pk", flat=True))
    record(request, Action.VIEW, authority_id=chosen.pk,
           summary=f"API: adoption measures for {chosen.name}, {start:%d/%m/%Y} to {end:%d/%m/%Y}")
    return [{"code": m.code, "label": m.label, "average_days": m.average, "children": m.count,
             "rows": [{"person_id": r.person.pk if r.person.pk in visible else None, "adopted_on": r.adopted_on,
                       "start": r.start, "end": r.end, "days": r.days} for r in m.rows]} for m in results]
