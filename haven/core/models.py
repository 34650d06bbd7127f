"""The base of every case record: authority, version, who/when, history, scope."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from . import access

# Ids per ``__in`` query: under the 999 variables of SQLite builds older than 3.32, which Django
# assumes (``connection.features.max_query_params``).
IN_BATCH = 900


def in_batches(items, size: int = IN_BATCH):
    """``items`` (a list) in slices of ``size``: one query per slice for an ``__in`` lookup."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view") -> CaseQuerySet:
        """Only the rows ``user`` may reach for ``action`` (``discover``, ``view``, ``change``)."""
        return self.filter(access.scope_q(self.model, user, action))


class CaseRecord(models.Model):
    """Abstract base: every case record belongs to one local authority, carries a version for
    optimistic locking and keeps its full history (django-simple-history).

    ``person_path`` names the path to the person the record is about (``""`` on Person itself);
    ``None`` means the record is not about one person and is scoped by authority.
    """

    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
    )
    history = HistoricalRecords(inherit=True, excluded_fields=["updated_at"])

    objects = CaseQuerySet.as_manager()

    person_path: ClassVar[str | None] = "person"
    # True when person_path crosses a many-valued relation (a record about several children).
    multi_person: ClassVar[bool] = False

    class Meta:
        abstract = True

    def audit_person_ids(self) -> list[int]:
        """Everyone whose record this is part of, for the access log (one entry each)."""
        if self.multi_person:
            return list(type(self)._base_manager.filter(pk=self.pk).exclude(**{f"{self.person_path}__isnull": True})
                        .values_list(self.person_path, flat=True).distinct())
        person_id = self.audit_person_id()
        return [person_id] if person_id else []

    def audit_person_id(self) -> int | None:
        """The person whose record this is, for the access log."""
        if self.multi_person:
            ids = self.audit_person_ids()
            return ids[0] if ids else None
        if self.person_path is None:
            return None
        if self.person_path == "":
            return self.pk
        obj = self
        for part in self.person_path.split("__"):
            obj = getattr(obj, part)
        return obj.pk if obj is not None else None

    def save(self, *args, **kwargs):
        if not self.authority_id and self.person_path and not self.multi_person:
            person = self
            for part in self.person_path.split("__"):
                person = getattr(person, part)
            self.authority_id = person.authority_id
        super().save(*args, **kwargs)
