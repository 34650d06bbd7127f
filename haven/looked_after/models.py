"""Children looked after: periods of care made of SSDA903 episodes, and the placements they
happen in.

A **period of care** runs from the day a child starts to be looked after to the day they stop.
It is a sequence of **episodes** with no gaps: a new episode starts whenever the legal status or
the placement changes (RNE says which), and every episode but the last ends with REC ``X1``. A
**placement** is where the child lives (type, provider, carer, address): a change of legal status
alone (RNE ``L``) starts a new episode in the same placement. The SSDA903 Episodes table is
written from episodes joined to their placement; the statutory visit clock runs per placement.

Changes go through ``haven.looked_after.services`` (start a period, change placement, change
legal status, end the period), which keeps these invariants and checks the history against the
SSDA903 validation rules (``haven.looked_after.validation``) before saving.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.urls import reverse
from django.utils import timezone

from haven.core.codes.looked_after import (
    CONNECTED_PERSON_PLACEMENTS,
    LONG_TERM_PLACEMENTS,
    CategoryOfNeed,
    LegalStatus,
    PlacementProvider,
    PlacementType,
    ReasonEpisodeCeased,
    ReasonNewEpisode,
    ReasonPlaceChange,
)
from haven.core.models import CaseQuerySet, CaseRecord


class OfstedRating(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement to be good"
    INADEQUATE = "inadequate", "Inadequate"
    NOT_INSPECTED = "not_inspected", "Not yet inspected"


class Provider(models.Model):
    """A placement provider (children's home, fostering agency, supported accommodation…), with
    its Ofsted unique reference number and latest rating. Reference data shared by the
    partnership: not a case record."""

    name = models.CharField(max_length=200)
    urn = models.CharField("Ofsted URN", max_length=8, blank=True, db_index=True,
                           help_text="Ofsted unique reference number (SC followed by digits, or 6-7 digits)")
    provider_code = models.CharField("provider type", max_length=3, choices=PlacementProvider.choices)
    ofsted_rating = models.CharField(max_length=24, choices=OfstedRating.choices, blank=True)
    rating_date = models.DateField("date of latest rating", null=True, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    active = models.BooleanField(default=True)
    authority = models.ForeignKey("accounts.LocalAuthority", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="added by",
                                  help_text="The authority that added the provider (every authority can use it)")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.urn})" if self.urn else self.name


class PeriodOfCareQuerySet(CaseQuerySet):
    def open_on(self, day: dt.date):
        return self.filter(start_date__lte=day).filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=day))

    def current(self):
        return self.filter(end_date__isnull=True)


class PeriodOfCare(CaseRecord):
    """From starting to be looked after (first episode's DECOM) to ceasing (last episode's DEC)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="periods_of_care")
    start_date = models.DateField("date started to be looked after")
    end_date = models.DateField("date ceased to be looked after", null=True, blank=True)
    end_reason = models.CharField("reason ceased", max_length=3, choices=ReasonEpisodeCeased.choices, blank=True)
    uasc = models.BooleanField("unaccompanied asylum-seeking child", default=False)
    home_postcode = models.CharField("home postcode", max_length=8, blank=True,
                                     help_text="Where the child lived when they started to be looked after")
    cin_episode = models.ForeignKey("assessments.CINEpisode", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="periods_of_care")

    objects = PeriodOfCareQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["person", "start_date"]), models.Index(fields=["end_date"])]

    def __str__(self) -> str:
        end = f" to {self.end_date:%d/%m/%Y}" if self.end_date else ""
        return f"Looked after from {self.start_date:%d/%m/%Y}{end}"

    def get_absolute_url(self) -> str:
        return reverse("looked_after:period-detail", args=[self.pk])

    def days_in_care(self, on: dt.date | None = None) -> int:
        on = on or timezone.localdate()
        end = min(self.end_date, on) if self.end_date else on
        return max(0, (end - self.start_date).days + 1)


