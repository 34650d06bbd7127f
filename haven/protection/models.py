"""Strategy discussions, section 47 enquiries, child protection conferences and core groups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from haven.core.codes import Agency, CPCategory
from haven.core.models import CaseRecord

# The agencies Working Together expects at every strategy discussion (inspectors' recurring
# finding: discussions held without the police or health).
REQUIRED_AGENCIES = (Agency.POLICE, Agency.HEALTH, Agency.EDUCATION, Agency.CSC)


def missing_from(present) -> list[str]:
    """The required agencies (labels, in the order Working Together names them) that are not
    among ``present`` (agency codes of those who took part). The form uses it before saving, the
    record (``StrategyDiscussion.missing_agencies``) after."""
    present = {str(a) for a in present}
    return [Agency(a).label for a in REQUIRED_AGENCIES if a not in present]


class StrategyDiscussion(CaseRecord):
    """A strategy discussion or meeting about one or more children (Working Together 2023)."""

    person_path = "children__person"
    multi_person = True

    held_at = models.DateTimeField(default=timezone.now)
    contact = models.ForeignKey("front_door.Contact", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="strategy_discussions")
    summary = models.TextField("information shared and reasons for the decision", blank=True)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    absence_reason = models.TextField(
        "why an agency did not take part", blank=True,
        help_text="Recorded when the police, health, education or children's social care did not take part")

    class Meta:
        ordering = ["-held_at"]

    def __str__(self) -> str:
        return f"Strategy discussion {timezone.localtime(self.held_at):%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("protection:strategy-detail", args=[self.pk])

    def missing_agencies(self) -> list[str]:
        """Required agencies that did not take part (said plainly on the form and the record)."""
        return missing_from(a.agency for a in self.attendees.all() if a.attended)


class StrategyAttendee(CaseRecord):
    person_path = "discussion__children__person"
    multi_person = True

    discussion = models.ForeignKey(StrategyDiscussion, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(max_length=120)
    agency = models.CharField(max_length=12, choices=Agency.choices)
    role = models.CharField(max_length=120, blank=True)
    attended = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.get_agency_display()})"

    def save(self, *args, **kwargs):
        if not self.authority_id:
            self.authority_id = self.discussion.authority_id
        super().save(*args, **kwargs)


class StrategyChild(CaseRecord):
    """The decision a strategy discussion made for one child."""

    discussion = models.ForeignKey(StrategyDiscussion, on_delete=models.CASCADE, related_name="children")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="strategy_decisions")
    episode = models.ForeignKey("assessments.CINEpisode", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="strategy_decisions")
    s47_decided = models.BooleanField("section 47 enquiry to start", default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["discussion", "person"], name="strategy_child_unique")]

    def __str__(self) -> str:
        return f"{self.person}: {'S47' if self.s47_decided else 'no S47'}"


class StrategyAction(CaseRecord):
    person_path = "discussion__children__person"
    multi_person = True

    discussion = models.ForeignKey(StrategyDiscussion, on_delete=models.CASCADE, related_name="actions")
    owner = models.CharField(max_length=120)
    action = models.TextField()
    due_date = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.action[:60]

    def save(self, *args, **kwargs):
        if not self.authority_id:
            self.authority_id = self.discussion.authority_id
        super().save(*args, **kwargs)


class S47Enquiry(CaseRecord):
    """A section 47 enquiry for one child, started by a strategy discussion."""

    class Outcome(models.TextChoices):
        ICPC = "icpc", "Concerns substantiated: initial child protection conference"
        SUBSTANTIATED_NO_ICPC = "substantiated_no_icpc", "Concerns substantiated, no conference: plan as child in need"
        NOT_SUBSTANTIATED = "not_substantiated", "Concerns not substantiated"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="s47_enquiries")
    episode = models.ForeignKey("assessments.CINEpisode", on_delete=models.PROTECT, related_name="s47_enquiries")
    strategy_discussion = models.ForeignKey(StrategyDiscussion, on_delete=models.PROTECT, related_name="s47_enquiries")
    start_date = models.DateField()
    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True)
    completed_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date"]
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"

    def __str__(self) -> str:
        return f"Section 47 enquiry {self.start_date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("protection:s47-detail", args=[self.pk])

    @property
    def icpc_not_required(self) -> bool:
        return bool(self.outcome) and self.outcome != self.Outcome.ICPC

    @property
    def strategy_date(self):
        return timezone.localtime(self.strategy_discussion.held_at).date()


class Conference(CaseRecord):
    """An initial or review child protection conference, for one or more children."""

    person_path = "children__person"
    multi_person = True

    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial child protection conference"
        REVIEW = "review", "Review child protection conference"

    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.INITIAL)
    held_on = models.DateField()
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    parents_received_report = models.BooleanField("parents received the report before the conference", default=False)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("protection:conference-detail", args=[self.pk])


class ConferenceAttendee(CaseRecord):
    person_path = "conference__children__person"
    multi_person = True

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(max_length=120)
    agency = models.CharField(max_length=12, choices=Agency.choices)
    role = models.CharField(max_length=120, blank=True)
    attended = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.get_agency_display()})"

    def save(self, *args, **kwargs):
        if not self.authority_id:
            self.authority_id = self.conference.authority_id
        super().save(*args, **kwargs)


class ConferenceChild(CaseRecord):
    """What a conference decided for one child."""

    class Participation(models.TextChoices):
        ATTENDED = "attended", "Attended"
        VIEWS_BY_ADVOCATE = "advocate", "Views given through an advocate"
        VIEWS_IN_WRITING = "written", "Views given in writing or another form"
        NOT_PARTICIPATED = "none", "Did not take part"
        TOO_YOUNG = "too_young", "Too young to take part"

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="children")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="conference_decisions")
    s47 = models.ForeignKey(S47Enquiry, null=True, blank=True, on_delete=models.SET_NULL, related_name="conferences")
    plan = models.ForeignKey("plans.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="conferences",
                             help_text="The plan this conference started or reviewed")
    participation = models.CharField(max_length=10, choices=Participation.choices)
    had_advocate = models.BooleanField(default=False)
    plan_needed = models.BooleanField("child protection plan needed", default=False)
    category = models.CharField(max_length=3, choices=CPCategory.choices, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conference", "person"], name="conference_child_unique")]

    def __str__(self) -> str:
        return f"{self.person}: {'plan' if self.plan_needed else 'no plan'}"


class CoreGroupMeeting(CaseRecord):
    """A core group meeting for a child protection plan (first within 10 working days of the ICPC)."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="core_groups")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="core_groups")
    held_on = models.DateField()
    attendees = models.TextField(blank=True, help_text="Who attended, one per line")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"Core group {self.held_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return self.plan.get_absolute_url()
