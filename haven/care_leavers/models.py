"""Care leavers: the leaving-care category (computed from the care history, confirmed or
overridden by a worker), the pathway plan with its needs assessment, tracked actions and
reviews, contacts and in-touch status, accommodation (type and suitability), activity (EET),
custody (with the contact frequency managers must see), staying put and the leaver's health
facts. The personal adviser is a ``people.Allocation`` with role ``personal_adviser``.

Date rules live in ``checks``; changes go through ``services`` (pages and API alike).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from haven.core.codes.looked_after import (
    IN_EET,
    AccommodationType,
    InTouch,
    LeaverEligibility,
    accommodation_code,
)
from haven.core.codes.looked_after import Activity as ActivityCode
from haven.core.models import CaseQuerySet, CaseRecord

# ACCOM types that carry no suitability (the young person is abroad or was deported).
NO_SUITABILITY = {AccommodationType.G, AccommodationType.H}


class DatedQuerySet(CaseQuerySet):
    def current(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on).filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=on))


class LeaverStatus(CaseRecord):
    """A worker's confirmation (or override) of the leaving-care category. One per young person:
    confirming again replaces it (the history keeps earlier decisions)."""

    person = models.OneToOneField("people.Person", on_delete=models.PROTECT, related_name="leaver_status")
    category = models.CharField("leaving care category", max_length=20, choices=LeaverEligibility.choices)
    computed_category = models.CharField("category computed from the care history", max_length=20,
                                         choices=LeaverEligibility.choices)
    confirmed_on = models.DateField("confirmed on")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    override_reason = models.TextField("why the category differs from the care history", blank=True)

    class Meta:
        verbose_name = "leaving care category"
        verbose_name_plural = "leaving care categories"

    def __str__(self) -> str:
        return f"{self.get_category_display()} (confirmed {self.confirmed_on:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("care_leavers:leaver", args=[self.person_id])

    @property
    def is_override(self) -> bool:
        return self.category != self.computed_category


class LeavingCareTracking(CaseRecord):
    """Kept by ``services.ensure_tracking`` for a child who is (or, if still looked after, will
    be) eligible: it starts the needs assessment clock (``leaver_needs_assessment``)."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="leaving_care_tracking")
    turned_16_on = models.DateField("16th birthday")
    became_eligible_on = models.DateField("eligible from")
    assessment_clock_from = models.DateField(
        "needs assessment clock from", help_text="The later of the 16th birthday and the day the child became eligible")

    def __str__(self) -> str:
        return f"Leaving care from {self.assessment_clock_from:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("care_leavers:leaver", args=[self.person_id])


class PathwayPlanQuerySet(CaseQuerySet):
    def current(self):
        return self.filter(end_date__isnull=True)


class PathwayPlan(CaseRecord):
    """The pathway plan (Care Leavers (England) Regulations 2010, regs 42-44 and Schedule 8),
    written after the needs assessment and reviewed at least every 6 months."""

    class EndReason(models.TextChoices):
        AGE = "age", "Reached the end of leaving care support (21, or 25)"
        DECLINED = "declined", "Young person no longer wants support (21 or over)"
        NOT_CARE_LEAVER = "not_care_leaver", "No longer entitled (category changed)"
        MOVED = "moved", "Moved to another local authority"
        DIED = "died", "Died"
        REPLACED = "replaced", "Replaced by a new pathway plan"

    SECTIONS = (
        ("accommodation", "Accommodation"),
        ("education_training_employment", "Education, training and employment"),
        ("health", "Health and development"),
        ("finance", "Financial support and managing money"),
        ("relationships", "Family and social relationships"),
        ("identity", "Identity"),
        ("contingency", "Contingency plan"),
    )

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="pathway_plans")
    needs_assessment_completed_on = models.DateField("needs assessment completed", null=True, blank=True)
    plan_agreed_on = models.DateField("pathway plan agreed", null=True, blank=True)
    accommodation = models.TextField(blank=True)
    education_training_employment = models.TextField("education, training and employment", blank=True)
    health = models.TextField("health and development", blank=True)
    finance = models.TextField("financial support and managing money", blank=True)
    relationships = models.TextField("family and social relationships", blank=True)
    identity = models.TextField(blank=True)
    contingency = models.TextField("contingency plan", blank=True)
    next_review_on = models.DateField("next review planned for", null=True, blank=True,
                                      help_text="The review must be no more than 6 months after the last one")
    end_date = models.DateField("plan ended", null=True, blank=True)
    end_reason = models.CharField("reason the plan ended", max_length=20, choices=EndReason.choices, blank=True)

    objects = PathwayPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-plan_agreed_on", "-pk"]

    def __str__(self) -> str:
        if self.plan_agreed_on:
            return f"Pathway plan agreed {self.plan_agreed_on:%d/%m/%Y}"
        return "Pathway plan (not yet agreed)"

    def get_absolute_url(self) -> str:
        return reverse("care_leavers:plan-detail", args=[self.pk])

    def sections(self) -> list[tuple[str, str, str]]:
        return [(name, label, getattr(self, name)) for name, label in self.SECTIONS]

    def empty_sections(self) -> list[str]:
        return [label for name, label in self.SECTIONS if not getattr(self, name).strip()]


