"""Forms of the permanence pages. They check the shape of the input (a real date, a choice);
the rules (order of steps, dates against each other, the child's care history) live in
``services``, whose problems ``add_problems`` puts beside the fields."""

from __future__ import annotations

from django import forms

from haven.core.forms import GovukDateField, GovukForm

from .models import (
    AdoptionDecision,
    CareProceedings,
    PermanencePlan,
    PreProceedings,
    ReasonPlacedCeased,
    SpecialGuardianshipOrder,
)


def add_problems(form, problems) -> None:
    for p in problems:
        form.add_error(p.field if p.field in form.fields else None, p.message)


def _radios(label, choices, required=True, **kwargs):
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, required=required, **kwargs)


class PlanForm(GovukForm):
    plan = _radios("Permanence plan", PermanencePlan.Kind.choices)
    decided_on = GovukDateField(label="Date decided")
    reason = forms.CharField(label="Why this is the plan", widget=forms.Textarea,
                             help_text="For a change of plan, say what changed")


class MeetingForm(GovukForm):
    held_on = GovukDateField(label="Date of the meeting")
    attendees = forms.CharField(label="Who attended", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                help_text="One per line, with their role")
    decisions = forms.CharField(label="Decisions", widget=forms.Textarea,
                                help_text="What was decided, who will do what and by when")
    next_meeting_on = GovukDateField(label="Date of the next meeting", required=False)


class PreProceedingsForm(GovukForm):
    letter_before_proceedings_on = GovukDateField(label="Date the letter before proceedings was sent", required=False)
    pla_meeting_on = GovukDateField(label="Date of the pre-proceedings meeting",
                                    help_text="The Public Law Outline meeting with the parents and their lawyers")
    outcome = _radios("Outcome", PreProceedings.Outcome.choices)
    ended_on = GovukDateField(label="Date pre-proceedings ended", required=False,
                              help_text="When they were diverted or proceedings were issued")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("outcome", PreProceedings.Outcome.ONGOING)


def _select(label, choices, required=True):
    return forms.ChoiceField(label=label, choices=[("", "Select")] + list(choices), required=required,
                             widget=forms.Select)


class ProceedingsForm(GovukForm):
    court = forms.CharField(label="Court", max_length=120, help_text="For example, the Family Court at Central London")
    case_number = forms.CharField(label="Case number", max_length=40, required=False)
    application = _select("Application for", CareProceedings.Application.choices)
    issued_on = GovukDateField(label="Date issued", help_text="The 26 weeks count from this day")
    pre_proceedings = forms.TypedChoiceField(label="Pre-proceedings", required=False, coerce=int, empty_value=None)
    interim_order_on = GovukDateField(label="Date of the first interim order", required=False)
    interim_renewed_on = GovukDateField(label="Date of the latest interim order renewal", required=False)
    final_hearing_on = GovukDateField(label="Final hearing listed for", required=False)
    concluded_on = GovukDateField(label="Date the proceedings concluded", required=False)
    outcome = _select("Outcome", CareProceedings.Outcome.choices, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, pre_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        if pre_choices:
            self.fields["pre_proceedings"].choices = [("", "None")] + [
                (p.pk, f"Pre-proceedings meeting on {p.pla_meeting_on.day} {p.pla_meeting_on:%B %Y}")
                for p in pre_choices]
            self.fields["pre_proceedings"].widget.attrs["class"] = "govuk-select"
        else:
            del self.fields["pre_proceedings"]


class ExtensionForm(GovukForm):
    extended_to = GovukDateField(label="The court extended the time to",
                                 help_text="Up to 8 weeks beyond the current limit each time")
    reason = forms.CharField(label="Why the court extended the time", widget=forms.Textarea(attrs={"rows": 4}))


class AdoptionStepForm(GovukForm):
    kind = _radios("Step", AdoptionDecision.Kind.choices)
    decided_on = GovukDateField(label="Date")
    reason_ceased = _radios("Why the decision was reversed", ReasonPlacedCeased.choices, required=False,
                            help_text="Only when the decision is reversed")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, can_decide: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_decide:
            # The agency decision maker's decisions are recorded by those with permanence.decide.
            self.fields["kind"].choices = [c for c in AdoptionDecision.Kind.choices
                                           if c[0] not in AdoptionDecision.ADM_KINDS]
            self.fields["kind"].help_text = ("The agency decision maker's decisions are recorded by a manager")
            del self.fields["reason_ceased"]


class SGOForm(GovukForm):
    granted_on = GovukDateField(label="Date the order was granted")
    guardians = forms.CharField(label="Special guardians", widget=forms.Textarea(attrs={"rows": 3}),
                                help_text="Their names, one per line")
    relationship = _radios("Relationship to the child", SpecialGuardianshipOrder.Relationship.choices)
    support_plan = forms.CharField(label="Special guardianship support plan", required=False, widget=forms.Textarea,
                                   help_text="Support services, contact arrangements and financial support")
    proceedings = forms.TypedChoiceField(label="Made in proceedings", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, proceedings_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        if proceedings_choices:
            self.fields["proceedings"].choices = [("", "None")] + [(p.pk, str(p)) for p in proceedings_choices]
            self.fields["proceedings"].widget.attrs["class"] = "govuk-select"
        else:
            del self.fields["proceedings"]
