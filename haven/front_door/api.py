"""Contacts endpoints of /api/v1: the MASH queue, a contact, and recording one (the same
service as the page). Same rules as the pages: capability, scope, audit."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from haven.accounts.models import User
from haven.api.auth import Capability
from haven.audit.log import Action, record
from haven.core.codes import ReferralSource, Sex
from haven.core.views.generic import RestrictedRecord, fetch_in_scope
from haven.people.models import Person

from . import clock, services
from .forms import NOT_RATED
from .models import Contact
from .queries import open_contacts, queue_rows

router = Router(tags=["contacts"])


class Problem(Schema):
    detail: str


class ClockOut(Schema):
    due_at: dt.datetime | None = Field(None, description="When the decision is due (from the RAG rating)")
    overdue: bool = False
    description: str = ""


class ContactSummary(Schema):
    id: int
    authority: str = Field(..., description="LEA code of the authority")
    received_at: dt.datetime
    source: str
    rag: str = Field("", description="R, A, G, B, or empty when not yet rated")
    rated_at: dt.datetime | None
    decision: str = Field("", description="Empty while the contact is open")
    children: list[str | None] = Field([], description="Names; null for a restricted record you may not open")
    clock: ClockOut


class SubjectOut(Schema):
    person_id: int
    local_id: str
    name: str | None = Field(None, description="Null for a restricted record you may not open")
    role: str


class CheckOut(Schema):
    id: int
    agency: str
    requested_at: dt.datetime
    returned_at: dt.datetime | None
    information: str


class ContactOut(ContactSummary):
    reason: str
    referrer_name: str
    referrer_organisation: str
    referrer_phone: str
    referrer_email: str
    consent: str
    consent_reason: str
    consent_overridden_by: str | None = Field(None, description="Username of the authorising manager")
    rag_reason: str
    decision_at: dt.datetime | None
    decision_reason: str
    feedback: str
    feedback_given_at: dt.datetime | None
    version: int
    subjects: list[SubjectOut]
    checks: list[CheckOut]
    referrals: list[int] = Field([], description="CIN episodes (referrals) the decision opened")


class NewPersonIn(Schema):
    first_name: str = Field(..., min_length=1, max_length=100)
    last_name: str = Field(..., min_length=1, max_length=100)
    kind: Person.Kind = Person.Kind.CHILD
    date_of_birth: dt.date | None = None
    expected_date_of_birth: dt.date | None = None
    sex: Sex = Sex.UNKNOWN
    confirm_new: bool = Field(False, description="You have seen the possible matches and none is this person")


class ContactIn(Schema):
    authority_lea_code: str | None = Field(None, description="Needed when you work for more than one authority")
    received_at: dt.datetime
    source: ReferralSource
    reason: str = Field(..., min_length=1)
    referrer_name: str = ""
    referrer_organisation: str = ""
    referrer_phone: str = ""
    referrer_email: str = ""
    consent: Contact.Consent
    consent_reason: str = ""
    consent_overridden_by: str | None = Field(None, description="Username of the manager who authorised the override")
    people: list[int] = Field([], description="Existing people (ids from /api/v1/people/?name=…)")
    new_people: list[NewPersonIn] = Field([], description="People the search did not find")


def _clock_out(c: clock.RagClock) -> ClockOut:
    return ClockOut(due_at=c.due_at, overdue=c.overdue, description=c.describe)


def _summary(row) -> dict:
    c = row.contact
    return dict(id=c.pk, authority=c.authority.lea_code, received_at=c.received_at, source=c.source, rag=c.rag,
                rated_at=c.rated_at, decision=c.decision, clock=_clock_out(row.clock),
                children=[p.full_name if can_open else None for p, can_open in row.children])


def _detail(request, contact: Contact) -> dict:
    from haven.assessments.models import CINEpisode

    contact = _with_children(contact)
    row = queue_rows([contact], request.user)[0]
    subjects = list(contact.subjects.select_related("person"))
    openable = set(Person.objects.filter(pk__in=[s.person_id for s in subjects]).visible_to(request.user)
                   .values_list("pk", flat=True))
    return dict(
        _summary(row), reason=contact.reason, referrer_name=contact.referrer_name,
        referrer_organisation=contact.referrer_organisation, referrer_phone=contact.referrer_phone,
        referrer_email=contact.referrer_email, consent=contact.consent, consent_reason=contact.consent_reason,
        consent_overridden_by=contact.consent_overridden_by.username if contact.consent_overridden_by else None,
        rag_reason=contact.rag_reason, decision_at=contact.decision_at, decision_reason=contact.decision_reason,
        feedback=contact.feedback, feedback_given_at=contact.feedback_given_at, version=contact.version,
        subjects=[SubjectOut(person_id=s.person_id, local_id=s.person.local_id, role=s.role,
                             name=s.person.full_name if s.person_id in openable else None) for s in subjects],
        checks=list(contact.checks.all()),
        referrals=list(CINEpisode.objects.visible_to(request.user).filter(contact=contact).values_list("pk", flat=True)),
    )


def _with_children(contact: Contact) -> Contact:
    """The contact with the children prefetched as the queue has them (decided or not)."""
    from django.db.models import Prefetch

    from .models import ContactSubject

    children = ContactSubject.objects.filter(role=ContactSubject.Role.CHILD).select_related("person").order_by(
        "person__last_name", "person__first_name", "pk")
    return (Contact.objects.filter(pk=contact.pk).select_related("authority", "consent_overridden_by")
            .prefetch_related(Prefetch("subjects", queryset=children, to_attr="children")).get())


@router.get("/", response=list[ContactSummary], auth=Capability("front_door.view"),
            summary="Open contacts in your scope (the MASH queue), most urgent first")
def list_contacts(request, authority: str = "", rag: str = "", limit: int = 100, offset: int = 0):
    """Overdue first, then the soonest due; contacts with no clock (not yet rated, or blue) last.
    Filter by ``authority`` (LEA code) and ``rag`` (R, A, G, B, or ``none`` for not yet rated)."""
    if rag and rag not in [*Contact.Rag.values, NOT_RATED]:
        raise HttpError(422, "rag: give R, A, G, B or none")
    if not 1 <= limit <= 500 or offset < 0:
        raise HttpError(422, "limit: between 1 and 500; offset: 0 or more")
    qs = open_contacts(request.user)
    if authority:
        qs = qs.filter(authority__lea_code=authority)
    if rag == NOT_RATED:
        qs = qs.filter(rag="")
    elif rag:
        qs = qs.filter(rag=rag)
    return [_summary(row) for row in queue_rows(list(qs[offset:offset + limit]), request.user)]


@router.get("/{int:pk}", response={200: ContactOut, 403: Problem, 404: Problem}, auth=Capability("front_door.view"),
            summary="A contact: its children and adults, rating and clock, agency checks, decision, feedback")
def get_contact(request, pk: int):
    try:
        contact = fetch_in_scope(Contact, request.user, pk)
    except RestrictedRecord:
        raise HttpError(403, "This contact is about a restricted record; use break-glass in the web application") from None
    except Http404:
        raise HttpError(404, "Not found") from None
    record(request, Action.VIEW, obj=contact, summary=f"API: {contact}")
    return _detail(request, contact)


# The permission walk (haven/core/tests/test_url_permissions.py) fills a URL's ``pk`` from the
# model its view names; an API endpoint names it here.
get_contact.url_models = {"pk": Contact}


@router.post("/", response={201: ContactOut, 403: Problem, 422: Problem}, auth=Capability("front_door.record"),
             summary="Record a contact about one or more children and the adults involved")
def create_contact(request, data: ContactIn):
    user = request.user
    authority = None
    if data.authority_lea_code:
        authority = next((a for a in user.authorities if a.lea_code == data.authority_lea_code), None)
        if authority is None:
            raise HttpError(422, "authority_lea_code: give one of the authorities you work for")
    manager = None
    if data.consent_overridden_by:
        manager = User.objects.filter(username=data.consent_overridden_by).first()
        if manager is None:
            raise HttpError(422, "consent_overridden_by: no such user")
    received_at = data.received_at
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    details = services.ContactDetails(
        received_at=received_at, source=data.source, reason=data.reason, consent=data.consent,
        consent_reason=data.consent_reason, consent_overridden_by=manager, referrer_name=data.referrer_name,
        referrer_organisation=data.referrer_organisation, referrer_phone=data.referrer_phone,
        referrer_email=data.referrer_email)
    new_people = [services.NewPerson(**p.dict()) for p in data.new_people]
    try:
        contact = services.record_contact(actor=user, authority=authority, details=details, people=data.people,
                                          new_people=new_people, request=request)
    except services.Refused as refused:
        raise HttpError(422, "; ".join(_api_message(p, refused.candidates) for p in refused.problems)) from None
    return Status(201, _detail(request, contact))


def _api_message(problem: services.Problem, candidates: dict) -> str:
    field = problem.field
    if field.startswith("new-"):
        _, index, *rest = field.split("-", 2)
        field = f"new_people[{index}]" + (f".{rest[0]}" if rest else "")
        found = candidates.get(int(index))
        if found and rest and rest[0] == "confirm_new":
            return f"{field}: {problem.message} (possible matches: {', '.join(p.local_id for _s, p, _r in found)})"
    elif field in ("received_date", "received_time"):
        field = "received_at"
    return f"{field}: {problem.message}" if field else problem.message
