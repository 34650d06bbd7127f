"""The one implementation of scope: which records a user may see.

Capabilities (from roles, see ``haven.accounts.roles``) say what a user may *do*. Scope says
*which children*:

1. **Authority**: a user with an authority-wide role sees every person of the authorities that
   their teams serve (a shared MASH team serves the whole partnership).
2. **Allocation**: any user sees the people allocated to them or to one of their teams.
3. **Restricted** records (adoption, staff-related, high profile) additionally need an explicit
   grant or a live break-glass access. ``discover`` scope leaves this layer out, so that a search
   can say "a restricted record exists" and offer break-glass without showing it.

Records reach a person through ``person_path`` (``""`` for Person itself, ``"person"`` for its
sub-records); records without a person (e.g. households) are scoped by authority only.
Everything is a ``Q`` object, so scope is applied *before* an object is fetched: out of scope is
always 404, never a leak through a count or a list.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

ACTIONS = ("discover", "view", "change")


def _prefixed(path: str | None, field: str) -> str:
    return f"{path}__{field}" if path else field


def person_scope_q(user, path: str | None = "") -> Q:
    """Persons within the user's authority or allocation scope (restriction not applied)."""
    from haven.people.models import Allocation

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    q = Q(**{_prefixed(path, "authority_id__in"): sorted(user.authority_wide_ids)})
    allocated = Allocation.objects.current().filter(
        Q(worker_id=user.pk) | Q(team_id__in=sorted(user.team_ids))
    ).values("person_id")
    q |= Q(**{_prefixed(path, "pk__in"): allocated})
    return q


def restriction_q(user, path: str | None = "") -> Q:
    """Persons that are not restricted, or that this user has been granted or broken glass for."""
    from haven.accounts.models import BreakGlassAccess, RestrictedAccessGrant

    granted = RestrictedAccessGrant.objects.filter(user_id=user.pk, revoked_at__isnull=True).values(
        "person_id"
    )
    glass = BreakGlassAccess.objects.filter(user_id=user.pk, expires_at__gt=timezone.now()).values(
        "person_id"
    )
    return (
        Q(**{_prefixed(path, "restricted"): False})
        | Q(**{_prefixed(path, "pk__in"): granted})
        | Q(**{_prefixed(path, "pk__in"): glass})
    )


def scope_q(model, user, action: str = "view") -> Q:
    """The Q that limits ``model``'s rows to those ``user`` may reach for ``action``."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    path = getattr(model, "person_path", None)
    if getattr(model, "multi_person", False):
        # Family-level records (a contact, a strategy discussion, a visit to several children):
        # visible if any child they concern is. A correlated EXISTS on the outer row, so the
        # page's own filters (this child's contacts, the open ones) apply first and the scope is
        # checked only for the rows they leave (an uncorrelated "pk IN (every visible contact)"
        # built the whole set first: 250 ms on a record page at the large seed on PostgreSQL).
        inner = person_scope_q(user, path)
        if action != "discover":
            inner &= restriction_q(user, path)
        manager = model._base_manager
        return Q(Exists(manager.filter(inner, pk=OuterRef("pk")))) | Q(
            Exists(manager.filter(**{f"{path.split('__')[0]}__isnull": True}, pk=OuterRef("pk"))),
            authority_id__in=sorted(user.authority_wide_ids))
    if path is None:
        # Not about one person: scoped by authority (authority-wide roles, or any team serving it).
        ids = {a.pk for a in user.authorities} if action == "discover" else user.authority_wide_ids
        return Q(authority_id__in=sorted(ids))
    q = person_scope_q(user, path)
    if action != "discover":
        q &= restriction_q(user, path)
    return q


def can_open_person(user, person) -> bool:
    """True if the user may open this person's record now (scope and restriction)."""
    from haven.people.models import Person

    return Person.objects.filter(pk=person.pk).visible_to(user, "view").exists()
