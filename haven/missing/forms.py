"""Missing and exploitation forms. A moment in time is a GOV.UK date input and a 24-hour time
box (``<name>_date`` and ``<name>_time``, combined into ``cleaned_data[<name>]``). The rules
that refuse impossible data live in ``services`` (the same for the API); the forms add what is
about the page: a date and time given together, codes from the lists."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone

from haven.core.forms import GovukDateField, GovukForm, VersionedModelForm, govuk_formfield

from . import services
from .codes import (
    Indicator,
    MissingKind,
    PullFactor,
    PushFactor,
    Referral,
    RHIOutcome,
    RiskLevel,
    WhereFound,
)
from .models import ExploitationRiskAssessment, PanelAction, PanelDecision

TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def checkboxes():
    return forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"})


def radios():
    return forms.RadioSelect(attrs={"class": "govuk-radios__input"})


class MomentsMixin:
    """Declare ``moments = {"started_at": ("When the child went missing", required)}``: the form
    gets ``started_at_date`` and ``started_at_time`` fields and ``cleaned_data["started_at"]``."""

    moments: dict[str, tuple[str, bool]] = {}

    def add_moments(self, initial: dict | None = None) -> None:
        initial = initial or {}
        for name, (label, required) in self.moments.items():
            self.fields[f"{name}_date"] = GovukDateField(label=label, required=required, not_future=True)
            self.fields[f"{name}_time"] = forms.CharField(
                label="Time", max_length=5, required=required, help_text="Use the 24-hour clock, for example 14:30",
                error_messages={"required": f"Enter the time: {label.lower()}"},
                widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5", "inputmode": "numeric"}))
            value = initial.get(name)
            if value is not None and not self.is_bound:
                local = timezone.localtime(value)
                self.initial[f"{name}_date"] = local.date()
                self.initial[f"{name}_time"] = f"{local:%H:%M}"

    def clean_moments(self, data: dict) -> None:
        for name, (label, _required) in self.moments.items():
            day, text = data.get(f"{name}_date"), (data.get(f"{name}_time") or "").strip()
            data[name] = None
            if f"{name}_date" in self.errors or f"{name}_time" in self.errors or (day is None and not text):
                continue
            m = TIME.match(text)
            if day is not None and not text:
                self.add_error(f"{name}_time", f"Enter the time: {label.lower()}")
                continue
            if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
                self.add_error(f"{name}_time", "Enter a time using the 24-hour clock, for example 14:30")
                continue
            if day is None:
                if f"{name}_date" not in self.errors:
                    self.add_error(f"{name}_date", f"Enter the date: {label.lower()}")
                continue
            data[name] = timezone.make_aware(dt.datetime.combine(day, dt.time(int(m.group(1)), int(m.group(2)))))

    def apply_problems(self, problems) -> None:
        """Put the services' problems on the fields they concern (a moment's on its date)."""
        for p in problems:
            name = p.field
            if name in self.moments:
                name = f"{name}_date"
            self.add_error(name if name in self.fields else None, p.message)


class EpisodeForm(MomentsMixin, GovukForm):
    moments = {"started_at": ("When the child went missing", True)}

    kind = forms.ChoiceField(label="Missing or away", choices=MissingKind.choices, widget=radios(),
                             help_text="Away: the child is not where they should be but their whereabouts are known")
    risk_level = forms.ChoiceField(label="Risk level", choices=RiskLevel.choices, widget=radios())
    reported_to_police = forms.BooleanField(label="Reported to the police", required=False)
    police_reference = forms.CharField(label="Police reference", max_length=40, required=False)
    circumstances = forms.CharField(label="Circumstances", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                    help_text="What happened, who reported it, known risks and places the child may be")

    field_order = ["kind", "started_at_date", "started_at_time", "risk_level", "reported_to_police",
                   "police_reference", "circumstances"]

    def __init__(self, *args, episode=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_moments({"started_at": episode.started_at} if episode else None)
        if episode is not None and not self.is_bound:
            for name in ("kind", "risk_level", "reported_to_police", "police_reference", "circumstances"):
                self.initial[name] = getattr(episode, name)
        self.order_fields(self.field_order)

    def clean(self):
        data = super().clean()
        self.clean_moments(data)
        return data

    def to_input(self) -> services.EpisodeIn:
        d = self.cleaned_data
        return services.EpisodeIn(started_at=d["started_at"], kind=d["kind"], risk_level=d["risk_level"],
                                  reported_to_police=d.get("reported_to_police", False),
                                  police_reference=d.get("police_reference", ""),
                                  circumstances=d.get("circumstances", ""))


class ReturnForm(MomentsMixin, GovukForm):
    moments = {"ended_at": ("When the child returned or was found", True),
               "police_safe_and_well_check_on": ("Police safe and well check", False)}

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    where_found = forms.ChoiceField(label="Where the child was found", choices=WhereFound.choices, widget=radios())
    where_found_detail = forms.CharField(label="Where found: details", required=False,
                                         widget=forms.Textarea(attrs={"rows": 3}),
                                         help_text="The address or place, and who the child was with")
    found_by = forms.CharField(label="Found by", max_length=120, required=False,
                               help_text="For example: police, carer, returned by themselves")

    field_order = ["ended_at_date", "ended_at_time", "where_found", "where_found_detail", "found_by",
                   "police_safe_and_well_check_on_date", "police_safe_and_well_check_on_time"]

    def __init__(self, *args, episode, **kwargs):
        super().__init__(*args, **kwargs)
        self.episode = episode
        self.add_moments({"ended_at": episode.ended_at,
                          "police_safe_and_well_check_on": episode.police_safe_and_well_check_on})
        self.fields["police_safe_and_well_check_on_date"].help_text = "When the police saw the child after their return"
        if not self.is_bound:
            self.initial["version"] = episode.version
            for name in ("where_found", "where_found_detail", "found_by"):
                self.initial[name] = getattr(episode, name)
        self.order_fields(self.field_order)

    def clean(self):
        data = super().clean()
        self.clean_moments(data)
        return data

    def to_input(self) -> services.ReturnIn:
        d = self.cleaned_data
        return services.ReturnIn(ended_at=d["ended_at"], where_found=d["where_found"],
                                 where_found_detail=d.get("where_found_detail", ""), found_by=d.get("found_by", ""),
                                 police_safe_and_well_check_on=d.get("police_safe_and_well_check_on"))


class InterviewForm(MomentsMixin, GovukForm):
    moments = {"offered_at": ("When the interview was offered", False),
               "completed_at": ("When the interview was completed", False)}

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    outcome = forms.ChoiceField(label="Outcome", choices=RHIOutcome.choices, widget=radios())
    offered_by = forms.CharField(label="Offered by", max_length=120, required=False,
                                 help_text="Name and role, for example 'Jo Bloggs, independent return interview worker'")
    independent = forms.BooleanField(label="Offered by someone independent of the child's care", required=False,
                                     help_text="Not the child's social worker, carer or placement staff")
    not_offered_reason = forms.CharField(label="Why it was not offered", required=False,
                                         widget=forms.Textarea(attrs={"rows": 3}))
    conducted_by = forms.CharField(label="Conducted by", max_length=120, required=False)
    push_factors = forms.MultipleChoiceField(label="Push factors", choices=PushFactor.choices, required=False,
                                             widget=checkboxes(), help_text="What pushed the child away")
    pull_factors = forms.MultipleChoiceField(label="Pull factors", choices=PullFactor.choices, required=False,
                                             widget=checkboxes(), help_text="What drew the child somewhere else")
    factors_detail = forms.CharField(label="What the child said", required=False,
                                     widget=forms.Textarea(attrs={"rows": 4}))
    risks_identified = forms.CharField(label="Risks identified", required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}))
    referrals = forms.MultipleChoiceField(label="Actions and referrals", choices=Referral.choices, required=False,
                                          widget=checkboxes())
    actions = forms.CharField(label="Actions: details", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["outcome", "offered_at_date", "offered_at_time", "offered_by", "independent", "not_offered_reason",
                   "completed_at_date", "completed_at_time", "conducted_by", "push_factors", "pull_factors",
                   "factors_detail", "risks_identified", "referrals", "actions"]

    def __init__(self, *args, rhi=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_moments({"offered_at": rhi.offered_at, "completed_at": rhi.completed_at} if rhi else None)
        self.fields["offered_at_date"].help_text = "Within 72 hours of the child's return"
        if rhi is not None and not self.is_bound:
            self.initial["version"] = rhi.version
            for name in ("outcome", "offered_by", "independent", "not_offered_reason", "conducted_by", "push_factors",
                         "pull_factors", "factors_detail", "risks_identified", "referrals", "actions"):
                self.initial[name] = getattr(rhi, name)
        self.order_fields(self.field_order)

    def clean(self):
        data = super().clean()
        self.clean_moments(data)
        return data

    def to_input(self) -> services.InterviewIn:
        d = self.cleaned_data
        return services.InterviewIn(**{k: d.get(k) for k in (
            "outcome", "offered_at", "offered_by", "not_offered_reason", "independent", "completed_at", "conducted_by",
            "push_factors", "pull_factors", "factors_detail", "risks_identified", "referrals", "actions")})


class RiskAssessmentForm(VersionedModelForm):
    assessed_on = GovukDateField(label="Date of the assessment", not_future=True, required=True)
    indicators = forms.MultipleChoiceField(label="Indicators", choices=Indicator.choices, required=False,
                                           widget=checkboxes())

    class Meta:
        model = ExploitationRiskAssessment
        fields = ["assessed_on", "kind", "risk_level", "indicators", "indicators_detail", "locations_and_associates",
                  "assessed_by", "summary"]
        formfield_callback = govuk_formfield
        widgets = {"kind": radios(), "risk_level": radios()}
        help_texts = {"assessed_by": "Name and role"}

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person or getattr(self.instance, "person", None)
        self.fields["kind"].choices = [c for c in self.fields["kind"].choices if c[0]]
        self.fields["risk_level"].choices = [c for c in self.fields["risk_level"].choices if c[0]]

    def clean_assessed_on(self):
        value = self.cleaned_data.get("assessed_on")
        person = self.person
        if value and person is not None and person.date_of_birth and value < person.date_of_birth:
            raise forms.ValidationError("Date of the assessment must be after the child's date of birth")
        return value


class PanelDecisionForm(VersionedModelForm):
    held_on = GovukDateField(label="Date of the panel", not_future=True, required=True)
    next_review_on = GovukDateField(label="Next review", required=False,
                                    help_text="When the panel will next review the child")

    class Meta:
        model = PanelDecision
        fields = ["panel", "held_on", "risk_level", "decision", "locations_and_associates", "next_review_on"]
        formfield_callback = govuk_formfield
        widgets = {"panel": radios()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].choices = [c for c in self.fields["panel"].choices if c[0]]

    def clean(self):
        data = super().clean()
        held, review = data.get("held_on"), data.get("next_review_on")
        if held and review and review <= held:
            self.add_error("next_review_on", "The next review must be after the panel")
        return data


class PanelActionForm(VersionedModelForm):
    due_date = GovukDateField(label="By when", required=True)
    completed_on = GovukDateField(label="Date done", required=False, not_future=True)

    class Meta:
        model = PanelAction
        fields = ["action", "owner", "due_date", "status", "completed_on"]
        formfield_callback = govuk_formfield
        widgets = {"action": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"owner": "A named person and their agency, for example 'DC Rowe (police)'"}

    def __init__(self, *args, decision=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision or getattr(self.instance, "decision", None)

    def clean(self):
        data = super().clean()
        status, done = data.get("status"), data.get("completed_on")
        if status == "done" and not done:
            self.add_error("completed_on", "Enter the date the action was done")
        if status != "done" and done:
            self.add_error("completed_on", "A date done is recorded only when the action is done")
        if done and self.decision is not None and done < self.decision.held_on:
            self.add_error("completed_on", "Date done must be on or after the panel")
        due = data.get("due_date")
        if due and self.decision is not None and due < self.decision.held_on:
            self.add_error("due_date", "By when must be on or after the panel")
        return data