class PathwayPlanAction(CaseRecord):
    """An action in a pathway plan: without an owner, a measurable outcome and a due date it is
    saved only when the worker chooses to, and shown as incomplete (as ``plans.PlanAction``)."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        NOT_DONE = "not_done", "Not done"

    person_path = "plan__person"

    plan = models.ForeignKey(PathwayPlan, on_delete=models.CASCADE, related_name="actions")
    section = models.CharField("part of the plan", max_length=40, choices=PathwayPlan.SECTIONS, blank=True)
    action = models.TextField("what will be done")
    owner = models.CharField("who will do it", max_length=120, blank=True)
    measurable_outcome = models.TextField("how we will know it has worked", blank=True)
    due_date = models.DateField("by when", null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)

    class Meta:
        ordering = [models.F("due_date").asc(nulls_last=True), "id"]

    def __str__(self) -> str:
        return self.action[:80]

    def get_absolute_url(self) -> str:
        return self.plan.get_absolute_url() + f"#action-{self.pk}"

    @property
    def missing(self) -> list[str]:
        return [label for label, value in (("an owner", self.owner), ("a measurable outcome", self.measurable_outcome),
                                           ("a due date", self.due_date)) if not value]

    @property
    def is_smart(self) -> bool:
        return not self.missing


class PathwayPlanReview(CaseRecord):
    """A review of the pathway plan: meets the ``leaver_pathway_review`` clock."""

    person_path = "plan__person"

    plan = models.ForeignKey(PathwayPlan, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField("date of the review")
    young_person_took_part = models.BooleanField("the young person took part", default=True)
    notes = models.TextField("what the review found and changed", blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Pathway plan review {self.held_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return self.plan.get_absolute_url() + f"#review-{self.pk}"


class LeaverContact(CaseRecord):
    """Contact with a care leaver (or an attempt), with the in-touch status it shows."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        PHONE = "phone", "Phone"
        VIDEO = "video", "Video call"
        TEXT = "text", "Text or message"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="leaver_contacts")
    contact_on = models.DateField("date of contact")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                           related_name="+", verbose_name="by")
    method = models.CharField(max_length=12, choices=Method.choices)
    in_touch = models.CharField("in touch", max_length=4, choices=InTouch.choices)
    seen = models.BooleanField("the young person was seen", default=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-contact_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} contact {self.contact_on:%d/%m/%Y}: {self.get_in_touch_display()}"

    def get_absolute_url(self) -> str:
        return reverse("care_leavers:leaver", args=[self.person_id]) + "#contacts"


class Accommodation(CaseRecord):
    """Where a care leaver lives (ACCOM: type letter and suitability digit)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="leaver_accommodation")
    start_date = models.DateField("from")
    end_date = models.DateField("to", null=True, blank=True)
    kind = models.CharField("type of accommodation", max_length=1, choices=AccommodationType.choices)
    suitable = models.BooleanField("suitable", null=True, blank=True,
                                   help_text="Required unless the young person has gone abroad or been deported")
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=8, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name_plural = "accommodation"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.start_date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("care_leavers:leaver", args=[self.person_id]) + "#accommodation"

    @property
    def code(self) -> str:
        return accommodation_code(self.kind, self.suitable)


class Activity(CaseRecord):
    """What a care leaver is doing (education, training, employment or not: ACTIV)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="leaver_activities")
    start_date = models.DateField("from")
    end_date = models.DateField("to", null=True, blank=True)
    code = models.CharField("activity", max_length=2, choices=ActivityCode.choices)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return f"{self.get_code_display()} from {self.start_date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("care_leavers:leaver", args=[self.person_id]) + "#activity"

    @property
    def in_eet(self) -> bool:
        return self.code in IN_EET


class Custody(CaseRecord):
    """A spell in custody, with how often the personal adviser is expected to be in contact:
    managers see it (and who is overdue) on ``/care-leavers/custody/``."""

    class Frequency(models.IntegerChoices):
        WEEKLY = 7, "Every week"
        FORTNIGHTLY = 14, "Every 2 weeks"
        FOUR_WEEKLY = 28, "Every 4 weeks"
        SIX_WEEKLY = 42, "Every 6 weeks"
        EIGHT_WEEKLY = 56, "Every 8 weeks"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="custody_spells")
    start_date = models.DateField("from")
    end_date = models.DateField("released on", null=True, blank=True)
    establishment = models.CharField(max_length=200)
    contact_every_days = models.PositiveSmallIntegerField("contact expected", choices=Frequency.choices,
                                                          default=Frequency.FOUR_WEEKLY)
    expected_release_on = models.DateField("expected release date", null=True, blank=True)
    notes = models.TextField(blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name_plural = "custody"

    def __str__(self) -> str:
        return f"In custody at {self.establishment} from {self.start_date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("care_leavers:leaver", args=[self.person_id]) + "#custody"


class StayingPut(CaseRecord):
    """A staying put arrangement: a former relevant young person living on with their former
    foster carer after 18 (Children Act 1989, s23CZA)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="staying_put")
    start_date = models.DateField("from")
    end_date = models.DateField("to", null=True, blank=True)
    carer = models.CharField("former foster carer", max_length=200)
    notes = models.TextField(blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = "staying put arrangement"

    def __str__(self) -> str:
        return f"Staying put with {self.carer} from {self.start_date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("care_leavers:leaver", args=[self.person_id]) + "#staying-put"


class LeaverHealth(CaseRecord):
    """The leaver's health facts: the final health assessment before leaving care and the day
    their health history was given to them. Health assessments themselves are recorded in the
    health module."""

    person = models.OneToOneField("people.Person", on_delete=models.PROTECT, related_name="leaver_health")
    final_assessment_on = models.DateField("final health assessment", null=True, blank=True)
    history_given_on = models.DateField("health history given to the young person", null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        verbose_name = "leaver health"
        verbose_name_plural = "leaver health"

    def __str__(self) -> str:
        return "Leaving care health"

    def get_absolute_url(self) -> str:
        return reverse("care_leavers:leaver", args=[self.person_id]) + "#health"
