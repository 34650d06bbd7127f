"""Bulk changes to audited models go through here, so history is never skipped."""

from __future__ import annotations

from django.db import transaction
from simple_history.utils import bulk_update_with_history


def audited_update(queryset, *, actor, reason: str = "", **changes) -> int:
    """Like ``queryset.update(**changes)`` but every row gets a version and a history entry."""
    objs = list(queryset)
    for obj in objs:
        for field, value in changes.items():
            setattr(obj, field, value)
        obj.version += 1
        obj.updated_by = actor
    with transaction.atomic():
        bulk_update_with_history(
            objs, queryset.model, [*changes.keys(), "version", "updated_by"],
            default_user=actor, default_change_reason=reason or None,
        )
    return len(objs)
