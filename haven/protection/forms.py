"""Forms of the protection pages. They validate the shape of the input; the date and integrity
rules are the services' (``services.Refused``), shown back here as field errors."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone

from haven.core.codes import Agency, CPCategory, ReferralSource
from haven.core.forms import GovukDateField, GovukForm, VersionedModelForm, govuk_formfield

from . import services
from .models import REQUIRED_AGENCIES, ConferenceChild, S47Enquiry

YES_NO = [("yes", "Yes"), ("no", "No")]


def add_problems(form, problems, *, prefix_map: dict | None = None) -> None:
    """Field errors from a service's refusal. ``prefix_map`` sends a child's problems to that
    child's form ({person_id: form})."""
    for p in problems:
        target = form
        if prefix_map and p.person_id in prefix_map:
            target = prefix_map[p.person_id]
        name = p.field if p.field in target.fields else None
        if name is None and target is not form and p.field in form.fields:
            target, name = form, p.field
        target.add_error(name, p.message)


class ConditionalMixin:
    """A field required only in some cases, which the form's ``clean`` checks (a decision for
    each child chosen, a reason when an agency did not take part): its label does not say
    "(optional)", and an empty value is not an error by itself."""

    def validate(self, value):
        if value in self.empty_values:
            return
        super().validate(value)


class ConditionalChoiceField(ConditionalMixin, forms.ChoiceField):
    pass


class ConditionalCharField(ConditionalMixin, forms.CharField):
    pass


def conditional_radios(label: str, choices, **kwargs) -> ConditionalChoiceField:
    field = ConditionalChoiceField(label=label, choices=choices, widget=forms.RadioSelect, **kwargs)
    field.widget.attrs["class"] = "govuk-radios__input"
    return field


# --- attendees and actions (repeated rows) ----------------------------------------------------

class AttendeeForm(GovukForm):
    name = forms.CharField(label="Name", max_length=120, required=False)
    agency = forms.ChoiceField(label="Agency", choices=[("", "Select the agency"), *Agency.choices], required=False)
    role = forms.CharField(label="Role", max_length=120, required=False)
    attended = forms.BooleanField(label="Took part", required=False, initial=True)

    def clean(self):
        data = super().clean()
        if (data.get("name") or "").strip() and not data.get("agency"):
            self.add_error("agency", "Select the agency")
        return data

    def as_input(self) -> services.AttendeeIn | None:
        data = self.cleaned_data
        if not (data.get("name") or "").strip():
            return None
        return services.AttendeeIn(name=data["name"], agency=data["agency"], role=data.get("role") or "",
                                   attended=bool(data.get("attended")))


AttendeeFormSet = forms.formset_factory(AttendeeForm, extra=2, max_num=30, absolute_max=40)


def default_attendees() -> list[dict]:
    """A row for each agency that must be invited (Working Together 2023)."""
    return [{"agency": a.value, "attended": True} for a in REQUIRED_AGENCIES]


def attendee_formset(data=None, *, prefix="attendees"):
    return AttendeeFormSet(data, prefix=prefix, initial=None if data is not None else default_attendees())


