"""/api/v1/looked-after: a child's periods of care with their episodes and placements; start a
period; change placement; change legal status; end a period. Same services, capability checks,
scope and audit as the pages. Refusals answer 422 ``{"detail", "errors": [{"field", "message"}]}``;
SSDA903 warnings answer 422 too (with ``code``) until the body says ``acknowledge_warnings: true``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from haven.api.auth import Capability
from haven.audit.log import Action, record
from haven.core.views.generic import RestrictedRecord, fetch_in_scope
from haven.people.models import Person

from . import services
from .models import Episode, PeriodOfCare, Placement, Provider

router = Router(tags=["looked_after"])


def url_models(**models):
    """Which model each path parameter names (read by the URL permission walk)."""

    def mark(func):
        func.url_models = models
        return func

    return mark


class Problem(Schema):
    detail: str


class ErrorOut(Schema):
    field: str | None
    message: str
    code: str = Field("", description="SSDA903 rule code, for a validation warning")


class Refusal(Schema):
    detail: str
    errors: list[ErrorOut]


class EpisodeOut(Schema):
    id: int
    placement_id: int
    start_date: dt.date
    reason_new: str
    legal_status: str
    category_of_need: str
    end_date: dt.date | None
    end_reason: str
    warnings_acknowledged: str
    version: int


class PlacementOut(Schema):
    id: int
    start_date: dt.date
    end_date: dt.date | None
    place: str
    provider_code: str
    provider_id: int | None
    carer: str
    address: str
    postcode: str
    urn: str
    ofsted_rating: str
    distance_miles: Decimal | None
    location: str
    placing_authority_area: str
    temporary_approval: bool
    reason_for_change: str
    visits: str


class PeriodOut(Schema):
    id: int
    person_id: int
    start_date: dt.date
    end_date: dt.date | None
    end_reason: str
    uasc: bool
    home_postcode: str
    cin_episode_id: int | None
    version: int
    episodes: list[EpisodeOut]
    placements: list[PlacementOut]


class PlacementIn(Schema):
    place: str = Field(..., description="SSDA903 PLACE code")
    provider_code: str = Field("", description="PLACE_PROVIDER; defaults to the provider's type")
    provider_id: int | None = None
    carer: str = ""
    address: str = ""
    postcode: str = ""
    temporary_approval: bool = False
    acknowledge_warnings: bool = Field(False, description="Save even though SSDA903 validation rules warn; "
                                                          "otherwise the warnings are answered with 422")


class StartIn(PlacementIn):
    start_date: dt.date
    legal_status: str
    category_of_need: str
    uasc: bool = False
    home_postcode: str = ""


class MoveIn(PlacementIn):
    date: dt.date
    reason_for_change: str = ""
    legal_status: str | None = Field(None, description="The new legal status when it changes on the same day")
    same_carer: bool = Field(False, description="The carer stays the same (RNE B, or U)")


class LegalStatusIn(Schema):
    date: dt.date
    legal_status: str
    acknowledge_warnings: bool = False


class EndIn(Schema):
    end_date: dt.date
    end_reason: str = Field(..., description="REC (not X1)")
    acknowledge_warnings: bool = False


def _fetch(request, model, pk: int, action: str = "view"):
    try:
        return fetch_in_scope(model, request.user, pk, action)
    except RestrictedRecord:
        raise HttpError(403, "This record is restricted; use break-glass in the web application") from None
    except Http404:
        raise HttpError(404, "Not found") from None


def _refusal(exc: services.Refused):
    if isinstance(exc, services.Unacknowledged):
        errors = [{"field": f.field, "message": f.message, "code": f.code} for f in exc.findings]
        detail = "The change breaks SSDA903 validation rules: check them, then send acknowledge_warnings: true"
    else:
        errors = [{"field": field, "message": message, "code": ""} for field, message in exc.errors]
        detail = "Refused"
    return Status(422, {"detail": detail, "errors": errors})


def _period_out(period: PeriodOfCare, user) -> dict:
    return {
        **{f: getattr(period, f) for f in ("id", "person_id", "start_date", "end_date", "end_reason", "uasc",
                                           "home_postcode", "cin_episode_id", "version")},
        "episodes": list(Episode.objects.visible_to(user).filter(period=period).order_by("start_date", "pk")),
        "placements": list(Placement.objects.visible_to(user).filter(period=period).order_by("start_date", "pk")),
    }


def _provider(data) -> Provider | None:
    if data.provider_id is None:
        return None
    provider = Provider.objects.filter(pk=data.provider_id).first()
    if provider is None:
        raise HttpError(422, "provider_id: no such provider")
    return provider


def _placement_args(data) -> dict:
    return {"place": data.place, "provider_code": data.provider_code, "provider": _provider(data),
            "carer": data.carer, "address": data.address, "postcode": data.postcode,
            "temporary_approval": data.temporary_approval}


@router.get("/children/{int:person_pk}/periods", response={200: list[PeriodOut], 403: Problem, 404: Problem},
            auth=Capability("looked_after.view"), summary="A child's periods of care, with episodes and placements")
def list_periods(request, person_pk: int):
    person = _fetch(request, Person, person_pk)
    record(request, Action.VIEW, obj=person, summary=f"API: periods of care of {person.full_name}")
    return [_period_out(p, request.user) for p in PeriodOfCare.objects.visible_to(request.user).filter(person=person)]


@router.post("/children/{int:person_pk}/periods",
             response={201: PeriodOut, 403: Problem, 404: Problem, 422: Refusal},
             auth=Capability("looked_after.record"), summary="Start a period of care (first placement, RNE S)")
def start_period(request, person_pk: int, data: StartIn):
    person = _fetch(request, Person, person_pk, "change")
    try:
        period = services.start_period(
            person, start_date=data.start_date, legal_status=data.legal_status,
            category_of_need=data.category_of_need, uasc=data.uasc, home_postcode=data.home_postcode,
            user=request.user, acknowledge_warnings=data.acknowledge_warnings, request=request,
            **_placement_args(data))
    except services.Refused as exc:
        return _refusal(exc)
    return Status(201, _period_out(period, request.user))


@url_models(pk=PeriodOfCare)
@router.get("/periods/{int:pk}", response={200: PeriodOut, 403: Problem, 404: Problem},
            auth=Capability("looked_after.view"), summary="A period of care with its episodes and placements")
def get_period(request, pk: int):
    period = _fetch(request, PeriodOfCare, pk)
    record(request, Action.VIEW, obj=period, summary=f"API: {period}")
    return _period_out(period, request.user)


@url_models(pk=PeriodOfCare)
@router.patch("/periods/{int:pk}", response={200: PeriodOut, 403: Problem, 404: Problem, 422: Refusal},
              auth=Capability("looked_after.record"), summary="End a period of care (end_date and end_reason)")
def end_period(request, pk: int, data: EndIn):
    period = _fetch(request, PeriodOfCare, pk, "change")
    try:
        period = services.end_period(period, date=data.end_date, reason=data.end_reason, user=request.user,
                                     acknowledge_warnings=data.acknowledge_warnings, request=request)
    except services.Refused as exc:
        return _refusal(exc)
    return _period_out(period, request.user)


@url_models(pk=PeriodOfCare)
@router.get("/periods/{int:pk}/placements", response={200: list[PlacementOut], 403: Problem, 404: Problem},
            auth=Capability("looked_after.view"), summary="A period's placements")
def list_placements(request, pk: int):
    period = _fetch(request, PeriodOfCare, pk)
    record(request, Action.VIEW, obj=period, summary=f"API: placements in {period}")
    return list(Placement.objects.visible_to(request.user).filter(period=period).order_by("start_date", "pk"))


@url_models(pk=PeriodOfCare)
@router.post("/periods/{int:pk}/placements", response={201: EpisodeOut, 403: Problem, 404: Problem, 422: Refusal},
             auth=Capability("looked_after.record"),
             summary="Change placement: the episode ends (X1), a new one starts (RNE P, T, B or U)")
def change_placement(request, pk: int, data: MoveIn):
    period = _fetch(request, PeriodOfCare, pk, "change")
    try:
        episode = services.change_placement(
            period, date=data.date, reason_for_change=data.reason_for_change, legal_status=data.legal_status,
            same_carer=data.same_carer, user=request.user, acknowledge_warnings=data.acknowledge_warnings,
            request=request, **_placement_args(data))
    except services.Refused as exc:
        return _refusal(exc)
    return Status(201, episode)


@url_models(pk=PeriodOfCare)
@router.get("/periods/{int:pk}/episodes", response={200: list[EpisodeOut], 403: Problem, 404: Problem},
            auth=Capability("looked_after.view"), summary="A period's episodes (SSDA903)")
def list_episodes(request, pk: int):
    period = _fetch(request, PeriodOfCare, pk)
    record(request, Action.VIEW, obj=period, summary=f"API: episodes of {period}")
    return list(Episode.objects.visible_to(request.user).filter(period=period).order_by("start_date", "pk"))


@url_models(pk=PeriodOfCare)
@router.post("/periods/{int:pk}/episodes", response={201: EpisodeOut, 403: Problem, 404: Problem, 422: Refusal},
             auth=Capability("looked_after.record"),
             summary="Change legal status in the same placement: a new episode with RNE L")
def change_legal_status(request, pk: int, data: LegalStatusIn):
    period = _fetch(request, PeriodOfCare, pk, "change")
    try:
        episode = services.change_legal_status(period, date=data.date, legal_status=data.legal_status,
                                               user=request.user, acknowledge_warnings=data.acknowledge_warnings,
                                               request=request)
    except services.Refused as exc:
        return _refusal(exc)
    return Status(201, episode)
