"""Referrals (each opens a child-in-need episode, as the CIN census counts them) and single
assessments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from haven.core.codes import AssessmentFactor, ClosureReason, PrimaryNeed, ReferralSource
from haven.core.models import CaseQuerySet, CaseRecord


class EpisodeQuerySet(CaseQuerySet):
    def open_on(self, day):
        """Open at some time on ``day`` (an episode closed that day was open during it)."""
        return self.filter(referral_date__lte=day).filter(models.Q(closure_date__isnull=True) | models.Q(closure_date__gte=day))

    def open_at_end_of(self, day):
        """Open when ``day`` is over: referred on or before it and not closed by it (closed after
        it, or not at all). Children in need at 31 March (CIN census), the KPIs and open cases."""
        return self.filter(referral_date__lte=day).filter(models.Q(closure_date__isnull=True) | models.Q(closure_date__gt=day))


class CINEpisode(CaseRecord):
    """A referral to children's social care and the episode of need it opens (CIN census
    CINdetails): from the referral date to closure."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cin_episodes")
    contact = models.ForeignKey("front_door.Contact", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="referrals")
    referral_date = models.DateField()
    source = models.CharField("referral source", max_length=3, choices=ReferralSource.choices)
    primary_need = models.CharField(max_length=2, choices=PrimaryNeed.choices, default=PrimaryNeed.N0)
    decision_date = models.DateField("date of the decision on the referral", null=True, blank=True)
    referral_nfa = models.BooleanField("no further action on the referral", default=False)
    closure_date = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=3, choices=ClosureReason.choices, blank=True)
    stepped_down_to_early_help = models.BooleanField(default=False)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-referral_date", "-id"]
        verbose_name = "referral"
        indexes = [models.Index(fields=["authority", "referral_date"]), models.Index(fields=["person", "referral_date"])]

    def __str__(self) -> str:
        return f"Referral {self.referral_date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("assessments:episode-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closure_date is None


class Assessment(CaseRecord):
    """A single assessment (Working Together 2023): authorised within 45 working days of the
    referral."""

    class Outcome(models.TextChoices):
        NFA = "nfa", "No further action"
        EARLY_HELP = "early_help", "Step down to early help"
        CIN_PLAN = "cin_plan", "Child in need plan"
        STRATEGY = "strategy", "Strategy discussion"
        CLA = "cla", "Child to become looked after"
        CONTINUE = "continue", "Continue to support (other services)"

    episode = models.ForeignKey(CINEpisode, on_delete=models.CASCADE, related_name="assessments")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="assessments")
    start_date = models.DateField()
    child_seen_date = models.DateField(null=True, blank=True)
    seen_alone = models.BooleanField("child seen alone", default=False)
    analysis = models.TextField(blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    completed_date = models.DateField(null=True, blank=True)
    authorised_date = models.DateField(null=True, blank=True)
    authorised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")

    class Meta:
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return f"Assessment started {self.start_date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("assessments:assessment-detail", args=[self.pk])


class AssessmentFactorIdentified(CaseRecord):
    person_path = "assessment__person"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="factors")
    code = models.CharField(max_length=3, choices=AssessmentFactor.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "code"], name="assessment_factor_unique")]

    def __str__(self) -> str:
        return self.get_code_display()
