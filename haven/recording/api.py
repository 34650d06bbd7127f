"""Recording endpoints of /api/v1: record a visit, meeting, phone call or case note once for a
family; read one whole or as it appears on one child's record. Same service, scope and audit as
the pages."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from haven.api.auth import Capability
from haven.audit.log import Action, record
from haven.core.views.generic import RestrictedRecord, fetch_in_scope
from haven.people.models import Person

from . import services
from .models import Recording

router = Router(tags=["recording"])


class Problem(Schema):
    detail: str


class SubjectIn(Schema):
    person_id: int
    seen: bool = False
    seen_alone: bool = Field(False, description="Seen alone implies seen")


class PartIn(Schema):
    text: str = Field(..., min_length=1)
    hidden_from: list[int] = Field([], description="People on whose record this part is not shown")


class RecordingIn(Schema):
    kind: Recording.Kind
    occurred_at: dt.datetime
    title: str = Field(..., min_length=1, max_length=200)
    significant: bool = False
    subjects: list[SubjectIn] = Field(..., min_length=1)
    parts: list[PartIn] = Field(..., min_length=1)


class SubjectOut(Schema):
    person_id: int | None = Field(..., description="None for someone outside your access")
    seen: bool
    seen_alone: bool


class PartOut(Schema):
    id: int
    text: str
    hidden_from: list[int | None] = Field([], description="Who the part is kept off (None: outside your access); "
                                                          "empty when read as seen from a child")


class RecordingOut(Schema):
    id: int
    kind: str
    occurred_at: dt.datetime
    title: str
    significant: bool
    as_seen_from: int | None = Field(None, description="The child whose record this view shows")
    subjects: list[SubjectOut]
    parts: list[PartOut]


class RecordingSummary(Schema):
    id: int
    kind: str
    occurred_at: dt.datetime
    title: str
    significant: bool


def _fetch(request, model, pk, action="view"):
    try:
        return fetch_in_scope(model, request.user, pk, action)
    except RestrictedRecord:
        raise HttpError(403, "This record is restricted; use break-glass in the web application") from None
    except Http404:
        raise HttpError(404, "Not found") from None


def _out(recording: Recording, user, viewer=None) -> dict:
    return {
        "id": recording.pk, "kind": recording.kind, "occurred_at": recording.occurred_at, "title": recording.title,
        "significant": recording.significant, "as_seen_from": viewer.pk if viewer else None,
        "subjects": [{"person_id": p.pk if p else None, "seen": s.seen, "seen_alone": s.seen_alone}
                     for s, p in services.subjects_for(recording, user)],
        "parts": [{"id": part.pk, "text": part.text, "hidden_from": [] if viewer else [h.pk if h else None for h in hidden]}
                  for part, hidden in services.visible_parts(recording, user, viewer)],
    }


@router.get("/", response={200: list[RecordingSummary], 403: Problem, 404: Problem}, auth=Capability("recording.view"),
            summary="Recordings about a person, newest first")
def list_recordings(request, person: int):
    subject = _fetch(request, Person, person)
    record(request, Action.VIEW, obj=subject, summary=f"API: recordings about {subject.full_name}")
    return list(services.recordings_about(subject, request.user)[:200])


@router.post("/", response={201: RecordingOut, 403: Problem, 404: Problem, 422: Problem},
             auth=Capability("recording.record"), summary="Record a visit, meeting, phone call or note once for a family")
def create_recording(request, data: RecordingIn):
    wanted = {s.person_id for s in data.subjects} | {h for p in data.parts for h in p.hidden_from}
    people = {p.pk: p for p in Person.objects.visible_to(request.user, "change").filter(pk__in=wanted)}
    unknown = sorted(wanted - people.keys())
    if unknown:
        raise HttpError(404, f"person {unknown[0]}: not found")
    occurred_at = data.occurred_at
    if occurred_at.tzinfo is None:
        from django.utils import timezone

        occurred_at = timezone.make_aware(occurred_at)
    try:
        recording = services.record_family_event(
            actor=request.user, kind=data.kind, occurred_at=occurred_at, title=data.title,
            significant=data.significant,
            subjects=[services.Subject(people[s.person_id], s.seen, s.seen_alone) for s in data.subjects],
            parts=[services.Part(p.text, [people[h] for h in p.hidden_from]) for p in data.parts],
            authority=people[data.subjects[0].person_id].authority, request=request)
    except services.RecordingError as error:
        raise HttpError(422, str(error)) from None
    return Status(201, _out(recording, request.user))


@router.get("/{int:pk}", response={200: RecordingOut, 403: Problem, 404: Problem}, auth=Capability("recording.view"),
            summary="A recording: whole, or as it appears on one child's record (person=<id>)")
def get_recording(request, pk: int, person: int | None = None):
    recording = _fetch(request, Recording, pk)
    viewer = None
    if person is not None:
        if not recording.subjects.filter(person_id=person).exists():
            raise HttpError(404, "person: not on this recording")
        viewer = _fetch(request, Person, person)
    record(request, Action.VIEW, obj=recording, summary=f"API: {recording}")
    return _out(recording, request.user, viewer)


# The URL permission walk reads which model a path parameter names from here.
get_recording.url_models = {"pk": Recording}
