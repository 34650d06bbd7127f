"""Writing to the access log: ``record(request_or_actor, action, obj=…, person_id=…)``."""

from __future__ import annotations

from django.http import HttpRequest

from .models import AccessLog

Action = AccessLog.Action


def client_ip(request: HttpRequest) -> str | None:
    # Behind a trusted proxy, configure it to set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR") or None


def record(
    who,
    action: str,
    *,
    obj=None,
    person_id: int | None = None,
    authority_id: int | None = None,
    summary: str = "",
    reason: str = "",
    detail: dict | None = None,
) -> AccessLog:
    """Append one entry. ``who`` is a request (user, address and path are taken from it) or a
    user (for commands and background tasks)."""
    request = who if isinstance(who, HttpRequest) else None
    user = request.user if request is not None else who
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    entry = AccessLog(
        user=user,
        username=user.get_username() if user else "",
        action=action,
        summary=summary[:300],
        reason=reason,
        detail=detail or {},
    )
    if request is not None:
        entry.ip_address = client_ip(request)
        entry.path = request.get_full_path()[:500]
    if obj is not None:
        entry.object_type = obj._meta.label_lower
        entry.object_id = str(obj.pk)
        if person_id is None and hasattr(obj, "audit_person_id"):
            person_id = obj.audit_person_id()
        if authority_id is None:
            authority_id = getattr(obj, "authority_id", None)
        if not summary:
            entry.summary = str(obj)[:300]
    entry.person_id = person_id
    entry.authority_id = authority_id
    entry.save()
    if obj is not None and getattr(obj, "multi_person", False):
        # A family-level record: each child's "who has seen this record" shows the view.
        for other_id in obj.audit_person_ids():
            if other_id != person_id:
                entry.pk = None
                entry.person_id = other_id
                entry.save()
    return entry
