"""Optimistic locking: an edit carries the version it started from; a stale save is refused."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone


class StaleEdit(Exception):
    """Someone else saved the record after this edit began."""

    def __init__(self, obj, changed_by, changed_at):
        self.obj = obj
        self.changed_by = changed_by
        self.changed_at = changed_at
        who = str(changed_by) if changed_by else "another user"
        super().__init__(f"{who} changed this record since you opened it")

    def message(self, what: str = "record") -> str:
        """What a form says when it refuses the save (who and when, in local time)."""
        when = ""
        if self.changed_at:
            at = timezone.localtime(self.changed_at) if timezone.is_aware(self.changed_at) else self.changed_at
            when = f" at {at:%H:%M on %d/%m/%Y}"
        return (f"{self.changed_by or 'Another user'} changed this {what}{when}, after you opened it. "
                f"Your changes have not been saved. Check the {what}, then save again to keep your changes.")


def last_change(obj):
    """(user, when) of the latest saved version of ``obj``: from its history, or for a model
    without one from its ``updated_by`` and ``updated_at``."""
    if not hasattr(type(obj), "history"):
        return getattr(obj, "updated_by", None), getattr(obj, "updated_at", None)
    latest = obj.history.order_by("-history_date", "-history_id").select_related("history_user").first()
    if latest is None:
        return None, None
    return latest.history_user, latest.history_date


def save_versioned(obj, *, expected_version: int, actor, reason: str = "") -> None:
    """Save ``obj`` if nobody saved it since ``expected_version``; otherwise raise StaleEdit.

    The current version is read with a row lock (PostgreSQL) or under SQLite's IMMEDIATE
    transaction, so two concurrent saves of the same version cannot both pass.
    """
    model = type(obj)
    with transaction.atomic():
        current = model._base_manager.select_for_update().only("version").get(pk=obj.pk)
        if current.version != expected_version:
            who, when = last_change(current)
            raise StaleEdit(current, who, when)
        obj.version = expected_version + 1
        obj.updated_by = actor
        if reason:
            obj._change_reason = reason
        obj.save()
