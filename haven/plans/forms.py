"""Plan forms. Date rules come from ``checks`` (the same ones the services enforce); an action
without an owner, a measurable outcome or a due date is not refused: the form warns, and saves
it once the user ticks "Save without …"."""

from __future__ import annotations

from django import forms

from haven.core.forms import GovukDateField, GovukModelForm, VersionedModelForm, govuk_formfield

from . import checks
from .models import Plan, PlanAction, PlanObjective, PlanReview


def _add_problems(form, problems) -> None:
    for field, message in problems:
        form.add_error(field if field in form.fields else None, message)


class CINPlanForm(GovukModelForm):
    """Start a child in need plan (the service creates it)."""

    start_date = GovukDateField(label="Start date", not_future=True, required=True)

    class Meta:
        model = Plan
        fields = ["start_date", "summary", "child_friendly"]
        formfield_callback = govuk_formfield
        help_texts = {
            "summary": "What needs to change for the child, in the family's words where you can",
            "child_friendly": "Optional. You can write or change it later, beside the plan",
        }

    def __init__(self, *args, person=None, episode=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person, self.episode = person, episode
        self.fields["summary"].required = True
        self.fields["summary"].error_messages["required"] = "Enter what needs to change"

    def clean(self):
        data = super().clean()
        if self.person is not None:
            _add_problems(self, checks.cin_plan_start(self.person, data.get("start_date"), self.episode))
        return data


class PlanForm(VersionedModelForm):
    """The plan's text: what needs to change; for a CP plan the latest category; for a CIN plan
    its start date (a CP plan starts at its conference)."""

    class Meta:
        model = Plan
        fields = ["start_date", "summary", "latest_category"]
        formfield_callback = govuk_formfield
        help_texts = {"latest_category": "Change it when a review conference changes the category"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.kind == Plan.Kind.CP:
            del self.fields["start_date"]
            self.fields["latest_category"].required = True
        else:
            del self.fields["latest_category"]
            self.fields["start_date"] = GovukDateField(label="Start date", not_future=True, required=True)

    def clean(self):
        data = super().clean()
        if "start_date" in self.fields and data.get("start_date"):
            plan = self.instance
            _add_problems(self, checks.cin_plan_start(plan.person, data["start_date"], plan.episode, plan=plan))
            if plan.end_date and data["start_date"] > plan.end_date:
                self.add_error("start_date", f"Start date must be on or before the plan ended on {checks.day(plan.end_date)}")
        return data


class ChildFriendlyForm(VersionedModelForm):
    class Meta:
        model = Plan
        fields = ["child_friendly"]
        labels = {"child_friendly": "Child-friendly version"}
        help_texts = {"child_friendly": "Short sentences, the child's own words where you can: who is worried, "
                                        "what will happen, who will help and when. Start a new line for each point"}
        widgets = {"child_friendly": forms.Textarea(attrs={"rows": 18})}


class ObjectiveForm(VersionedModelForm):
    class Meta:
        model = PlanObjective
        fields = ["text"]
        labels = {"text": "Objective"}
        help_texts = {"text": "What will be different for the child when this is achieved"}


class ActionForm(VersionedModelForm):
    """An action: what, who, how we will know, by when. When one of the last three is missing
    the form shows a warning and a "Save without …" checkbox instead of saving."""

    save_incomplete = forms.BooleanField(required=False, widget=forms.HiddenInput)
    incomplete_items = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = PlanAction
        fields = ["objective", "action", "owner", "measurable_outcome", "due_date", "status"]
        formfield_callback = govuk_formfield
        labels = {"objective": "Objective it is for"}
        help_texts = {
            "owner": "A named person and their role, for example 'Maura O'Brien (mother)' or 'School nurse'",
            "measurable_outcome": "What we will see when it is done, for example 'Lily attends school every day for 4 weeks'",
        }
        widgets = {"action": forms.Textarea(attrs={"rows": 3}), "measurable_outcome": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan or self.instance.plan
        self.smart_missing: list[str] = []
        objectives = PlanObjective.objects.filter(plan=self.plan)
        self.fields["objective"].queryset = objectives
        self.fields["objective"].empty_label = "Not linked to an objective"
        self.fields["objective"].widget.attrs["class"] = "govuk-select"
        if not objectives.exists():
            del self.fields["objective"]
        if not self.instance.pk:
            del self.fields["status"]
        self.fields["action"].error_messages["required"] = "Enter what will be done"

    def clean(self):
        data = super().clean()
        _add_problems(self, checks.action_dates(self.plan, data.get("due_date")))
        if self.errors:
            return data
        missing = checks.smart_missing(owner=data.get("owner", ""), measurable_outcome=data.get("measurable_outcome", ""),
                                       due_date=data.get("due_date"))
        codes = ",".join(missing)
        # The tick counts only for what was missing when it was shown.
        if missing and not (data.get("save_incomplete") and data.get("incomplete_items") == codes):
            self.smart_missing = missing
            field = self.fields["save_incomplete"]
            field.widget = forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"})
            field.label = checks.without(missing)
            field.help_text = "The plan will show this action as incomplete until what is missing is added"
            self._bound_fields_cache.pop("save_incomplete", None)  # its label changed
            data_copy = self.data.copy()
            data_copy[self.add_prefix("incomplete_items")] = codes
            self.data = data_copy
            self.add_error("save_incomplete", f"This action does not have {checks.join_missing(missing)}. "
                                              f"Add {'them' if len(missing) > 1 else 'it'}, or tick "
                                              f"'{checks.without(missing)}'")
        return data


class ActionStatusForm(VersionedModelForm):
    class Meta:
        model = PlanAction
        fields = ["status"]
        formfield_callback = govuk_formfield
        labels = {"status": "Progress"}


class EndPlanForm(VersionedModelForm):
    end_date = GovukDateField(label="End date", not_future=True, required=True)

    class Meta:
        model = Plan
        fields = ["end_date", "end_reason"]
        formfield_callback = govuk_formfield
        labels = {"end_reason": "Reason the plan ended"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["end_reason"]
        field.required = True
        field.error_messages["required"] = "Select the reason the plan ended"
        only_cp = {Plan.EndReason.NO_LONGER_AT_RISK, Plan.EndReason.STEP_DOWN_CIN}
        field.choices = [c for c in field.choices if c[0] and
                         (self.instance.kind == Plan.Kind.CP or c[0] not in only_cp)]
        field.widget = forms.RadioSelect(choices=field.choices, attrs={"class": "govuk-radios__input"})

    def clean(self):
        data = super().clean()
        _add_problems(self, checks.plan_end(self.instance, data.get("end_date")))
        return data


class ReviewForm(GovukModelForm):
    held_on = GovukDateField(label="Date of the review", not_future=True, required=True)

    class Meta:
        model = PlanReview
        fields = ["held_on", "notes"]
        labels = {"notes": "What the review found and decided"}

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean(self):
        data = super().clean()
        if self.plan is not None:
            _add_problems(self, checks.review_date(self.plan, data.get("held_on")))
        return data
