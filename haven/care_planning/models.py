"""Care plans, looked-after reviews and their recommendations (Care Planning, Placement and Case
Review (England) Regulations 2010).

A **care plan** is agreed for each period of care (regulation 4: before the first placement or,
if that is not practicable, within 10 working days of it) and changed as the child's needs
change: every agreed version is kept, the latest is the current plan. A **looked-after review**
is chaired by the child's independent reviewing officer (regulations 32 to 36), records how the
child took part (SSDA903 REVIEW_CODE, PN0 to PN7), the child's and parents' views and the
decisions, and makes **recommendations** that are tracked as actions: specific, measurable, owned
and timed (like plan actions, an incomplete one is saved only on purpose and shown as such).

Statutory visits are recordings (``haven.recording``) of kind ``cla_visit``; IRO, personal
adviser and virtual school allocations are ``people.Allocation`` rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from haven.core.codes.looked_after import Participation
from haven.core.models import CaseRecord


class PermanenceAim(models.TextChoices):
    RETURN_HOME = "return_home", "Return to parents or family"
    ADOPTION = "adoption", "Adoption"
    SGO = "sgo", "Special guardianship or child arrangements order"
    LONG_TERM_FOSTERING = "long_term_fostering", "Long-term fostering"
    RESIDENTIAL = "residential", "Long-term residential care"
    INDEPENDENCE = "independence", "Supported move to independence"
    NOT_DECIDED = "not_decided", "Not decided yet (to be set by the second review)"


class CarePlan(CaseRecord):
    """One agreed version of a looked-after child's care plan (regulation 4 and Schedule 1)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="care_plans")
    period = models.ForeignKey("looked_after.PeriodOfCare", on_delete=models.PROTECT, related_name="care_plans")
    agreed_on = models.DateField("date the plan was agreed")
    summary = models.TextField("the plan in brief", help_text="Why the child is looked after and what the plan is")
    needs = models.TextField("the child's needs",
                             help_text="Health, education, emotional and behavioural development, identity, "
                                       "family and social relationships, self-care skills")
    how_met = models.TextField("how the needs will be met", blank=True,
                               help_text="Who will do what, and by when")
    contact = models.TextField("contact arrangements", blank=True,
                               help_text="With parents, brothers and sisters and others who matter to the child: "
                                         "who, how often, supervised or not")
    permanence_aim = models.CharField("permanence aim", max_length=24, choices=PermanenceAim.choices)
    permanence_detail = models.TextField("permanence plan", blank=True,
                                         help_text="How and when the aim will be achieved, and the contingency plan")
    child_views = models.TextField("the child's wishes and feelings", blank=True)

    class Meta:
        ordering = ["-agreed_on", "-pk"]
        indexes = [models.Index(fields=["person", "agreed_on"])]

    def __str__(self) -> str:
        return f"Care plan agreed {self.agreed_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("care_planning:care-plan-detail", args=[self.pk])

    @property
    def gaps(self) -> list[str]:
        """Sections a care plan should have that this one leaves empty."""
        return [label for label, value in (("how the needs will be met", self.how_met),
                                           ("contact arrangements", self.contact),
                                           ("the child's wishes and feelings", self.child_views)) if not value.strip()]


class LACReview(CaseRecord):
    """A looked-after review, chaired by the child's IRO."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="lac_reviews")
    period = models.ForeignKey("looked_after.PeriodOfCare", on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField("date of the review")
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name="chaired by (IRO)")
    participation = models.CharField("how the child took part", max_length=3, choices=Participation.choices)
    child_views = models.TextField("the child's views", blank=True)
    parents_views = models.TextField("parents' views", blank=True)
    decisions = models.TextField("decisions and the IRO's view of the plan")
    next_review_on = models.DateField("next review suggested for", null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = "looked-after review"
        indexes = [models.Index(fields=["person", "held_on"])]

    def __str__(self) -> str:
        return f"Looked-after review {self.held_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("care_planning:review-detail", args=[self.pk])


class ReviewRecommendation(CaseRecord):
    """A recommendation of a review, tracked as an action. Without an owner, a measurable outcome
    and a due date it is saved only when the user chooses to, and shown as incomplete."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        NOT_DONE = "not_done", "Not done"

    review = models.ForeignKey(LACReview, on_delete=models.CASCADE, related_name="recommendations")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="review_recommendations")
    action = models.TextField("what will be done")
    owner = models.CharField("who will do it", max_length=120, blank=True)
    measurable_outcome = models.TextField("how we will know it has worked", blank=True)
    due_date = models.DateField("by when", null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    progress = models.TextField("progress notes", blank=True)

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.action[:80]

    def get_absolute_url(self) -> str:
        return self.review.get_absolute_url() + f"#recommendation-{self.pk}"

    @property
    def missing(self) -> list[str]:
        return [label for label, value in (("an owner", self.owner), ("a measurable outcome", self.measurable_outcome),
                                           ("a due date", self.due_date)) if not value]

    @property
    def is_smart(self) -> bool:
        return not self.missing

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.NOT_STARTED, self.Status.IN_PROGRESS)

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.due_date and self.due_date < timezone.localdate())

    def save(self, *args, **kwargs):
        if not self.person_id and self.review_id:
            self.person_id = self.review.person_id
        super().save(*args, **kwargs)
