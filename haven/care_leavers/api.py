"""/api/v1/care-leavers endpoints: a young person's leaving care summary (with the category
computed from the care history and its reasons), the list of care leavers in scope, and
recording contacts, accommodation, activities, custody, pathway plans and their reviews. Same
rules as the pages: capability, scope, audit, and the same services and checks (422 with
``errors`` when refused)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from haven.api.auth import Capability
from haven.audit.log import Action, record
from haven.core.codes.looked_after import AccommodationType, InTouch, LeaverEligibility
from haven.core.codes.looked_after import Activity as ActivityCode
from haven.core.views.generic import RestrictedRecord, fetch_in_scope
from haven.people.models import Person

from . import queries, services
from .models import Accommodation, Activity, Custody, LeaverContact, PathwayPlan, PathwayPlanReview

router = Router(tags=["care_leavers"])


class Problem(Schema):
    detail: str


class FieldError(Schema):
    field: str | None
    message: str


class Refused(Schema):
    detail: str
    errors: list[FieldError]


class EligibilityOut(Schema):
    category: LeaverEligibility
    reasons: list[str]
    weeks_counted: str
    days_counted: int
    short_break_days: int
    looked_after_now: bool
    left_care_on: dt.date | None
    eligible_from: dt.date | None


class StatusOut(Schema):
    category: LeaverEligibility
    computed_category: LeaverEligibility
    confirmed_on: dt.date
    override_reason: str


class ClockOut(Schema):
    rule: str
    label: str
    next_due: dt.date | None
    overdue: bool
    last_done: dt.date | None


class ContactOut(Schema):
    id: int
    contact_on: dt.date
    method: LeaverContact.Method
    in_touch: InTouch
    seen: bool
    notes: str


class AccommodationOut(Schema):
    id: int
    start_date: dt.date
    end_date: dt.date | None
    kind: AccommodationType
    suitable: bool | None
    code: str
    postcode: str


class ActivityOut(Schema):
    id: int
    start_date: dt.date
    end_date: dt.date | None
    code: ActivityCode
    in_eet: bool


class CustodyOut(Schema):
    id: int
    start_date: dt.date
    end_date: dt.date | None
    establishment: str
    contact_every_days: int


class CustodyNow(CustodyOut):
    last_contact: dt.date | None
    days_since_contact: int | None
    next_contact_due: dt.date
    contact_overdue: bool


class PlanOut(Schema):
    id: int
    person_id: int
    needs_assessment_completed_on: dt.date | None
    plan_agreed_on: dt.date | None
    next_review_on: dt.date | None
    end_date: dt.date | None
    accommodation: str
    education_training_employment: str
    health: str
    finance: str
    relationships: str
    identity: str
    contingency: str
    version: int


class ReviewOut(Schema):
    id: int
    plan_id: int
    held_on: dt.date
    young_person_took_part: bool
    notes: str


class LeaverOut(Schema):
    person_id: int
    age: int | None
    category: LeaverEligibility = Field(..., description="Confirmed category, or the computed one if not confirmed")
    computed: EligibilityOut
    status: StatusOut | None
    personal_adviser: str | None
    pathway_plan: PlanOut | None
    pathway_review: ClockOut | None
    needs_assessment: ClockOut | None
    in_touch: bool | None
    last_contact: ContactOut | None
    accommodation: AccommodationOut | None
    activity: ActivityOut | None
    custody: CustodyNow | None


class LeaverRow(Schema):
    person_id: int
    name: str
    age: int | None
    category: LeaverEligibility
    personal_adviser: str | None
    in_touch: bool | None
    in_eet: bool | None
    suitable_accommodation: bool | None
    in_custody: bool
    pathway_review_due: dt.date | None
    pathway_review_overdue: bool


class ContactIn(Schema):
    contact_on: dt.date
    method: LeaverContact.Method
    in_touch: InTouch
    seen: bool = False
    notes: str = ""


class AccommodationIn(Schema):
    start_date: dt.date
    end_date: dt.date | None = None
    kind: AccommodationType
    suitable: bool | None = Field(None, description="Required unless kind is G (gone abroad) or H (deported)")
    address: str = ""
    postcode: str = Field("", max_length=8)


class ActivityIn(Schema):
    start_date: dt.date
    end_date: dt.date | None = None
    code: ActivityCode


class CustodyIn(Schema):
    start_date: dt.date
    end_date: dt.date | None = None
    establishment: str = Field(..., min_length=1, max_length=200)
    contact_every_days: Custody.Frequency = Custody.Frequency.FOUR_WEEKLY
    expected_release_on: dt.date | None = None
    notes: str = ""


class PlanIn(Schema):
    needs_assessment_completed_on: dt.date | None = None
    plan_agreed_on: dt.date | None = None
    next_review_on: dt.date | None = None
    accommodation: str = ""
    education_training_employment: str = ""
    health: str = ""
    finance: str = ""
    relationships: str = ""
    identity: str = ""
    contingency: str = ""


class ReviewIn(Schema):
    held_on: dt.date
    young_person_took_part: bool = True
    notes: str = ""


def _fetch(request, model, pk: int, action: str = "view"):
    try:
        return fetch_in_scope(model, request.user, pk, action)
    except RestrictedRecord:
        raise HttpError(403, "This record is restricted; use break-glass in the web application") from None
    except Http404:
        raise HttpError(404, "Not found") from None


def _refused(error: services.LeaverError):
    return Status(422, {"detail": str(error), "errors": [{"field": f, "message": m} for f, m in error.errors]})


def _clock(clock) -> dict | None:
    if clock is None:
        return None
    return {"rule": clock.rule, "label": clock.label, "next_due": clock.due, "overdue": clock.overdue,
            "last_done": clock.last_done}


def _adviser(leaver) -> str | None:
    a = leaver.adviser
    if a is None or a.worker is None:
        return None
    return a.worker.get_full_name() or a.worker.get_username()


def _leaver_out(leaver) -> dict:
    e = leaver.eligibility
    custody = None
    if leaver.custody is not None:
        c = leaver.custody
        custody = {**{f: getattr(c.spell, f) for f in ("id", "start_date", "end_date", "establishment",
                                                         "contact_every_days")},
                   "last_contact": c.last_contact, "days_since_contact": c.days_since, "next_contact_due": c.next_due,
                   "contact_overdue": c.overdue}
    return {
        "person_id": leaver.person.pk, "age": leaver.age, "category": leaver.category,
        "computed": {"category": e.category, "reasons": e.reasons, "weeks_counted": e.weeks_counted,
                     "days_counted": e.days_counted, "short_break_days": e.short_break_days,
                     "looked_after_now": e.looked_after_now, "left_care_on": e.left_care_on,
                     "eligible_from": e.eligible_from},
        "status": leaver.status, "personal_adviser": _adviser(leaver), "pathway_plan": leaver.plan,
        "pathway_review": _clock(leaver.review_clock), "needs_assessment": _clock(leaver.assessment_clock),
        "in_touch": leaver.in_touch, "last_contact": leaver.last_contact, "accommodation": leaver.accommodation,
        "activity": leaver.activity, "custody": custody,
    }


@router.get("/", response={200: list[LeaverRow], 403: Problem}, auth=Capability("care_leavers.team"),
            summary="Care leavers in scope (in touch, EET, suitable accommodation)")
def list_leavers(request, category: LeaverEligibility | None = None):
    rows = queries.team_rows(request.user)
    if category:
        rows = [r for r in rows if r.category == category]
    record(request, Action.VIEW, summary=f"API: care leavers list ({len(rows)})")
    return [{"person_id": r.person.pk, "name": r.person.full_name, "age": r.age, "category": r.category,
             "personal_adviser": _adviser(r), "in_touch": r.in_touch, "in_eet": r.in_eet,
             "suitable_accommodation": r.suitable, "in_custody": r.custody is not None,
             "pathway_review_due": r.review_clock.due if r.review_clock else None,
             "pathway_review_overdue": bool(r.review_clock and r.review_clock.overdue)} for r in rows]


@router.get("/{int:person_pk}", response={200: LeaverOut, 403: Problem, 404: Problem},
            auth=Capability("care_leavers.view"), summary="A young person's leaving care summary, with the computed category")
def get_leaver(request, person_pk: int):
    person = _fetch(request, Person, person_pk)
    record(request, Action.VIEW, obj=person, summary=f"API: leaving care of {person.full_name}")
    return _leaver_out(queries.leaver_for(person, request.user))


def _create(request, person_pk: int, obj):
    person = _fetch(request, Person, person_pk, "change")
    obj.person = person
    try:
        services.save_record(actor=request.user, obj=obj, request=request)
    except services.LeaverError as error:
        return _refused(error)
    return Status(201, obj)


@router.post("/{int:person_pk}/contacts", response={201: ContactOut, 403: Problem, 404: Problem, 422: Refused},
             auth=Capability("care_leavers.record"), summary="Record a contact with a care leaver")
def create_contact(request, person_pk: int, data: ContactIn):
    return _create(request, person_pk, LeaverContact(by=request.user, **data.dict()))


@router.post("/{int:person_pk}/accommodation", response={201: AccommodationOut, 403: Problem, 404: Problem, 422: Refused},
             auth=Capability("care_leavers.record"), summary="Record a care leaver's accommodation")
def create_accommodation(request, person_pk: int, data: AccommodationIn):
    return _create(request, person_pk, Accommodation(**data.dict()))


@router.post("/{int:person_pk}/activities", response={201: ActivityOut, 403: Problem, 404: Problem, 422: Refused},
             auth=Capability("care_leavers.record"), summary="Record a care leaver's activity (EET code)")
def create_activity(request, person_pk: int, data: ActivityIn):
    return _create(request, person_pk, Activity(**data.dict()))


@router.post("/{int:person_pk}/custody", response={201: CustodyOut, 403: Problem, 404: Problem, 422: Refused},
             auth=Capability("care_leavers.record"), summary="Record a spell in custody")
def create_custody(request, person_pk: int, data: CustodyIn):
    return _create(request, person_pk, Custody(**data.dict()))


@router.post("/{int:person_pk}/pathway-plans", response={201: PlanOut, 403: Problem, 404: Problem, 422: Refused},
             auth=Capability("care_leavers.record"), summary="Start a pathway plan")
def create_plan(request, person_pk: int, data: PlanIn):
    person = _fetch(request, Person, person_pk, "change")
    try:
        plan = services.create_pathway_plan(actor=request.user, person=person, request=request, **data.dict())
    except services.LeaverError as error:
        return _refused(error)
    return Status(201, plan)


@router.post("/pathway-plans/{int:pk}/reviews", response={201: ReviewOut, 403: Problem, 404: Problem, 422: Refused},
             auth=Capability("care_leavers.record"), summary="Record a pathway plan review")
def create_review(request, pk: int, data: ReviewIn):
    plan = _fetch(request, PathwayPlan, pk, "change")
    try:
        review = services.record_review(actor=request.user, plan=plan, request=request, **data.dict())
    except services.LeaverError as error:
        return _refused(error)
    return Status(201, review)


# --- lists (each on the same path as its create, so a path is readable before it is written) ---

def _list(request, person_pk: int, model, what: str, order: str):
    person = _fetch(request, Person, person_pk)
    record(request, Action.VIEW, obj=person, summary=f"API: {what} of {person.full_name}")
    return list(model.objects.visible_to(request.user).filter(person=person).order_by(order, "-pk"))


@router.get("/{int:person_pk}/contacts", response={200: list[ContactOut], 403: Problem, 404: Problem},
            auth=Capability("care_leavers.view"), summary="A care leaver's contacts, newest first")
def list_leaver_contacts(request, person_pk: int):
    return _list(request, person_pk, LeaverContact, "contacts", "-contact_on")


@router.get("/{int:person_pk}/accommodation", response={200: list[AccommodationOut], 403: Problem, 404: Problem},
            auth=Capability("care_leavers.view"), summary="A care leaver's accommodation, newest first")
def list_leaver_accommodation(request, person_pk: int):
    return _list(request, person_pk, Accommodation, "accommodation", "-start_date")


@router.get("/{int:person_pk}/activities", response={200: list[ActivityOut], 403: Problem, 404: Problem},
            auth=Capability("care_leavers.view"), summary="A care leaver's activities, newest first")
def list_leaver_activities(request, person_pk: int):
    return _list(request, person_pk, Activity, "activities", "-start_date")


@router.get("/{int:person_pk}/custody", response={200: list[CustodyOut], 403: Problem, 404: Problem},
            auth=Capability("care_leavers.view"), summary="A care leaver's spells in custody, newest first")
def list_leaver_custody(request, person_pk: int):
    return _list(request, person_pk, Custody, "custody", "-start_date")


@router.get("/{int:person_pk}/pathway-plans", response={200: list[PlanOut], 403: Problem, 404: Problem},
            auth=Capability("care_leavers.view"), summary="A care leaver's pathway plans, newest first")
def list_pathway_plans(request, person_pk: int):
    return _list(request, person_pk, PathwayPlan, "pathway plans", "-plan_agreed_on")


@router.get("/pathway-plans/{int:pk}/reviews", response={200: list[ReviewOut], 403: Problem, 404: Problem},
            auth=Capability("care_leavers.view"), summary="The reviews of a pathway plan, newest first")
def list_pathway_reviews(request, pk: int):
    plan = _fetch(request, PathwayPlan, pk)
    record(request, Action.VIEW, obj=plan, summary=f"API: pathway plan reviews of {plan.person.full_name}")
    return list(PathwayPlanReview.objects.visible_to(request.user).filter(plan=plan).order_by("-held_on", "-pk"))


# The URL permission walk reads which model a path parameter names from here.
for _endpoint in (get_leaver, create_contact, create_accommodation, create_activity, create_custody, create_plan,
                  list_leaver_contacts, list_leaver_accommodation, list_leaver_activities, list_leaver_custody,
                  list_pathway_plans):
    _endpoint.url_models = {"person_pk": Person}
create_review.url_models = {"pk": PathwayPlan}
list_pathway_reviews.url_models = {"pk": PathwayPlan}
