"""Referral and single assessment endpoints of /api/v1 (mounted at /api/v1/referrals). Same
rules as the pages: capability, scope before fetching, audit, and the same services (a refusal
is a 422 with one problem per broken rule, each with its CIN census rule code)."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from haven.api.auth import Capability
from haven.audit.log import Action, record
from haven.core.codes import PrimaryNeed, ReferralSource
from haven.core.views.generic import RestrictedRecord, fetch_in_scope
from haven.people.models import Person

from . import services
from .models import Assessment, CINEpisode

router = Router(tags=["referrals"])


def url_models(**models):
    """Which model each path parameter names (read by the URL permission walk)."""

    def mark(func):
        func.url_models = models
        return func

    return mark


class Problem(Schema):
    detail: str


class RuleProblem(Schema):
    code: str = Field(..., description="CIN census rule code (or Haven's own, e.g. FUTURE)")
    field: str
    message: str


class Refusal(Schema):
    detail: str
    problems: list[RuleProblem] = []


class DeadlineOut(Schema):
    rule: str
    label: str
    due: dt.date
    met_on: dt.date | None
    exempt: bool
    overdue: bool
    note: str = Field("", description="Exemption or extension reason")

    @staticmethod
    def resolve_due(obj):
        return timezone.localtime(obj.due_at).date()

    @staticmethod
    def resolve_met_on(obj):
        return timezone.localtime(obj.met_at).date() if obj.met_at else None

    @staticmethod
    def resolve_overdue(obj):
        return obj.is_overdue

    @staticmethod
    def resolve_note(obj):
        return obj.exemption_reason


class AssessmentOut(Schema):
    id: int
    episode_id: int
    person_id: int
    start_date: dt.date
    child_seen_date: dt.date | None
    seen_alone: bool
    analysis: str
    outcome: str
    completed_date: dt.date | None
    authorised_date: dt.date | None
    authorised_by: str | None
    factors: list[str]
    version: int

    @staticmethod
    def resolve_authorised_by(obj):
        return obj.authorised_by.get_username() if obj.authorised_by_id else None

    @staticmethod
    def resolve_factors(obj):
        return sorted(f.code for f in obj.factors.all())


class EpisodeSummary(Schema):
    id: int
    person_id: int
    authority: str = Field(..., alias="authority.lea_code")
    referral_date: dt.date
    source: str
    primary_need: str
    decision_date: dt.date | None
    referral_nfa: bool
    closure_date: dt.date | None
    closure_reason: str
    stepped_down_to_early_help: bool
    status: str
    version: int

    @staticmethod
    def resolve_status(obj):
        return "nfa" if obj.referral_nfa else "open" if obj.is_open else "closed"


class EpisodeOut(EpisodeSummary):
    assessments: list[AssessmentOut]
    deadlines: list[DeadlineOut]
    census_problems: list[RuleProblem] = Field(..., description="CIN census rules the stored record breaks")

    @staticmethod
    def resolve_assessments(obj):
        return obj.api_assessments

    @staticmethod
    def resolve_deadlines(obj):
        return obj.api_deadlines

    @staticmethod
    def resolve_census_problems(obj):
        return obj.api_problems


class EpisodeIn(Schema):
    referral_date: dt.date
    source: ReferralSource
    primary_need: PrimaryNeed = PrimaryNeed.N0


class AssessmentIn(Schema):
    start_date: dt.date
    child_seen_date: dt.date | None = None
    seen_alone: bool = False
    analysis: str = ""
    outcome: Assessment.Outcome | None = None
    completed_date: dt.date | None = None
    factors: list[str] = Field([], description="DfE assessment factor codes; '21' (no factors) alone")


def _fetch(request, model, pk: int, action: str = "view"):
    try:
        return fetch_in_scope(model, request.user, pk, action)
    except RestrictedRecord:
        raise HttpError(403, "This record is restricted; use break-glass in the web application") from None
    except Http404:
        raise HttpError(404, "Not found") from None


def _refusal(refused: services.Refused):
    return Status(422, {"detail": str(refused),
                        "problems": [{"code": p.code, "field": p.field, "message": p.message} for p in refused.problems]})


def _detail(request, episode: CINEpisode) -> CINEpisode:
    """The episode with what the detail shows beside it (all in the caller's scope)."""
    from haven.work.models import Deadline

    ct = ContentType.objects.get_for_model(CINEpisode)
    episode.api_assessments = list(Assessment.objects.visible_to(request.user).filter(episode=episode)
                                   .prefetch_related("factors").select_related("authorised_by"))
    episode.api_deadlines = list(Deadline.objects.visible_to(request.user).filter(content_type=ct, object_id=episode.pk)
                                 .order_by("due_at"))
    episode.api_problems = [{"code": p.code, "field": p.field, "message": p.message}
                            for p in services.episode_problems(episode)]
    return episode


@router.get("/people/{int:person_pk}", response={200: list[EpisodeSummary], 403: Problem, 404: Problem},
            auth=Capability("assessments.view"), summary="A child's referrals (CIN episodes)")
def list_referrals(request, person_pk: int):
    person = _fetch(request, Person, person_pk)
    episodes = list(CINEpisode.objects.visible_to(request.user).filter(person=person).select_related("authority"))
    record(request, Action.VIEW, obj=person, summary=f"API: referrals of {person.full_name}")
    return episodes


@router.post("/people/{int:person_pk}", response={201: EpisodeOut, 403: Problem, 404: Problem, 422: Refusal},
             auth=Capability("assessments.record"), summary="Record a referral: opens the child's CIN episode")
def create_referral(request, person_pk: int, data: EpisodeIn):
    person = _fetch(request, Person, person_pk, "change")
    try:
        episode = services.open_episode(actor=request.user, person=person, referral_date=data.referral_date,
                                        source=data.source, primary_need=data.primary_need, request=request)
    except services.Refused as refused:
        return _refusal(refused)
    return Status(201, _detail(request, episode))


@url_models(pk=CINEpisode)
@router.get("/{int:pk}", response={200: EpisodeOut, 403: Problem, 404: Problem}, auth=Capability("assessments.view"),
            summary="A referral with its assessments, deadlines and census checks")
def get_referral(request, pk: int):
    episode = _fetch(request, CINEpisode, pk)
    record(request, Action.VIEW, obj=episode, summary=f"API: referral {episode.referral_date:%d/%m/%Y}")
    return _detail(request, episode)


@url_models(pk=CINEpisode)
@router.get("/{int:pk}/assessments", response={200: list[AssessmentOut], 403: Problem, 404: Problem},
            auth=Capability("assessments.view"), summary="The single assessments of a referral")
def list_assessments(request, pk: int):
    episode = _fetch(request, CINEpisode, pk)
    record(request, Action.VIEW, obj=episode, summary="API: assessments of a referral")
    return list(Assessment.objects.visible_to(request.user).filter(episode=episode).prefetch_related("factors")
                .select_related("authorised_by"))


@url_models(pk=CINEpisode)
@router.post("/{int:pk}/assessments", response={201: AssessmentOut, 403: Problem, 404: Problem, 422: Refusal},
             auth=Capability("assessments.record"), summary="Start a single assessment on a referral")
def create_assessment(request, pk: int, data: AssessmentIn):
    episode = _fetch(request, CINEpisode, pk, "change")
    values = data.dict()
    values["outcome"] = values["outcome"] or ""
    try:
        assessment = services.create_assessment(actor=request.user, episode=episode, request=request, **values)
    except services.Refused as refused:
        return _refusal(refused)
    return Status(201, assessment)
