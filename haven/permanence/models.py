"""Permanence, proceedings and adoption: a looked-after child's permanence plan (every change a
new row, so the history stays), permanence planning meetings, Public Law Outline
pre-proceedings, care proceedings (tracked against the 26-week limit, rule ``proceedings_26w``),
special guardianship orders, and the adoption timeline (agency decision maker's decision,
placement order, match, moving in, adoption order, or reversal) from which the adoption scorecard
measures A1, A2 and A10 are computed (``measures``).

Every change goes through ``haven.permanence.services``, which refuses impossible data.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from haven.core.models import CaseRecord


def _child_url(person_id: int, anchor: str = "") -> str:
    return reverse("permanence:child", args=[person_id]) + (f"#{anchor}" if anchor else "")


class PermanencePlan(CaseRecord):
    """The permanence plan decided for a child on a day. A change of plan is a new row; the
    previous one stops being current (the page shows the history)."""

    class Kind(models.TextChoices):
        RETURN_HOME = "return_home", "Return home to parents"
        KINSHIP = "kinship", "Kinship care (family or friends)"
        SPECIAL_GUARDIANSHIP = "sgo", "Special guardianship"
        CHILD_ARRANGEMENTS = "cao", "Child arrangements order"
        LONG_TERM_FOSTERING = "long_term_fostering", "Long-term fostering"
        ADOPTION = "adoption", "Adoption"
        RESIDENTIAL = "residential", "Residential care"
        INDEPENDENCE = "independence", "Supported move to independence"
        OTHER = "other", "Other"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="permanence_plans")
    period = models.ForeignKey("looked_after.PeriodOfCare", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="permanence_plans")
    plan = models.CharField("permanence plan", max_length=24, choices=Kind.choices)
    decided_on = models.DateField("date decided")
    reason = models.TextField("why this is the plan", blank=True)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        indexes = [models.Index(fields=["person", "is_current"])]

    def __str__(self) -> str:
        return f"Permanence plan: {self.get_plan_display().lower()} ({self.decided_on:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return _child_url(self.person_id, "plan")


class PermanencePlanningMeeting(CaseRecord):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="permanence_meetings")
    held_on = models.DateField("date of the meeting")
    attendees = models.TextField(blank=True, help_text="Who attended, one per line, with their role")
    decisions = models.TextField("decisions", blank=True)
    next_meeting_on = models.DateField("next meeting", null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Permanence planning meeting {self.held_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return _child_url(self.person_id, "meetings")


class PreProceedings(CaseRecord):
    """The Public Law Outline pre-proceedings stage: a letter before proceedings and a
    pre-proceedings meeting with the parents, ending diverted or with proceedings issued."""

    class Outcome(models.TextChoices):
        ONGOING = "ongoing", "Ongoing"
        DIVERTED = "diverted", "Diverted from proceedings"
        ISSUED = "issued", "Proceedings issued"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="pre_proceedings")
    letter_before_proceedings_on = models.DateField("letter before proceedings sent", null=True, blank=True)
    pla_meeting_on = models.DateField("pre-proceedings meeting (Public Law Outline)")
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.ONGOING)
    ended_on = models.DateField("pre-proceedings ended", null=True, blank=True)

    class Meta:
        ordering = ["-pla_meeting_on", "-pk"]
        verbose_name = "pre-proceedings"
        verbose_name_plural = "pre-proceedings"

    def __str__(self) -> str:
        return f"Pre-proceedings from {self.pla_meeting_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return _child_url(self.person_id, "proceedings")


class CareProceedings(CaseRecord):
    """Public law proceedings about one child (siblings each have their own row). The court must
    decide within 26 weeks of issue unless it extends the time (Children Act 1989 s.32(1)(a), as
    amended by the Children and Families Act 2014 s.14)."""

    class Application(models.TextChoices):
        CARE = "care", "Care order (section 31)"
        SUPERVISION = "supervision", "Supervision order (section 31)"
        CARE_OR_SUPERVISION = "care_or_supervision", "Care or supervision order"
        PLACEMENT = "placement", "Placement order (Adoption and Children Act 2002 s.21)"
        EPO = "epo", "Emergency protection order (section 44)"
        DISCHARGE = "discharge", "Discharge or variation of an order"
        OTHER = "other", "Other"

    class Outcome(models.TextChoices):
        CARE_ORDER = "care_order", "Care order"
        SUPERVISION_ORDER = "supervision_order", "Supervision order"
        SGO = "sgo", "Special guardianship order"
        CHILD_ARRANGEMENTS = "cao", "Child arrangements order"
        PLACEMENT_ORDER = "placement_order", "Placement order"
        NO_ORDER = "no_order", "No order"
        WITHDRAWN = "withdrawn", "Application withdrawn"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="care_proceedings")
    pre_proceedings = models.ForeignKey(PreProceedings, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="proceedings")
    court = models.CharField(max_length=120)
    case_number = models.CharField(max_length=40, blank=True)
    application = models.CharField("application", max_length=24, choices=Application.choices)
    issued_on = models.DateField("date issued")
    interim_order_on = models.DateField("first interim order", null=True, blank=True)
    interim_renewed_on = models.DateField("latest interim order renewal", null=True, blank=True)
    final_hearing_on = models.DateField("final hearing listed for", null=True, blank=True)
    concluded_on = models.DateField("date concluded", null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    extension_granted = models.BooleanField("the court extended the 26 weeks", default=False)
    extension_reason = models.TextField("why the court extended the time", blank=True)
    extended_to = models.DateField("extended to", null=True, blank=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = "care proceedings"
        verbose_name_plural = "care proceedings"

    def __str__(self) -> str:
        number = f" {self.case_number}" if self.case_number else ""
        return f"Care proceedings{number} issued {self.issued_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return _child_url(self.person_id, f"proceedings-{self.pk}")


class ReasonPlacedCeased(models.TextChoices):
    """SSDA903 PlacedAdoption REASON_PLACED_CEASED."""

    RD1 = "RD1", "The child's needs changed after the decision"
    RD2 = "RD2", "The court did not make a placement order"
    RD3 = "RD3", "Prospective adopters could not be found"
    RD4 = "RD4", "Any other reason (for example, the parents' circumstances changed)"


class AdoptionDecision(CaseRecord):
    """One step of a child's adoption journey. The steps must follow each other (``services``
    refuses them out of order); the scorecard measures read them."""

    class Kind(models.TextChoices):
        SHOULD_BE_PLACED = "should_be_placed", "Agency decision maker: should be placed for adoption"
        PLACEMENT_ORDER = "placement_order", "Placement order granted"
        MATCHED = "matched", "Matched with adopters"
        MOVED_IN_WITH_CARERS = "moved_in_f2a", "Moved in with foster carers who later adopted (foster to adopt)"
        PLACED = "placed", "Placed for adoption (moved in with the adopters)"
        ADOPTION_ORDER = "adoption_order", "Adoption order granted"
        REVERSED = "reversed", "Agency decision maker: should no longer be placed for adoption"

    # Decisions of the agency decision maker (capability permanence.decide).
    ADM_KINDS = (Kind.SHOULD_BE_PLACED, Kind.REVERSED)

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="adoption_decisions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    decided_on = models.DateField("date")
    reason_ceased = models.CharField("reason the decision was reversed", max_length=3,
                                     choices=ReasonPlacedCeased.choices, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["decided_on", "pk"]
        indexes = [models.Index(fields=["person", "kind", "decided_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.decided_on:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return _child_url(self.person_id, "adoption")


class SpecialGuardianshipOrder(CaseRecord):
    class Relationship(models.TextChoices):
        RELATIVE = "relative", "Relative"
        FRIEND = "friend", "Family friend"
        FORMER_FOSTER_CARER = "former_foster_carer", "Former foster carer"
        OTHER = "other", "Other"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="special_guardianship_orders")
    proceedings = models.ForeignKey(CareProceedings, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="special_guardianship_orders")
    granted_on = models.DateField("date the order was granted")
    guardians = models.TextField("special guardians", help_text="Their names, one per line")
    relationship = models.CharField("relationship to the child", max_length=20, choices=Relationship.choices)
    support_plan = models.TextField("special guardianship support plan", blank=True)

    class Meta:
        ordering = ["-granted_on", "-pk"]
        verbose_name = "special guardianship order"

    def __str__(self) -> str:
        return f"Special guardianship order {self.granted_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return _child_url(self.person_id, "sgo")
