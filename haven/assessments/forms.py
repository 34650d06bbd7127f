"""Forms for referrals, decisions, closure, single assessments and timescale exemptions. They
parse and say what is missing; the rules that need the rest of the record (the CIN census rules
in ``census``) are checked by the services, whose refusals come back as field errors."""

from __future__ import annotations

from django import forms

from haven.core.codes import AssessmentFactor, ClosureReason, PrimaryNeed, ReferralSource
from haven.core.forms import GovukDateField, GovukForm

from .models import Assessment


def coded(choices) -> list[tuple[str, str]]:
    """DfE code lists show the code a practitioner will see in the census guidance."""
    return [(value, f"{value} {label}") for value, label in choices]


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """GOV.UK checkboxes where one option ('No factors identified') clears the others (GOV.UK
    Frontend's ``data-behaviour="exclusive"``). The class keeps Django's name so that the field's
    ``widget_type`` is still the one the GOV.UK field template renders as checkboxes."""

    def __init__(self, *args, exclusive: str = "", **kwargs):
        self.exclusive = exclusive
        super().__init__(*args, **kwargs)
        # CheckboxSelectMultiple is a RadioSelect to Django: say which GOV.UK input it is.
        self.attrs.setdefault("class", "govuk-checkboxes__input")

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) == self.exclusive:
            option["attrs"]["data-behaviour"] = "exclusive"
        return option


class VersionField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(widget=forms.HiddenInput, required=False, **kwargs)


class ReferralForm(GovukForm):
    referral_date = GovukDateField(label="Referral date", not_future=True)
    source = forms.ChoiceField(label="Referral source", choices=[("", "Select the referral source"),
                                                                   *coded(ReferralSource.choices)])
    primary_need = forms.ChoiceField(label="Primary need", choices=coded(PrimaryNeed.choices), widget=forms.RadioSelect,
                                     initial=PrimaryNeed.N0,
                                     help_text="Use N0 'Not stated' until the need is known; the assessment usually settles it")
    version = VersionField()


class DecisionForm(GovukForm):
    FURTHER, NFA = "further", "nfa"

    decision = forms.ChoiceField(label="Decision on the referral", widget=forms.RadioSelect, choices=[
        (FURTHER, "Further action: a single assessment (and a strategy discussion if there is cause to suspect "
                  "significant harm)"),
        (NFA, "No further action: close the referral"),
    ])
    decision_date = GovukDateField(label="Date of the decision", not_future=True)
    version = VersionField()


class ReasonField(forms.ChoiceField):
    """Required on the page, but checked by the service: a step-down after an assessment that led
    to early help sets RC9 itself, and a missing reason is CIN rule 8805's refusal."""

    def validate(self, value):
        if value:
            super().validate(value)


class ClosureForm(GovukForm):
    closure_date = GovukDateField(label="Closure date", not_future=True)
    closure_reason = ReasonField(label="Reason for closure", widget=forms.RadioSelect,
                                 choices=coded(ClosureReason.choices))
    stepped_down_to_early_help = forms.BooleanField(
        label="Stepped down to early help", required=False,
        help_text="When the assessment led to early help, the reason is RC9")
    version = VersionField()


FACTOR_CHOICES = [c for c in coded(AssessmentFactor.choices) if c[0] != AssessmentFactor.F21] + \
    [(AssessmentFactor.F21.value, f"{AssessmentFactor.F21.value} {AssessmentFactor.F21.label}")]


class AssessmentForm(GovukForm):
    start_date = GovukDateField(label="Start date", not_future=True)
    child_seen_date = GovukDateField(label="Date the child was seen", not_future=True, required=False)
    seen_alone = forms.BooleanField(label="The child was seen alone", required=False)
    analysis = forms.CharField(label="Analysis", required=False, widget=forms.Textarea(attrs={"rows": 8}),
                               help_text="What the information gathered means for the child: needs, risks and strengths")
    factors = forms.MultipleChoiceField(
        label="Factors identified at the assessment", required=False, choices=FACTOR_CHOICES,
        widget=CheckboxSelectMultiple(exclusive=AssessmentFactor.F21.value),
        help_text="DfE codes. Record them when the assessment is completed. Select all that apply, or "
                  "'No factors identified'")
    outcome = forms.ChoiceField(label="Outcome", required=False, widget=forms.RadioSelect,
                                choices=Assessment.Outcome.choices)
    completed_date = GovukDateField(label="Date the assessment was completed", not_future=True, required=False)
    version = VersionField()

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["version"]


class AuthoriseForm(GovukForm):
    authorised_date = GovukDateField(label="Date of authorisation", not_future=True)
    version = VersionField()


class ExemptionForm(GovukForm):
    rule = forms.ChoiceField(label="Timescale", widget=forms.RadioSelect)
    kind = forms.ChoiceField(label="Decision", widget=forms.RadioSelect)
    extended_to = GovukDateField(label="New due date", required=False, help_text="Only for an extension")
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="Why the clock should stop, or why more time is needed. The child's record "
                                       "and the timeliness figures show it")

    def __init__(self, *args, rules=(), **kwargs):
        from haven.work.models import TimescaleExemption

        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [(r.code, r.label) for r in rules]
        if len(rules) == 1:
            self.fields["rule"].initial = rules[0].code
            self.fields["rule"].widget = forms.HiddenInput()
        self.fields["kind"].choices = TimescaleExemption.Kind.choices
