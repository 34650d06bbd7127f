"""Health of looked-after children: health assessments (initial, review, and a care leaver's
final assessment with the health history given to them), dental checks, immunisations and
Strengths and Difficulties Questionnaire (SDQ) scores.

The health history given to a care leaver is recorded on their final health assessment
(``health_history_given_on``): it is written from that assessment, so one record holds both and a
manager can see at a glance whether a young person left care with it.

Changes go through ``haven.health.services`` (pages and API alike), which refuses impossible
data. The clocks (``cla_health_assessment``, ``cla_dental_check``) are timescale rules in
``timescales.py``; saving a record here recomputes the child's deadlines.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from haven.core.codes.looked_after import SDQReason
from haven.core.models import CaseRecord


def day(value) -> str:
    """27 March 2019 (GOV.UK style)."""
    return f"{value.day} {value:%B %Y}" if value else ""


class HealthAssessment(CaseRecord):
    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial health assessment"
        REVIEW = "review", "Review health assessment"
        FINAL = "final", "Final health assessment (leaving care)"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="health_assessments")
    kind = models.CharField("type of assessment", max_length=7, choices=Kind.choices)
    completed_on = models.DateField("date completed")
    by_name = models.CharField("completed by", max_length=120, help_text="The name of the health professional")
    by_role = models.CharField("their role", max_length=120, blank=True,
                               help_text="For example 'Paediatrician' or 'Looked-after children nurse'")
    by_organisation = models.CharField("their organisation", max_length=160, blank=True)
    outcome = models.TextField("outcome summary", help_text="What the assessment found")
    health_plan_actions = models.TextField(
        "health plan actions", blank=True,
        help_text="What will be done, by whom and by when. Start a new line for each action")
    health_history_given_on = models.DateField(
        "health history given to the young person", null=True, blank=True,
        help_text="Final assessments only: the date the young person was given their health history")

    class Meta:
        ordering = ["-completed_on", "-pk"]
        indexes = [models.Index(fields=["person", "kind", "completed_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.completed_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("health:assessment-detail", args=[self.pk])

    @property
    def by(self) -> str:
        return ", ".join(p for p in (self.by_name, self.by_role, self.by_organisation) if p)

    def summary_rows(self) -> list[tuple[str, str]]:
        rows = [("Type", self.get_kind_display()), ("Completed", day(self.completed_on)), ("Completed by", self.by),
                ("Outcome", self.outcome), ("Health plan actions", self.health_plan_actions or "None recorded")]
        if self.kind == self.Kind.FINAL:
            rows.append(("Health history given", day(self.health_history_given_on) or "Not yet"))
        return rows


class DentalCheck(CaseRecord):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="dental_checks")
    checked_on = models.DateField("date of the check")
    practice = models.CharField("dentist or practice", max_length=160, blank=True)
    treatment_needed = models.BooleanField("treatment needed", default=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-checked_on", "-pk"]
        indexes = [models.Index(fields=["person", "checked_on"])]

    def __str__(self) -> str:
        return f"Dental check on {self.checked_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("health:dental-detail", args=[self.pk])

    def summary_rows(self) -> list[tuple[str, str]]:
        return [("Date", day(self.checked_on)), ("Dentist or practice", self.practice or "Not recorded"),
                ("Treatment needed", "Yes" if self.treatment_needed else "No"), ("Notes", self.notes or "None")]


class Immunisations(CaseRecord):
    """Whether the child's immunisations were up to date on a day (as the SSDA903 OC2 return
    asks), and what is missing or planned when they were not."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="immunisation_records")
    recorded_on = models.DateField("date checked")
    up_to_date = models.BooleanField("immunisations up to date", default=False)
    notes = models.TextField(blank=True, help_text="Which immunisations are missing and what is planned")

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        verbose_name = "immunisation record"
        verbose_name_plural = "immunisation records"

    def __str__(self) -> str:
        state = "up to date" if self.up_to_date else "not up to date"
        return f"Immunisations {state} on {self.recorded_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("health:immunisations-detail", args=[self.pk])

    def summary_rows(self) -> list[tuple[str, str]]:
        return [("Date checked", day(self.recorded_on)), ("Up to date", "Yes" if self.up_to_date else "No"),
                ("Notes", self.notes or "None")]


class SDQScore(CaseRecord):
    """A Strengths and Difficulties Questionnaire total (0-40), or the SSDA903 reason (SDQ1-SDQ5)
    why there is none."""

    class CompletedBy(models.TextChoices):
        CARER = "carer", "Carer"
        PARENT = "parent", "Parent"
        TEACHER = "teacher", "Teacher"
        YOUNG_PERSON = "young_person", "The young person"
        OTHER = "other", "Someone else"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="sdq_scores")
    completed_on = models.DateField("date completed")
    score = models.PositiveSmallIntegerField("total difficulties score", null=True, blank=True,
                                             help_text="A number from 0 to 40")
    reason = models.CharField("reason there is no score", max_length=4, choices=SDQReason.choices, blank=True)
    completed_by = models.CharField("who completed it", max_length=12, choices=CompletedBy.choices, blank=True)

    class Meta:
        ordering = ["-completed_on", "-pk"]
        verbose_name = "SDQ score"
        verbose_name_plural = "SDQ scores"

    def __str__(self) -> str:
        what = f"score {self.score}" if self.score is not None else f"no score ({self.reason})"
        return f"SDQ on {self.completed_on:%d/%m/%Y}: {what}"

    def get_absolute_url(self) -> str:
        return reverse("health:sdq-detail", args=[self.pk])

    @property
    def band(self) -> str:
        """The usual banding of the total difficulties score for carers' questionnaires."""
        if self.score is None:
            return ""
        if self.score <= 13:
            return "Normal"
        if self.score <= 16:
            return "Borderline"
        return "Cause for concern"

    def summary_rows(self) -> list[tuple[str, str]]:
        value = f"{self.score} ({self.band.lower()})" if self.score is not None else "No score"
        rows = [("Date completed", day(self.completed_on)), ("Score", value)]
        if self.reason:
            rows.append(("Reason there is no score", f"{self.reason}: {self.get_reason_display()}"))
        rows.append(("Completed by", self.get_completed_by_display() or "Not recorded"))
        return rows


# Models with a page and an API endpoint: (model, url slug, label).
RECORDS = [
    (HealthAssessment, "assessment", "health assessment"),
    (DentalCheck, "dental", "dental check"),
    (Immunisations, "immunisations", "immunisations check"),
    (SDQScore, "sdq", "SDQ score"),
]