class ActionForm(GovukForm):
    action = forms.CharField(label="What will be done", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(label="Who will do it", max_length=120, required=False)
    due_date = GovukDateField(label="By when", required=False)

    def as_input(self) -> services.ActionIn | None:
        data = self.cleaned_data
        if not (data.get("action") or "").strip() and not (data.get("owner") or "").strip() and not data.get("due_date"):
            return None
        return services.ActionIn(action=data.get("action") or "", owner=data.get("owner") or "", due_date=data.get("due_date"))


ActionFormSet = forms.formset_factory(ActionForm, extra=3, max_num=30, absolute_max=40)


def rows_of(formset, row_forms: list) -> list:
    """The inputs of the filled rows, and (row number in the input list → form) for errors."""
    out = []
    for f in formset.forms:
        item = f.as_input()
        if item is not None:
            row_forms.append(f)
            out.append(item)
    return out


def attach_row_problems(problems, name: str, row_forms: list, form) -> list:
    """Problems about ``name.<i>.<field>`` go to that row's form; the rest are returned."""
    rest = []
    for p in problems:
        m = re.fullmatch(rf"{name}\.(\d+)\.(\w+)", p.field)
        if m and int(m.group(1)) < len(row_forms):
            row = row_forms[int(m.group(1))]
            row.add_error(m.group(2) if m.group(2) in row.fields else None, p.message)
        elif p.field == name:
            form.add_error(None, p.message)
        else:
            rest.append(p)
    return rest


# --- strategy discussion ----------------------------------------------------------------------

TIME_RE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


class StrategyForm(GovukForm):
    use_required_attribute = False  # some fields are required only in some cases (see clean)
    held_on = GovukDateField(label="Date of the discussion", not_future=True)
    time = forms.CharField(label="Time", max_length=5, help_text="Use the 24-hour clock, for example 14:30",
                           widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5"}))
    children = forms.MultipleChoiceField(label="Children the discussion was about", widget=forms.CheckboxSelectMultiple)
    referral_source = ConditionalChoiceField(
        label="Referral source", choices=[("", "Select the source"), *ReferralSource.choices],
        help_text="A child without an open referral gets one, opened on the day of the discussion")
    summary = forms.CharField(label="Information shared and reasons for the decisions", required=False,
                              widget=forms.Textarea)
    absence_confirmed = forms.BooleanField(required=False,
                                           label="I have recorded why the police, health, education or children's "
                                                 "social care did not take part")
    absence_reason = ConditionalCharField(label="Why they did not take part", widget=forms.Textarea(attrs={"rows": 3}),
                                          help_text="Only when an agency did not take part")

    def __init__(self, *args, family, needs_referral=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.family = family
        self.fields["children"].choices = [(str(p.pk), f"{p.full_name}{_born(p)}") for p in family]
        self.fields["children"].widget.attrs["class"] = "govuk-checkboxes__input"
        self.fields["children"].error_messages["required"] = "Select the children the discussion was about"
        self.fields["time"].error_messages["required"] = "Enter the time of the discussion"
        self.decision_names = []
        for p in family:
            name = f"s47_{p.pk}"
            self.fields[name] = conditional_radios(
                f"Decision for {p.full_name}", [("yes", "Start a section 47 enquiry"), ("no", "No section 47 enquiry")],
                help_text="If the discussion was about this child")
            self.decision_names.append((p, name))
        if not needs_referral:
            del self.fields["referral_source"]
        self.needs_referral = list(needs_referral)

    def decision_fields(self):
        return [self[name] for _p, name in self.decision_names]

    def set_missing(self, missing: list[str]) -> None:
        if missing:
            self.fields["absence_confirmed"].label = f"I have recorded why {services.join_names(missing)} did not take part"

    def clean_time(self):
        value = self.cleaned_data["time"]
        m = TIME_RE.match(value or "")
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            raise forms.ValidationError("Enter the time in the 24-hour clock, for example 14:30")
        return dt.time(int(m.group(1)), int(m.group(2)))

    def clean(self):
        data = super().clean()
        chosen = set(data.get("children") or [])
        for p, name in self.decision_names:
            if str(p.pk) in chosen and data.get(name) not in ("yes", "no"):
                self.add_error(name, f"Select whether a section 47 enquiry starts for {p.first_name}")
        if data.get("held_on") and data.get("time"):
            held_at = timezone.make_aware(dt.datetime.combine(data["held_on"], data["time"]))
            if held_at > timezone.now():
                self.add_error("time", "The time of the discussion must be in the past")
            data["held_at"] = held_at
        return data

    def decisions(self) -> list[services.ChildDecisionIn]:
        chosen = set(self.cleaned_data.get("children") or [])
        return [services.ChildDecisionIn(person=p, s47=self.cleaned_data.get(name) == "yes")
                for p, name in self.decision_names if str(p.pk) in chosen]


def _born(p) -> str:
    return f", born {p.date_of_birth.day} {p.date_of_birth:%B %Y}" if p.date_of_birth else ""


# --- section 47 -------------------------------------------------------------------------------

class S47OutcomeForm(VersionedModelForm):
    completed_date = GovukDateField(label="Date the enquiry was completed", not_future=True)

    class Meta:
        model = S47Enquiry
        fields = ["outcome", "completed_date"]
        formfield_callback = govuk_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["outcome"]
        field.required = True
        field.label = "Outcome of the enquiry"
        field.choices = [c for c in field.choices if c[0]]
        field.error_messages["required"] = "Select the outcome of the enquiry"


# --- conferences ------------------------------------------------------------------------------

def chairs_for(authority):
    """Users who may chair a conference for ``authority``: child protection chairs (and team
    managers) in a team that serves it."""
    from haven.accounts.models import User
    from haven.accounts.roles import CAPABILITIES

    roles = sorted(CAPABILITIES.get("protection.chair", set()))
    return (User.objects.filter(is_active=True, memberships__active=True, memberships__role__in=roles,
                                memberships__team__serves=authority).distinct().order_by("last_name", "first_name"))


class ConferenceForm(GovukForm):
    held_on = GovukDateField(label="Date of the conference", not_future=True)
    chair = forms.ModelChoiceField(label="Chair", queryset=None, empty_label=None)
    parents_received_report = forms.ChoiceField(label="Did the parents receive the report before the conference?",
                                                choices=YES_NO, widget=forms.RadioSelect)
    summary = forms.CharField(label="Summary of the conference", required=False, widget=forms.Textarea)

    def __init__(self, *args, authority, actor, **kwargs):
        super().__init__(*args, **kwargs)
        qs = chairs_for(authority)
        self.fields["chair"].queryset = qs
        self.fields["chair"].widget.attrs["class"] = "govuk-select"
        if not self.is_bound and qs.filter(pk=actor.pk).exists():
            self.initial.setdefault("chair", actor.pk)
        self.fields["chair"].error_messages["required"] = "Select the chair"
        self.fields["parents_received_report"].error_messages["required"] = (
            "Select whether the parents received the report before the conference")


class ConferenceChildForm(GovukForm):
    """One child's part of a conference: whether the conference was about them, how they took
    part, and the decision."""

    use_required_attribute = False  # required only when the child is included (see clean)

    include = forms.BooleanField(required=False)
    participation = conditional_radios("How the child took part", ConferenceChild.Participation.choices)
    had_advocate = forms.BooleanField(label="The child had an advocate", required=False)

    def __init__(self, *args, person, label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["include"].label = label
        self.fields["participation"].label = f"How {person.first_name} took part"

    def clean(self):
        data = super().clean()
        if data.get("include") and not data.get("participation"):
            self.add_error("participation", f"Select how {self.person.first_name} took part")
        return data

    @property
    def included(self) -> bool:
        return bool(self.cleaned_data.get("include"))


class InitialChildForm(ConferenceChildForm):
    plan_needed = conditional_radios("Decision", [("yes", "A child protection plan is needed"),
                                                  ("no", "No child protection plan")])
    category = conditional_radios("Category of abuse", CPCategory.choices, help_text="When a plan is needed")

    def __init__(self, *args, s47, **kwargs):
        super().__init__(*args, person=s47.person, **kwargs)
        self.s47 = s47
        self.fields["plan_needed"].label = f"Decision for {s47.person.first_name}"
        self.fields["category"].label = f"Category of abuse for {s47.person.first_name}'s plan"

    def clean(self):
        data = super().clean()
        if not data.get("include"):
            return data
        if data.get("plan_needed") not in ("yes", "no"):
            self.add_error("plan_needed", f"Select whether {self.person.first_name} needs a child protection plan")
        elif data["plan_needed"] == "yes" and not data.get("category"):
            self.add_error("category", "Select the category of abuse")
        elif data["plan_needed"] == "no":
            data["category"] = ""
        return data

    def as_input(self) -> services.InitialChildIn:
        d = self.cleaned_data
        return services.InitialChildIn(s47=self.s47, participation=d["participation"], had_advocate=bool(d.get("had_advocate")),
                                       plan_needed=d.get("plan_needed") == "yes", category=d.get("category") or "")


class ReviewChildForm(ConferenceChildForm):
    plan_continues = conditional_radios("Decision", [("yes", "The plan continues"), ("no", "The plan ends")])
    category = conditional_radios("Latest category of abuse", CPCategory.choices, help_text="When the plan continues")
    end_reason = ConditionalChoiceField(label="Why the plan ends", help_text="When the plan ends")

    def __init__(self, *args, plan, **kwargs):
        from haven.plans.models import Plan

        super().__init__(*args, person=plan.person, **kwargs)
        self.plan = plan
        name = plan.person.first_name
        self.fields["plan_continues"].label = f"Decision for {name}'s plan"
        self.fields["category"].label = f"Latest category of abuse for {name}'s plan"
        self.fields["end_reason"].label = f"Why {name}'s plan ends"
        self.fields["end_reason"].choices = [("", "Select a reason"), *Plan.EndReason.choices]
        self.fields["end_reason"].widget.attrs["class"] = "govuk-select"
        if not self.is_bound:
            self.initial.setdefault("category", plan.latest_category)

    def clean(self):
        data = super().clean()
        if not data.get("include"):
            return data
        if data.get("plan_continues") not in ("yes", "no"):
            self.add_error("plan_continues", f"Select whether {self.person.first_name}'s plan continues")
        elif data["plan_continues"] == "yes":
            data["end_reason"] = ""
            if not data.get("category"):
                self.add_error("category", "Select the latest category of abuse")
        else:
            data["category"] = ""
            if not data.get("end_reason"):
                self.add_error("end_reason", "Select why the plan ends")
        return data

    def as_input(self) -> services.ReviewChildIn:
        d = self.cleaned_data
        return services.ReviewChildIn(plan=self.plan, participation=d["participation"],
                                      had_advocate=bool(d.get("had_advocate")),
                                      plan_continues=d.get("plan_continues") == "yes", category=d.get("category") or "",
                                      end_reason=d.get("end_reason") or "")


# --- core group -------------------------------------------------------------------------------

class CoreGroupForm(GovukForm):
    held_on = GovukDateField(label="Date of the meeting", not_future=True)
    attendees = forms.CharField(label="Who attended", required=False, help_text="One per line, with their agency",
                                widget=forms.Textarea(attrs={"rows": 5}))
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean(self):
        data = super().clean()
        for p in services.core_group_problems(self.plan, data.get("held_on")):
            self.add_error(p.field if p.field in self.fields else None, p.message)
        return data