class Placement(CaseRecord):
    """Where a looked-after child lives, from a date to a date."""

    class VisitRegime(models.TextChoices):
        STANDARD = "standard", "Every 6 weeks"
        LONG_TERM = "long_term", "Every 6 weeks in the first year, then every 3 months"
        TEMPORARY_APPROVAL = "temporary_approval", "Weekly (temporary approval of a connected person)"

    class Location(models.TextChoices):
        IN = "IN", "Inside the local authority's boundary"
        OUT = "OUT", "Outside the local authority's boundary"

    period = models.ForeignKey(PeriodOfCare, on_delete=models.CASCADE, related_name="placements")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="placements")
    start_date = models.DateField("placement started")
    end_date = models.DateField("placement ended", null=True, blank=True)
    place = models.CharField("placement type", max_length=2, choices=PlacementType.choices)
    provider_code = models.CharField("placement provider", max_length=3, choices=PlacementProvider.choices)
    provider = models.ForeignKey(Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="placements")
    carer = models.CharField("carer or setting", max_length=200, blank=True)
    address = models.TextField("placement address", blank=True)
    postcode = models.CharField("placement postcode", max_length=8, blank=True)
    urn = models.CharField("Ofsted URN", max_length=8, blank=True)
    ofsted_rating = models.CharField("Ofsted rating when placed", max_length=24, choices=OfstedRating.choices,
                                     blank=True)
    distance_miles = models.DecimalField("distance from home (miles)", max_digits=6, decimal_places=1, null=True,
                                         blank=True, help_text="Computed from the home and placement postcodes")
    location = models.CharField("inside or outside the authority", max_length=3, choices=Location.choices,
                                blank=True, help_text="Computed from the placement postcode")
    placing_authority_area = models.CharField("local authority area of the placement", max_length=80, blank=True)
    temporary_approval = models.BooleanField(
        "temporary approval of a connected person (regulation 24)", default=False,
        help_text="The child is visited weekly until the carer is fully approved")
    approval_confirmed_on = models.DateField("full approval confirmed", null=True, blank=True)
    reason_for_change = models.CharField("reason for placement change", max_length=6,
                                         choices=ReasonPlaceChange.choices, blank=True,
                                         help_text="Recorded when the child moves from this placement")
    visits = models.CharField("statutory visits", max_length=20, choices=VisitRegime.choices,
                              default=VisitRegime.STANDARD, editable=False)

    class Meta:
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["person", "start_date"]), models.Index(fields=["end_date"])]

    def __str__(self) -> str:
        return f"{self.get_place_display()} from {self.start_date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("looked_after:period-detail", args=[self.period_id]) + f"#placement-{self.pk}"

    @property
    def visit_regime(self) -> str:
        if self.temporary_approval and not self.approval_confirmed_on:
            return self.VisitRegime.TEMPORARY_APPROVAL
        if self.place in LONG_TERM_PLACEMENTS:
            return self.VisitRegime.LONG_TERM
        return self.VisitRegime.STANDARD

    @property
    def connected_person(self) -> bool:
        return self.place in CONNECTED_PERSON_PLACEMENTS

    def save(self, *args, **kwargs):
        # Stored so that the visit rule can choose its schedule in the database.
        self.visits = self.visit_regime
        super().save(*args, **kwargs)


class Episode(CaseRecord):
    """One SSDA903 episode: a stretch of a period of care with one legal status and one
    placement."""

    period = models.ForeignKey(PeriodOfCare, on_delete=models.CASCADE, related_name="episodes")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="care_episodes")
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="episodes")
    start_date = models.DateField("episode started (DECOM)")
    reason_new = models.CharField("reason for new episode (RNE)", max_length=1, choices=ReasonNewEpisode.choices)
    legal_status = models.CharField("legal status (LS)", max_length=2, choices=LegalStatus.choices)
    category_of_need = models.CharField("category of need (CIN)", max_length=2, choices=CategoryOfNeed.choices)
    end_date = models.DateField("episode ended (DEC)", null=True, blank=True)
    end_reason = models.CharField("reason episode ceased (REC)", max_length=3, choices=ReasonEpisodeCeased.choices,
                                  blank=True)
    warnings_acknowledged = models.TextField(
        "SSDA903 warnings acknowledged", blank=True, editable=False,
        help_text="The SSDA903 validation warnings the user checked and chose to save with, who and when")

    class Meta:
        ordering = ["start_date", "pk"]
        indexes = [models.Index(fields=["person", "start_date"]), models.Index(fields=["end_date"])]

    def __str__(self) -> str:
        return f"{self.legal_status} {self.placement.place} from {self.start_date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("looked_after:period-detail", args=[self.period_id]) + f"#episode-{self.pk}"
