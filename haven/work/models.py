"""Deadlines derived from the timescale rules (``haven.core.timescales``). They are recomputed
whenever a record a rule reads changes; worklists, overdue flags and timeliness KPIs read them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from haven.core.models import CaseQuerySet, CaseRecord


class DeadlineQuerySet(CaseQuerySet):
    def open(self, now=None):
        """Work still to do: not met, not exempt, and the clock not stopped (plan ended, case
        closed) before now."""
        now = now or timezone.now()
        return self.filter(met_at__isnull=True, exempt=False).filter(
            models.Q(stopped_at__isnull=True) | models.Q(stopped_at__gt=now))

    def overdue(self, now=None):
        now = now or timezone.now()
        return self.open(now).filter(due_at__lt=now)


class Deadline(models.Model):
    """One deadline a rule set for one trigger record (derived data: never edited by hand)."""

    rule = models.CharField(max_length=40, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    trigger = GenericForeignKey("content_type", "object_id")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="deadlines")
    authority = models.ForeignKey("accounts.LocalAuthority", on_delete=models.CASCADE, related_name="+")
    sequence = models.PositiveSmallIntegerField(default=1)
    starts_at = models.DateTimeField()
    due_at = models.DateTimeField(db_index=True)
    met_at = models.DateTimeField(null=True, blank=True)
    exempt = models.BooleanField(default=False)
    exemption_reason = models.TextField(blank=True)
    stopped_at = models.DateTimeField(
        null=True, blank=True,
        help_text="The clock stopped (plan ended, case closed, conference not needed) before this was met")

    objects = DeadlineQuerySet.as_manager()

    person_path = "person"
    multi_person = False

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "rule"]),
            models.Index(fields=["person", "met_at", "due_at"]),
            models.Index(fields=["authority", "rule", "due_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.rule} due {self.due_at:%d/%m/%Y}"

    @property
    def rule_obj(self):
        from haven.core.timescales.rules import RULES

        return RULES.get(self.rule)

    @property
    def label(self) -> str:
        rule = self.rule_obj
        return rule.label if rule else self.rule

    @property
    def is_open(self) -> bool:
        return (self.met_at is None and not self.exempt
                and (self.stopped_at is None or self.stopped_at > timezone.now()))

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()

    @property
    def met_in_time(self) -> bool | None:
        return None if self.met_at is None else self.met_at <= self.due_at


class TimescaleExemption(CaseRecord):
    """A manager's decision to stop (exempt) or extend a clock, with the reason. Only for rules
    that allow it (``Rule.exemptible``)."""

    person_path = None

    class Kind(models.TextChoices):
        EXEMPT = "exempt", "Stop the clock (exemption)"
        EXTEND = "extend", "Extend the deadline"

    rule = models.CharField(max_length=40)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    trigger = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    extended_to = models.DateField(null=True, blank=True)
    reason = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id", "rule"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.rule}"
