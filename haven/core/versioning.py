"""Optimistic locking: an edit carries the version it started from; a stale save is refused."""

from __future__ import annotations

from django.db import transaction


class StaleEdit(Exception):
    """Someone else saved the record after this edit began."""

    def __init__(self, obj, changed_by, changed_at):
        self.obj = obj
        self.changed_by = changed_by
        self.changed_at = changed_at
        who = str(changed_by) if changed_by else "another user"
        super().__init__(f"{who} changed this record since you opened it")


def last_change(obj):
    """(user, when) of the latest saved version of ``obj``."""
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
