"""Missing children and exploitation: missing (or absent) episodes from home or care, return
home interviews with structured push and pull factors, exploitation risk assessments, and the
decisions of multi-agency exploitation panels (MASE, MACE, contextual safeguarding) with their
tracked actions.

Episodes are written through ``haven.missing.services`` (which refuses an end before the start,
a start in the future and overlapping episodes); whether the child was looked after when they
went missing (``from_care``) and the placement they went missing from are computed on save from
``haven.looked_after``. The 72-hour return home interview clock is rule ``missing_rhi_72h``
(``timescales.py``).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.urls import reverse
from django.utils import timezone

from haven.core.models import CaseRecord

from .codes import (
    ActionStatus,
    ExploitationKind,
    ExploitationRisk,
    MissingKind,
    Panel,
    RHIOutcome,
    RiskLevel,
    WhereFound,
)


def looked_after_at(person, when: dt.datetime):
    """(looked after?, the placement) for ``person`` at ``when``: a child is looked after on a
    day if a period of care covers it; the placement is the one they lived in that day."""
    from haven.looked_after.models import PeriodOfCare, Placement

    day = timezone.localtime(when).date() if timezone.is_aware(when) else when.date()
    if not PeriodOfCare.objects.filter(person=person).open_on(day).exists():
        return False, None
    placements = Placement.objects.filter(person=person, start_date__lte=day).order_by("-start_date", "-pk")
    placement = (placements.filter(models.Q(end_date__isnull=True) | models.Q(end_date__gt=day)).first()
                 or placements.filter(end_date__gte=day).first())
    return True, placement


class MissingEpisode(CaseRecord):
    """A child missing, or away from placement without authorisation (SSDA903 Missing table)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="missing_episodes")
    kind = models.CharField("missing or away", max_length=1, choices=MissingKind.choices, default=MissingKind.MISSING,
                            help_text="Away: the child's whereabouts are known but they are not where they should be")
    started_at = models.DateTimeField("went missing")
    ended_at = models.DateTimeField("returned or found", null=True, blank=True)
    circumstances = models.TextField(blank=True)
    reported_to_police = models.BooleanField("reported to the police", default=False)
    police_reference = models.CharField("police reference", max_length=40, blank=True)
    risk_level = models.CharField("risk level", max_length=6, choices=RiskLevel.choices, default=RiskLevel.MEDIUM)
    where_found = models.CharField("where found", max_length=16, choices=WhereFound.choices, blank=True)
    where_found_detail = models.TextField("where found: details", blank=True)
    found_by = models.CharField("found by", max_length=120, blank=True)
    police_safe_and_well_check_on = models.DateTimeField("police safe and well check", null=True, blank=True)
    from_care = models.BooleanField("missing from care", default=False, editable=False,
                                    help_text="The child was looked after when they went missing (computed)")
    placement = models.ForeignKey("looked_after.Placement", null=True, blank=True, editable=False,
                                  on_delete=models.SET_NULL, related_name="missing_episodes",
                                  help_text="The placement the child went missing from (computed)")

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["person", "started_at"]), models.Index(fields=["authority", "started_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {timezone.localtime(self.started_at):%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("missing:episode-detail", args=[self.pk])

    def save(self, *args, **kwargs):
        if self.started_at and self.person_id:
            self.from_care, self.placement = looked_after_at(self.person, self.started_at)
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    def hours(self, now: dt.datetime | None = None) -> float:
        """How long the child was (or has so far been) missing, in hours."""
        end = self.ended_at or now or timezone.now()
        return max(0.0, (end - self.started_at).total_seconds() / 3600)

    @property
    def source(self) -> str:
        return "care" if self.from_care else "home"


class ReturnInterview(CaseRecord):
    """A return home interview offered (or not) after a missing episode: by someone
    independent of the child's care where possible, within 72 hours of the return."""

    person_path = "episode__person"

    episode = models.ForeignKey(MissingEpisode, on_delete=models.CASCADE, related_name="return_interviews")
    outcome = models.CharField(max_length=12, choices=RHIOutcome.choices)
    offered_at = models.DateTimeField("offered", null=True, blank=True)
    offered_by = models.CharField("offered by", max_length=120, blank=True)
    not_offered_reason = models.TextField("why it was not offered", blank=True)
    independent = models.BooleanField("by someone independent of the child's care", default=False)
    completed_at = models.DateTimeField("completed", null=True, blank=True)
    conducted_by = models.CharField("conducted by", max_length=120, blank=True)
    push_factors = models.JSONField("push factors", default=list, blank=True)
    pull_factors = models.JSONField("pull factors", default=list, blank=True)
    factors_detail = models.TextField("push and pull factors: what the child said", blank=True)
    risks_identified = models.TextField("risks identified", blank=True)
    referrals = models.JSONField("actions and referrals", default=list, blank=True)
    actions = models.TextField("actions: details", blank=True)

    class Meta:
        ordering = ["episode", "offered_at", "pk"]

    def __str__(self) -> str:
        when = f" {timezone.localtime(self.offered_at):%d/%m/%Y}" if self.offered_at else ""
        return f"Return home interview{when}: {self.get_outcome_display().lower()}"

    def get_absolute_url(self) -> str:
        return reverse("missing:episode-detail", args=[self.episode_id]) + f"#rhi-{self.pk}"

    @property
    def taken_up(self) -> bool:
        return self.outcome in (RHIOutcome.ACCEPTED, RHIOutcome.COMPLETED)

    def save(self, *args, **kwargs):
        if not self.authority_id:
            self.authority_id = self.episode.authority_id
        super().save(*args, **kwargs)


class ExploitationRiskAssessment(CaseRecord):
    """A child's exploitation risk assessment (CSE, CCE, trafficking, radicalisation…). The
    latest one decides the "Exploitation risk" flag (medium or high)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="exploitation_assessments")
    assessed_on = models.DateField("date of the assessment")
    kind = models.CharField("kind of exploitation", max_length=16, choices=ExploitationKind.choices)
    risk_level = models.CharField("risk level", max_length=6, choices=ExploitationRisk.choices)
    indicators = models.JSONField("indicators", default=list, blank=True)
    indicators_detail = models.TextField("indicators: details", blank=True)
    locations_and_associates = models.TextField(
        "locations and associates of concern", blank=True,
        help_text="Places, addresses, vehicles, social media accounts or people the child is linked with")
    assessed_by = models.CharField("assessed by", max_length=120)
    summary = models.TextField("analysis", blank=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} risk assessment {self.assessed_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("missing:risk-detail", args=[self.pk])

    @property
    def raises_flag(self) -> bool:
        return self.risk_level in (ExploitationRisk.MEDIUM, ExploitationRisk.HIGH)


class PanelDecision(CaseRecord):
    """A multi-agency panel's decision about a child (MASE, MACE, contextual safeguarding)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="panel_decisions")
    panel = models.CharField(max_length=12, choices=Panel.choices)
    held_on = models.DateField("date of the panel")
    risk_level = models.CharField("risk level agreed", max_length=6, choices=ExploitationRisk.choices, blank=True)
    decision = models.TextField("decision")
    locations_and_associates = models.TextField(
        "locations and associates of concern", blank=True,
        help_text="Places, addresses or people the panel linked to the child (disruption activity)")
    next_review_on = models.DateField("next review", null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_panel_display()} {self.held_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("missing:panel-detail", args=[self.pk])

    @property
    def review_overdue(self) -> bool:
        return bool(self.next_review_on and self.next_review_on < timezone.localdate()
                    and not PanelDecision.objects.filter(person_id=self.person_id, panel=self.panel,
                                                          held_on__gt=self.held_on).exists())


class PanelAction(CaseRecord):
    """An action a panel agreed: what, who, by when, and where it has got to."""

    person_path = "decision__person"

    decision = models.ForeignKey(PanelDecision, on_delete=models.CASCADE, related_name="actions")
    action = models.TextField("what will be done")
    owner = models.CharField("who will do it", max_length=120)
    due_date = models.DateField("by when")
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    completed_on = models.DateField("date done", null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.action[:80]

    def get_absolute_url(self) -> str:
        return reverse("missing:panel-detail", args=[self.decision_id]) + f"#action-{self.pk}"

    @property
    def is_overdue(self) -> bool:
        return self.status in (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS) and self.due_date < timezone.localdate()

    def save(self, *args, **kwargs):
        if not self.authority_id:
            self.authority_id = self.decision.authority_id
        super().save(*args, **kwargs)
