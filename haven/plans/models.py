"""Plans (child protection, child in need; later care and pathway plans) with objectives and
SMART actions, reviews, and a child-friendly version written beside the plan."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from haven.core.codes import CPCategory
from haven.core.models import CaseQuerySet, CaseRecord


class PlanQuerySet(CaseQuerySet):
    def current(self, on=None):
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(start_date__lte=on).filter(models.Q(end_date__isnull=True) | models.Q(end_date__gt=on))

    def cp(self):
        return self.filter(kind=Plan.Kind.CP)

    def cin(self):
        return self.filter(kind=Plan.Kind.CIN)


class Plan(CaseRecord):
    class Kind(models.TextChoices):
        CP = "cp", "Child protection plan"
        CIN = "cin", "Child in need plan"

    class EndReason(models.TextChoices):
        NO_LONGER_AT_RISK = "no_longer_at_risk", "No longer at risk of significant harm"
        STEP_DOWN_CIN = "step_down_cin", "Stepped down to a child in need plan"
        STEP_DOWN_EH = "step_down_eh", "Stepped down to early help"
        LOOKED_AFTER = "looked_after", "Became looked after"
        MOVED = "moved", "Moved to another local authority"
        ADULT = "adult", "Reached 18"
        DIED = "died", "Died"
        OBJECTIVES_MET = "objectives_met", "Objectives met"
        OTHER = "other", "Other"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="plans")
    episode = models.ForeignKey("assessments.CINEpisode", on_delete=models.PROTECT, related_name="plans")
    kind = models.CharField(max_length=3, choices=Kind.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    initial_category = models.CharField("initial category of abuse", max_length=3, choices=CPCategory.choices, blank=True)
    latest_category = models.CharField("latest category of abuse", max_length=3, choices=CPCategory.choices, blank=True)
    summary = models.TextField("what needs to change", blank=True)
    child_friendly = models.TextField("the plan in words the child understands", blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["authority", "kind", "start_date"]), models.Index(fields=["person", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.start_date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("plans:plan-detail", args=[self.pk])

    @property
    def is_current(self) -> bool:
        return self.end_date is None

    def incomplete_actions(self):
        return [a for a in self.actions.all() if not a.is_smart]


class PlanObjective(CaseRecord):
    person_path = "plan__person"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    text = models.TextField("objective")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:80]


class PlanAction(CaseRecord):
    """An action in a plan. Specific, measurable, owned and timed: without an owner, a
    measurable outcome and a due date the form warns and the plan shows it as incomplete."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        NOT_DONE = "not_done", "Not done"

    person_path = "plan__person"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    objective = models.ForeignKey(PlanObjective, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    action = models.TextField("what will be done")
    owner = models.CharField("who will do it", max_length=120, blank=True)
    measurable_outcome = models.TextField("how we will know it has worked", blank=True)
    due_date = models.DateField("by when", null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.action[:80]

    @property
    def missing(self) -> list[str]:
        return [label for label, value in (("an owner", self.owner), ("a measurable outcome", self.measurable_outcome),
                                           ("a due date", self.due_date)) if not value]

    @property
    def is_smart(self) -> bool:
        return not self.missing


# Actions in a plan: by due date, undated last (the same on SQLite and PostgreSQL).
ACTION_ORDER = (models.F("due_date").asc(nulls_last=True), "id")


class PlanReview(CaseRecord):
    """A review of a child in need plan (CP plans are reviewed at review conferences)."""

    person_path = "plan__person"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"Plan review {self.held_on:%d/%m/%Y}"
