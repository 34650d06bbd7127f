"""People endpoints of /api/v1. Same rules as the pages: capability, scope, audit, version."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from haven.api.auth import Capability
from haven.audit.log import Action, record
from haven.core.codes import Disability, Ethnicity, Sex
from haven.core.validators import (
    is_valid_nhs_number,
    is_valid_upn,
    normalise_nhs_number,
    normalise_upn,
)
from haven.core.versioning import StaleEdit, save_versioned
from haven.core.views.generic import RestrictedRecord, fetch_in_scope

from . import search
from .models import Person, PersonDisability

router = Router(tags=["people"])


class PersonSummary(Schema):
    id: int
    local_id: str
    kind: str
    first_name: str
    last_name: str
    date_of_birth: dt.date | None
    authority: str = Field(..., alias="authority.lea_code")
    restricted: bool


class SearchHit(Schema):
    id: int
    local_id: str
    can_open: bool
    name: str | None = Field(None, description="Masked for restricted records the caller may not open")
    date_of_birth: dt.date | None = None
    possible_duplicates: list[int] = []


class AddressOut(Schema):
    id: int
    line_1: str
    line_2: str
    town: str
    postcode: str
    start_date: dt.date | None
    end_date: dt.date | None


class PersonOut(PersonSummary):
    middle_names: str
    preferred_name: str
    expected_date_of_birth: dt.date | None
    sex: str
    gender_identity: str
    ethnicity: str
    first_language: str
    interpreter_needed: bool
    religion: str
    nhs_number: str
    upn: str
    former_upn: str
    date_of_death: dt.date | None
    version: int
    disabilities: list[str]
    addresses: list[AddressOut]

    @staticmethod
    def resolve_disabilities(obj):
        return [d.code for d in obj.disabilities.all()]

    @staticmethod
    def resolve_addresses(obj):
        return list(obj.addresses.all())


class PersonIn(Schema):
    authority_lea_code: str | None = None
    kind: Person.Kind = Person.Kind.CHILD
    first_name: str = Field(..., min_length=1, max_length=100)
    middle_names: str = ""
    last_name: str = Field(..., min_length=1, max_length=100)
    preferred_name: str = ""
    date_of_birth: dt.date | None = None
    expected_date_of_birth: dt.date | None = None
    sex: Sex = Sex.UNKNOWN
    gender_identity: str = ""
    ethnicity: Ethnicity = Ethnicity.NOBT
    first_language: str = "NK"
    interpreter_needed: bool = False
    religion: str = "unknown"
    nhs_number: str = ""
    upn: str = ""
    former_upn: str = ""
    date_of_death: dt.date | None = None
    disabilities: list[Disability] = []


class PersonUpdate(PersonIn):
    version: int = Field(..., description="The version you read; a stale version is refused with 409")


class Problem(Schema):
    detail: str


def _validate(data: PersonIn) -> dict:
    values = data.dict(exclude={"authority_lea_code", "disabilities", "version"})
    values["nhs_number"] = normalise_nhs_number(values["nhs_number"])
    values["upn"] = normalise_upn(values["upn"])
    values["former_upn"] = normalise_upn(values["former_upn"])
    today = dt.date.today()
    if values["nhs_number"] and not is_valid_nhs_number(values["nhs_number"]):
        raise HttpError(422, "nhs_number: not a valid NHS number (modulus-11 check digit)")
    if values["upn"] and not is_valid_upn(values["upn"]):
        raise HttpError(422, "upn: the check letter does not match")
    if values["date_of_birth"] and values["date_of_birth"] > today:
        raise HttpError(422, "date_of_birth: must be today or in the past")
    if values["date_of_birth"] and values["expected_date_of_birth"]:
        raise HttpError(422, "give date_of_birth or expected_date_of_birth, not both")
    if values["kind"] == Person.Kind.CHILD and not (values["date_of_birth"] or values["expected_date_of_birth"]):
        raise HttpError(422, "date_of_birth: a child needs a date of birth or an expected date of birth")
    if values["date_of_death"] and values["date_of_birth"] and values["date_of_death"] < values["date_of_birth"]:
        raise HttpError(422, "date_of_death: must be on or after the date of birth")
    return values


def _fetch(request, pk: int, action: str = "view") -> Person:
    try:
        return fetch_in_scope(Person, request.user, pk, action)
    except RestrictedRecord:
        raise HttpError(403, "This record is restricted; use break-glass in the web application") from None
    except Http404:
        raise HttpError(404, "Not found") from None


@router.get("/", response=list[SearchHit], auth=Capability("people.search"), summary="Search people in your scope")
def search_people(request, name: str = "", date_of_birth: dt.date | None = None, nhs_number: str = "",
                  local_id: str = ""):
    if not any([name.strip(), date_of_birth, nhs_number.strip(), local_id.strip()]):
        raise HttpError(400, "Give at least one of name, date_of_birth, nhs_number, local_id")
    results, _ = search.search_people(request.user, name=name, date_of_birth=date_of_birth,
                                      nhs_number=nhs_number, local_id=local_id)
    record(request, Action.SEARCH, summary=f"API: {len(results)} results",
           detail={"name": name, "date_of_birth": str(date_of_birth or ""), "nhs_number": nhs_number, "local_id": local_id})
    return [
        SearchHit(id=r.person.pk, local_id=r.person.local_id, can_open=r.can_open,
                  name=r.person.full_name if r.can_open else None,
                  date_of_birth=r.person.date_of_birth if r.can_open else None,
                  possible_duplicates=[d[0].pk for d in r.duplicates])
        for r in results
    ]


@router.get("/{int:pk}", response={200: PersonOut, 403: Problem, 404: Problem}, auth=Capability("people.view"), summary="A person's record")
def get_person(request, pk: int):
    person = _fetch(request, pk)
    record(request, Action.VIEW, obj=person, summary=f"API: record of {person.full_name}")
    return person


@router.post("/", response={201: PersonOut, 403: Problem, 422: Problem}, auth=Capability("people.create"), summary="Create a person")
def create_person(request, data: PersonIn):
    values = _validate(data)
    authorities = list(request.user.authorities_queryset())
    if data.authority_lea_code:
        authorities = [a for a in authorities if a.lea_code == data.authority_lea_code]
    if len(authorities) != 1:
        raise HttpError(422, "authority_lea_code: give one of the authorities you work for")
    if values["nhs_number"] and Person.objects.filter(nhs_number=values["nhs_number"]).exists():
        raise HttpError(422, "nhs_number: another record already has this NHS number")
    with transaction.atomic():
        person = Person(authority=authorities[0], created_by=request.user, updated_by=request.user, **values)
        person.save()
        for code in sorted(set(data.disabilities)):
            PersonDisability.objects.create(person=person, code=code, authority=person.authority)
        record(request, Action.CREATE, obj=person, summary="API: created")
    return Status(201, person)


@router.put("/{int:pk}", response={200: PersonOut, 403: Problem, 404: Problem, 409: Problem, 422: Problem}, auth=Capability("people.edit"),
            summary="Replace a person's details (optimistic locking with version)")
def update_person(request, pk: int, data: PersonUpdate):
    person = _fetch(request, pk, "change")
    values = _validate(data)
    if values["nhs_number"] and Person.objects.filter(nhs_number=values["nhs_number"]).exclude(pk=pk).exists():
        raise HttpError(422, "nhs_number: another record already has this NHS number")
    for key, value in values.items():
        setattr(person, key, value)
    try:
        with transaction.atomic():
            save_versioned(person, expected_version=data.version, actor=request.user)
            existing = {d.code: d for d in person.disabilities.all()}
            for code, row in existing.items():
                if code not in data.disabilities:
                    row.delete()
            for code in sorted(set(data.disabilities) - existing.keys()):
                PersonDisability.objects.create(person=person, code=code, authority=person.authority)
            record(request, Action.UPDATE, obj=person, summary="API: updated")
    except StaleEdit as stale:
        return Status(409, {"detail": f"{stale.changed_by or 'Another user'} changed this record after version "
                               f"{data.version}; read it again (now version {stale.obj.version})"})
    return person


class ChronologyEntryOut(Schema):
    date: str
    category: str
    category_label: str
    title: str
    detail: str
    significant: bool
    url: str


@router.get("/{int:pk}/chronology", response={200: list[ChronologyEntryOut], 403: Problem, 404: Problem},
            auth=Capability("people.view"), summary="A person's chronology (newest first)")
def get_chronology(request, pk: int, category: list[str] | None = Query(None), significant: bool = False):
    from haven.chronology.registry import chronology_for

    person = _fetch(request, pk)
    entries = chronology_for(person, request.user, categories=category or None, significant_only=significant)
    record(request, Action.VIEW, obj=person, summary=f"API: chronology of {person.full_name}")
    return [ChronologyEntryOut(date=e.date.isoformat(), category=e.category, category_label=e.category_label,
                               title=e.title, detail=e.detail, significant=e.significant, url=e.url)
            for e in entries]
