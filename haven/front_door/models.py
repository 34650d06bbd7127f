"""The front door: contacts about one or more children, MASH ratings and agency checks,
decisions and feedback to the referrer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from haven.core.codes import Agency, ReferralSource
from haven.core.models import CaseRecord


class Contact(CaseRecord):
    """Anyone raising a concern or a request about one or more children (DOMAIN step 1)."""

    person_path = "subjects__person"
    multi_person = True

    class Consent(models.TextChoices):
        GIVEN = "given", "Given"
        NOT_SOUGHT = "not_sought", "Not sought"
        OVERRIDDEN = "overridden", "Overridden"
        REFUSED = "refused", "Refused"

    class Rag(models.TextChoices):
        RED = "R", "Red: same day (within 4 hours)"
        AMBER = "A", "Amber: within 24 hours"
        GREEN = "G", "Green: within 72 hours"
        BLUE = "B", "Blue: no further checks"

    class Decision(models.TextChoices):
        NFA = "nfa", "No further action"
        INFORMATION = "information", "Information and advice"
        EARLY_HELP = "early_help", "Early help"
        REFERRAL = "referral", "Referral to children's social care"
        STRATEGY = "strategy", "Strategy discussion"

    received_at = models.DateTimeField(default=timezone.now)
    source = models.CharField("referral source", max_length=3, choices=ReferralSource.choices)
    reason = models.TextField("what the concern is")
    referrer_name = models.CharField(max_length=120, blank=True)
    referrer_organisation = models.CharField(max_length=120, blank=True)
    referrer_phone = models.CharField(max_length=40, blank=True)
    referrer_email = models.EmailField(blank=True)
    consent = models.CharField("consent to share", max_length=12, choices=Consent.choices)
    consent_reason = models.TextField(blank=True, help_text="Why consent was not sought, or overridden")
    consent_overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The manager who authorised sharing without consent")
    rag = models.CharField("RAG rating", max_length=1, choices=Rag.choices, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rag_reason = models.TextField(blank=True)
    decision = models.CharField(max_length=12, choices=Decision.choices, blank=True)
    decision_at = models.DateTimeField(null=True, blank=True)
    decision_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision_reason = models.TextField(blank=True)
    feedback_given_at = models.DateTimeField("feedback to referrer", null=True, blank=True)
    feedback = models.TextField("feedback given to the referrer", blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["authority", "decision", "received_at"]),
                   # the KPIs: contacts received, and decided, in a period
                   models.Index(fields=["authority", "received_at"], name="contact_received"),
                   models.Index(fields=["authority", "decision_at"], name="contact_decided")]

    def __str__(self) -> str:
        return f"Contact {self.received_at:%d/%m/%Y %H:%M} ({self.get_source_display()})"

    def get_absolute_url(self) -> str:
        return reverse("front_door:contact-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return not self.decision


class ContactSubject(CaseRecord):
    """A child or adult a contact is about."""

    class Role(models.TextChoices):
        CHILD = "child", "Child the contact is about"
        ADULT = "adult", "Adult involved"

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="subjects")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="contact_subjects")
    role = models.CharField(max_length=5, choices=Role.choices, default=Role.CHILD)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contact", "person"], name="contact_subject_unique")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class AgencyCheck(CaseRecord):
    """A MASH check requested from a partner agency, and what it returned."""

    person_path = "contact__subjects__person"
    multi_person = True

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="checks")
    agency = models.CharField(max_length=12, choices=Agency.choices)
    requested_at = models.DateTimeField(default=timezone.now)
    returned_at = models.DateTimeField(null=True, blank=True)
    information = models.TextField("what the agency shared", blank=True)

    class Meta:
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"{self.get_agency_display()} check"

    def get_absolute_url(self) -> str:
        return self.contact.get_absolute_url()

    def save(self, *args, **kwargs):
        if not self.authority_id:
            self.authority_id = self.contact.authority_id
        super().save(*args, **kwargs)
