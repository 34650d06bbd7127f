"""Use-cases that change several records or have side effects. Page views and the API call
these; each takes a required ``actor`` and runs in one transaction."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from haven.accounts.models import BreakGlassAccess, RestrictedAccessGrant
from haven.audit.log import Action, record

from .models import Address, Person, Relationship


@transaction.atomic
def create_person(*, actor, form, request=None) -> Person:
    """A person, their disabilities and current address, all or nothing."""
    person = form.save(commit=False)
    person.authority = form.cleaned_data["authority"]
    person.created_by = person.updated_by = actor
    person.save()
    form.save_disabilities(person, actor)
    data = form.cleaned_data
    if data.get("line_1"):
        Address.objects.create(
            person=person, authority=person.authority, line_1=data["line_1"], line_2=data.get("line_2", ""),
            town=data.get("town") or "London", postcode=data["postcode"], start_date=data.get("address_from"),
            created_by=actor, updated_by=actor,
        )
    record(request or actor, Action.CREATE, obj=person)
    return person


@transaction.atomic
def break_glass(*, actor, person: Person, reason: str, request=None) -> BreakGlassAccess:
    """Time-limited emergency access to a restricted record; recorded and reported."""
    access = BreakGlassAccess.objects.create(
        person=person, user=actor, reason=reason,
        expires_at=timezone.now() + dt.timedelta(minutes=settings.HAVEN_BREAK_GLASS_MINUTES),
    )
    record(request or actor, Action.BREAK_GLASS, obj=person, reason=reason,
           detail={"expires_at": access.expires_at.isoformat()})
    return access


@transaction.atomic
def grant_access(*, actor, person: Person, user, reason: str, request=None) -> RestrictedAccessGrant:
    grant = RestrictedAccessGrant.objects.create(person=person, user=user, granted_by=actor, reason=reason)
    record(request or actor, Action.GRANT, obj=person, reason=reason, detail={"granted_to": user.get_username()})
    return grant


def relationships_for(person: Person, user):
    """(label, other person or None if the user may not see them, relationship), current first."""
    rows = list(Relationship.objects.involving(person).select_related("person", "other"))
    others = {r.other_id if r.person_id == person.pk else r.person_id for r in rows}
    visible = set(Person.objects.filter(pk__in=others).visible_to(user, "view").values_list("pk", flat=True))
    out = []
    for r in rows:
        label, other = r.seen_from(person)
        out.append((label, other if other.pk in visible else None, r))
    out.sort(key=lambda t: (t[2].end_date is not None, t[0]))
    return out
