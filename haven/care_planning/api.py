"""/api/v1/care-planning: care plans, looked-after reviews (with recommendations, and their
progress), the IRO allocation, statutory visits and the team view as JSON with the same filters
as the page. Same rules as the pages: capability, scope, audit of every read of a child's
record, and the same services (a refusal is 422 with one error per problem)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from haven.api.auth import Capability
from haven.audit.log import Action, record
from haven.core.codes.looked_after import Participation
from haven.core.versioning import StaleEdit
from haven.core.views.generic import RestrictedRecord, fetch_in_scope
from haven.people.models import Person

from . import queries, services
from .models import CarePlan, LACReview, PermanenceAim, ReviewRecommendation

router = Router(tags=["care_planning"])


# -- schemas ---------------------------------------------------------------------------------
class ProblemOut(Schema):
    field: str | None
    message: str


class Problem(Schema):
    detail: str
    errors: list[ProblemOut] = []


class CarePlanOut(Schema):
    id: int
    person_id: int
    period_id: int
    agreed_on: dt.date
    summary: str
    needs: str
    how_met: str
    contact: str
    permanence_aim: str
    permanence_detail: str
    child_views: str
    gaps: list[str] = Field(..., description="Sections left empty: how needs are met, contact, the child's views")
    version: int


class CarePlanIn(Schema):
    person_id: int
    agreed_on: dt.date
    summary: str = Field(..., min_length=1)
    needs: str = Field(..., min_length=1)
    permanence_aim: PermanenceAim
    how_met: str = ""
    contact: str = ""
    permanence_detail: str = ""
    child_views: str = ""


class RecommendationOut(Schema):
    id: int
    review_id: int
    action: str
    owner: str
    measurable_outcome: str
    due_date: dt.date | None
    status: str
    progress: str
    is_smart: bool
    missing: list[str]
    version: int


class RecommendationIn(Schema):
    action: str = Field(..., min_length=1)
    owner: str = Field("", max_length=120)
    measurable_outcome: str = ""
    due_date: dt.date | None = None
    save_incomplete: bool = Field(False, description="Save even without an owner, a measurable outcome or a due "
                                                     "date (shown as incomplete); otherwise 422")


class RecommendationUpdate(Schema):
    status: ReviewRecommendation.Status
    progress: str | None = None
    version: int


class ReviewOut(Schema):
    id: int
    person_id: int
    period_id: int
    held_on: dt.date
    chair_id: int | None
    participation: str
    child_views: str
    parents_views: str
    decisions: str
    next_review_on: dt.date | None
    recommendations: list[RecommendationOut]
    version: int


class ReviewIn(Schema):
    person_id: int
    held_on: dt.date
    participation: Participation
    decisions: str = Field(..., min_length=1)
    child_views: str = ""
    parents_views: str = ""
    next_review_on: dt.date | None = None
    recommendations: list[RecommendationIn] = []


class AllocationOut(Schema):
    id: int
    role: str
    worker_id: int | None
    worker_name: str
    team_id: int
    start_date: dt.date
    end_date: dt.date | None


class IROIn(Schema):
    person_id: int
    worker_id: int
    start_date: dt.date | None = None


class VisitIn(Schema):
    person_id: int
    occurred_at: dt.datetime
    notes: str = Field(..., min_length=1)
    seen: bool = True
    seen_alone: bool = False


class VisitOut(Schema):
    recording_id: int
    person_id: int
    occurred_at: dt.datetime
    seen: bool
    seen_alone: bool


class DueOut(Schema):
    due: dt.date | None
    status: str
    overdue: bool
    tracked: bool


class TeamRowOut(Schema):
    person_id: int
    local_id: str
    name: str
    period_id: int
    looked_after_since: dt.date
    days_in_care: int
    legal_status: str
    placement_type: str
    location: str
    social_worker: str
    iro: str
    review: DueOut
    visit: DueOut
    health: DueOut
    pep: DueOut


class TeamOut(Schema):
    count: int
    page: int
    pages: int
    results: list[TeamRowOut]


class TeamQuery(Schema):
    authority: int | None = None
    team: int | None = None
    iro: int | None = None
    social_worker: int | None = None
    place: str | None = None
    location: str | None = Field(None, description="IN or OUT")
    overdue: bool = False
    sort: str = Field("name", description="name, place, location, days, social_worker, iro, review, visit, health, "
                                          "pep; prefix - for descending")
    page: int = 1


# -- helpers ---------------------------------------------------------------------------------
def _fetch(request, model, pk: int, action: str = "view"):
    try:
        return fetch_in_scope(model, request.user, pk, action)
    except RestrictedRecord:
        raise HttpError(403, "This record is restricted; use break-glass in the web application") from None
    except Http404:
        raise HttpError(404, "Not found") from None


def _refused(error: services.CarePlanningError):
    return Status(422, {"detail": str(error), "errors": [{"field": f, "message": m} for f, m in error.errors]})


def _plan_out(plan: CarePlan) -> dict:
    return {**{f: getattr(plan, f) for f in ("id", "person_id", "period_id", "agreed_on", "summary", "needs", "how_met",
                                               "contact", "permanence_aim", "permanence_detail", "child_views",
                                               "version")}, "gaps": plan.gaps}


def _review_out(review: LACReview, user) -> dict:
    return {**{f: getattr(review, f) for f in ("id", "person_id", "period_id", "held_on", "chair_id", "participation",
                                                 "child_views", "parents_views", "decisions", "next_review_on",
                                                 "version")},
            "recommendations": list(ReviewRecommendation.objects.visible_to(user).filter(review=review))}


def _allocation_out(a) -> dict:
    return {"id": a.pk, "role": a.role, "worker_id": a.worker_id,
            "worker_name": (a.worker.get_full_name() or a.worker.get_username()) if a.worker_id else "",
            "team_id": a.team_id, "start_date": a.start_date, "end_date": a.end_date}


# -- care plans ------------------------------------------------------------------------------
@router.get("/care-plans", response={200: list[CarePlanOut], 403: Problem, 404: Problem},
            auth=Capability("looked_after.view"), summary="A child's care plans (every agreed version), newest first")
def list_care_plans(request, person: int):
    child = _fetch(request, Person, person)
    record(request, Action.VIEW, obj=child, summary=f"API: care plans of {child.full_name}")
    return [_plan_out(p) for p in CarePlan.objects.visible_to(request.user).filter(person=child)]


@router.post("/care-plans", response={201: CarePlanOut, 403: Problem, 404: Problem, 422: Problem},
             auth=Capability("looked_after.record"), summary="Record an agreed care plan (or a new version)")
def create_care_plan(request, data: CarePlanIn):
    person = _fetch(request, Person, data.person_id, "change")
    try:
        plan = services.agree_care_plan(actor=request.user, person=person, agreed_on=data.agreed_on,
                                        summary=data.summary, needs=data.needs, permanence_aim=data.permanence_aim,
                                        how_met=data.how_met, contact=data.contact,
                                        permanence_detail=data.permanence_detail, child_views=data.child_views,
                                        request=request)
    except services.CarePlanningError as error:
        return _refused(error)
    return Status(201, _plan_out(plan))


@router.get("/care-plans/{int:pk}", response={200: CarePlanOut, 403: Problem, 404: Problem},
            auth=Capability("looked_after.view"), summary="A care plan")
def get_care_plan(request, pk: int):
    plan = _fetch(request, CarePlan, pk)
    record(request, Action.VIEW, obj=plan, summary=f"API: {plan}")
    return _plan_out(plan)


get_care_plan.url_models = {"pk": CarePlan}


# -- reviews ---------------------------------------------------------------------------------
@router.get("/reviews", response={200: list[ReviewOut], 403: Problem, 404: Problem},
            auth=Capability("looked_after.view"), summary="A child's looked-after reviews, newest first")
def list_reviews(request, person: int):
    child = _fetch(request, Person, person)
    record(request, Action.VIEW, obj=child, summary=f"API: looked-after reviews of {child.full_name}")
    return [_review_out(r, request.user) for r in LACReview.objects.visible_to(request.user).filter(person=child)]


@router.post("/reviews", response={201: ReviewOut, 403: Problem, 404: Problem, 422: Problem},
             auth=Capability("looked_after.review"),
             summary="Record a looked-after review chaired by the signed-in IRO, with its recommendations")
def create_review(request, data: ReviewIn):
    person = _fetch(request, Person, data.person_id, "change")
    try:
        review = services.record_review(
            actor=request.user, person=person, held_on=data.held_on, participation=data.participation,
            decisions=data.decisions, child_views=data.child_views, parents_views=data.parents_views,
            next_review_on=data.next_review_on, request=request,
            recommendations=[r.dict() for r in data.recommendations])
    except services.CarePlanningError as error:
        return _refused(error)
    return Status(201, _review_out(review, request.user))


@router.get("/reviews/{int:pk}", response={200: ReviewOut, 403: Problem, 404: Problem},
            auth=Capability("looked_after.view"), summary="A looked-after review with its recommendations")
def get_review(request, pk: int):
    review = _fetch(request, LACReview, pk)
    record(request, Action.VIEW, obj=review, summary=f"API: {review}")
    return _review_out(review, request.user)


@router.post("/reviews/{int:pk}/recommendations", response={201: RecommendationOut, 403: Problem, 404: Problem,
                                                             422: Problem},
             auth=Capability("looked_after.review"), summary="Add a recommendation to a review")
def add_recommendation(request, pk: int, data: RecommendationIn):
    review = _fetch(request, LACReview, pk, "change")
    try:
        rec = services.add_recommendation(actor=request.user, review=review, request=request, **data.dict())
    except services.CarePlanningError as error:
        return _refused(error)
    return Status(201, rec)


for _endpoint in (get_review, add_recommendation):
    _endpoint.url_models = {"pk": LACReview}


@router.get("/recommendations/{int:pk}", response={200: RecommendationOut, 403: Problem, 404: Problem},
            auth=Capability("looked_after.view"), summary="A recommendation of a review, with its progress")
def get_recommendation(request, pk: int):
    rec = _fetch(request, ReviewRecommendation, pk)
    record(request, Action.VIEW, obj=rec, summary=f"API: recommendation {rec.pk}")
    return rec


@router.patch("/recommendations/{int:pk}", response={200: RecommendationOut, 403: Problem, 404: Problem,
                                                     409: Problem, 422: Problem},
              auth=Capability("looked_after.record"), summary="Update the progress of a recommendation")
def update_recommendation(request, pk: int, data: RecommendationUpdate):
    rec = _fetch(request, ReviewRecommendation, pk, "change")
    try:
        services.update_recommendation(actor=request.user, recommendation=rec, status=data.status,
                                       progress=data.progress, expected_version=data.version, request=request)
    except services.CarePlanningError as error:
        return _refused(error)
    except StaleEdit as stale:
        return Status(409, {"detail": f"{stale.changed_by or 'Another user'} changed this recommendation after "
                                      f"version {data.version}; read it again (now version {stale.obj.version})"})
    return rec


for _endpoint in (get_recommendation, update_recommendation):
    _endpoint.url_models = {"pk": ReviewRecommendation}


# -- allocations and visits ------------------------------------------------------------------
@router.get("/allocations", response={200: list[AllocationOut], 403: Problem, 404: Problem},
            auth=Capability("looked_after.view"),
            summary="A child's current IRO, social worker, personal adviser and virtual school allocations")
def list_allocations(request, person: int):
    child = _fetch(request, Person, person)
    record(request, Action.VIEW, obj=child, summary=f"API: allocations of {child.full_name}")
    out = []
    for role, _label in queries.WORKER_ROLES:
        a = services.current_allocation(child, role)
        if a is not None:
            out.append(_allocation_out(a))
    return out


@router.post("/iro", response={201: AllocationOut, 403: Problem, 404: Problem, 422: Problem},
             auth=Capability("looked_after.record"),
             summary="Allocate (or change) a looked-after child's IRO (team managers)")
def allocate_iro(request, data: IROIn):
    from haven.accounts.models import User

    if not request.user.has_capability("people.allocate"):
        raise HttpError(403, "Only a team manager can allocate an independent reviewing officer")
    person = _fetch(request, Person, data.person_id, "change")
    worker = User.objects.filter(pk=data.worker_id, is_active=True).first()
    if worker is None:
        return Status(422, {"detail": "worker_id: no such user",
                            "errors": [{"field": "worker", "message": "No such user"}]})
    try:
        allocation = services.allocate_iro(actor=request.user, person=person, worker=worker,
                                           start_date=data.start_date, request=request)
    except services.CarePlanningError as error:
        return _refused(error)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
    return Status(201, _allocation_out(allocation))


@router.post("/visits", response={201: VisitOut, 403: Problem, 404: Problem, 422: Problem},
             auth=Capability("looked_after.record"), summary="Record a statutory visit to a looked-after child")
def record_visit(request, data: VisitIn):
    if not request.user.has_capability("recording.record"):
        raise HttpError(403, "You need the 'recording.record' capability")
    person = _fetch(request, Person, data.person_id, "change")
    try:
        recording = services.record_visit(actor=request.user, person=person, occurred_at=data.occurred_at,
                                          notes=data.notes, seen=data.seen, seen_alone=data.seen_alone,
                                          request=request)
    except services.CarePlanningError as error:
        return _refused(error)
    subject = recording.subjects.get(person=person)
    return Status(201, {"recording_id": recording.pk, "person_id": person.pk, "occurred_at": recording.occurred_at,
                        "seen": subject.seen, "seen_alone": subject.seen_alone})


# -- team view -------------------------------------------------------------------------------
def _due(d: dict) -> dict:
    return {"due": d["due"], "status": d["status"], "overdue": d["overdue"], "tracked": d["tracked"]}


@router.get("/team", response={200: TeamOut, 403: Problem}, auth=Capability("looked_after.team"),
            summary="Every looked-after child in scope with their next due items (filters as the team page; "
                    "iro=<id> gives an IRO's children)")
def team(request, filters: Query[TeamQuery]):
    from django.core.paginator import Paginator

    data = {k: ("" if v is None else str(v)) for k, v in filters.dict().items() if k not in ("sort", "page")}
    data["overdue"] = "1" if filters.overdue else ""
    qs, sort = queries.team_queryset(request.user, queries.Filters.from_data(data), filters.sort)
    page = Paginator(qs, 100).get_page(filters.page)
    rows = queries.rows_for(page.object_list)
    record(request, Action.SEARCH, summary="API: looked-after children (team view)",
           detail={"filters": {k: v for k, v in data.items() if v}, "sort": sort, "page": page.number})
    return {"count": page.paginator.count, "page": page.number, "pages": page.paginator.num_pages, "results": [
        {"person_id": r.person.pk, "local_id": r.person.local_id, "name": r.person.full_name, "period_id": r.period.pk,
         "looked_after_since": r.period.start_date, "days_in_care": r.days, "legal_status": r.legal_status,
         "placement_type": r.place, "location": r.location, "social_worker": r.social_worker, "iro": r.iro,
         **{key: _due(r.due[key]) for _rule, key, _label in queries.DUE_COLUMNS}} for r in rows]}
