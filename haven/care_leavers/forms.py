"""Care leaver forms. Every form runs the same ``checks`` the services enforce, on the record
as it would be saved, and shows their messages on the fields. A pathway plan action without an
owner, a measurable outcome or a due date is not refused: the form warns and saves it once the
worker ticks "Save without …"."""

from __future__ import annotations

from django import forms

from haven.core.codes.looked_after import LeaverEligibility
from haven.core.forms import (
    GovukDateField,
    GovukForm,
    GovukModelForm,
    VersionedModelForm,
    govuk_formfield,
)

from . import checks
from .models import (
    Accommodation,
    Activity,
    Custody,
    LeaverContact,
    LeaverHealth,
    PathwayPlan,
    PathwayPlanAction,
    PathwayPlanReview,
    StayingPut,
)


def add_problems(form, problems) -> None:
    for field, message in problems:
        form.add_error(field if field in form.fields else None, message)


class CheckedMixin:
    """Sets the parent (``person`` or ``plan``) on the instance and runs the model's checks
    after the model form has copied the cleaned data onto it."""

    def __init__(self, *args, person=None, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if person is not None:
            self.instance.person = person
        if plan is not None:
            self.instance.plan = plan

    def run_checks(self):
        return checks.CHECKS[type(self.instance)](self.instance)

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            add_problems(self, self.run_checks())


class ContactForm(CheckedMixin, GovukModelForm):
    contact_on = GovukDateField(label="Date of contact", not_future=True, required=True)

    class Meta:
        model = LeaverContact
        fields = ["contact_on", "method", "in_touch", "seen", "notes"]
        formfield_callback = govuk_formfield
        help_texts = {"in_touch": "What this contact shows about whether the authority is in touch with the young person",
                      "seen": "In person or on a video call"}


class AccommodationForm(CheckedMixin, VersionedModelForm):
    suitable = forms.TypedChoiceField(
        label="Is the accommodation suitable?", required=False, coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None, choices=[("yes", "Suitable"), ("no", "Not suitable")], widget=forms.RadioSelect,
        help_text="Leave blank only if the young person has gone abroad or been deported")

    class Meta:
        model = Accommodation
        fields = ["kind", "suitable", "start_date", "end_date", "address", "postcode"]
        formfield_callback = govuk_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suitable"].widget.attrs["class"] = "govuk-radios__input"
        if self.instance.pk and self.instance.suitable is not None and not self.is_bound:
            self.initial["suitable"] = "yes" if self.instance.suitable else "no"


class ActivityForm(CheckedMixin, VersionedModelForm):
    class Meta:
        model = Activity
        fields = ["code", "start_date", "end_date"]
        formfield_callback = govuk_formfield


class CustodyForm(CheckedMixin, VersionedModelForm):
    class Meta:
        model = Custody
        fields = ["establishment", "start_date", "expected_release_on", "end_date", "contact_every_days", "notes"]
        formfield_callback = govuk_formfield
        help_texts = {"contact_every_days": "How often the personal adviser will be in touch while the young person "
                                            "is in custody. Managers see who is overdue"}


class StayingPutForm(CheckedMixin, VersionedModelForm):
    class Meta:
        model = StayingPut
        fields = ["carer", "start_date", "end_date", "notes"]
        formfield_callback = govuk_formfield


class HealthForm(CheckedMixin, VersionedModelForm):
    class Meta:
        model = LeaverHealth
        fields = ["final_assessment_on", "history_given_on", "notes"]
        formfield_callback = govuk_formfield


class PathwayPlanForm(CheckedMixin, VersionedModelForm):
    """The plan's dates and its sections (Care Leavers (England) Regulations 2010, Schedule 8)."""

    class Meta:
        model = PathwayPlan
        fields = ["needs_assessment_completed_on", "plan_agreed_on", "next_review_on", "accommodation",
                  "education_training_employment", "health", "finance", "relationships", "identity", "contingency"]
        formfield_callback = govuk_formfield
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name, _ in PathwayPlan.SECTIONS}

    def __init__(self, *args, eligibility=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.eligibility = eligibility

    def run_checks(self):
        return checks.pathway_plan(self.instance, self.eligibility)


class EndPlanForm(CheckedMixin, VersionedModelForm):
    class Meta:
        model = PathwayPlan
        fields = ["end_date", "end_reason"]
        formfield_callback = govuk_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_date"].required = True
        self.fields["end_date"].error_messages["required"] = "Enter the date the plan ended"
        self.fields["end_reason"].required = True
        self.fields["end_reason"].error_messages["required"] = "Select the reason the plan ended"

    def run_checks(self):
        return checks.pathway_plan(self.instance)


class ReviewForm(CheckedMixin, GovukModelForm):
    held_on = GovukDateField(label="Date of the review", not_future=True, required=True)

    class Meta:
        model = PathwayPlanReview
        fields = ["held_on", "young_person_took_part", "notes"]
        formfield_callback = govuk_formfield


class ActionForm(CheckedMixin, VersionedModelForm):
    """What, who, how we will know, by when. When one of the last three is missing the form warns
    and shows a "Save without …" checkbox instead of saving."""

    save_incomplete = forms.BooleanField(required=False, widget=forms.HiddenInput)
    incomplete_items = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = PathwayPlanAction
        fields = ["section", "action", "owner", "measurable_outcome", "due_date", "status"]
        formfield_callback = govuk_formfield
        help_texts = {"owner": "A named person and their role, for example 'Paula Adviser (personal adviser)'",
                      "measurable_outcome": "What we will see when it is done, for example 'Holds a tenancy in her name'"}
        widgets = {"action": forms.Textarea(attrs={"rows": 3}), "measurable_outcome": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.smart_missing: list[str] = []
        self.fields["section"].widget = forms.Select(choices=[("", "Not linked to a part of the plan"),
                                                              *PathwayPlan.SECTIONS], attrs={"class": "govuk-select"})
        if not self.instance.pk:
            del self.fields["status"]
        self.fields["action"].error_messages["required"] = "Enter what will be done"

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        missing = checks.smart_missing(owner=data.get("owner", ""), measurable_outcome=data.get("measurable_outcome", ""),
                                       due_date=data.get("due_date"))
        codes = ",".join(missing)
        if missing and not (data.get("save_incomplete") and data.get("incomplete_items") == codes):
            self.smart_missing = missing
            field = self.fields["save_incomplete"]
            field.widget = forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"})
            field.label = checks.without(missing)
            field.help_text = "The plan will show this action as incomplete until what is missing is added"
            self._bound_fields_cache.pop("save_incomplete", None)
            data_copy = self.data.copy()
            data_copy[self.add_prefix("incomplete_items")] = codes
            self.data = data_copy
            self.add_error("save_incomplete", f"This action does not have {checks.join_missing(missing)}. "
                                              f"Add {'them' if len(missing) > 1 else 'it'}, or tick "
                                              f"'{checks.without(missing)}'")
        return data


class StatusForm(GovukForm):
    """Confirm the computed category or override it with a reason."""

    category = forms.ChoiceField(label="Leaving care category", choices=LeaverEligibility.choices,
                                 widget=forms.RadioSelect)
    override_reason = forms.CharField(
        label="Why the category differs from the care history", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when you choose a category other than the one computed, for example detention in "
                  "hospital on the 16th birthday, or a special guardianship order after 16")

    def __init__(self, *args, computed=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.computed = computed
        self.fields["category"].widget.attrs["class"] = "govuk-radios__input"

    def clean(self):
        data = super().clean()
        if self.computed is not None and data.get("category") and data["category"] != self.computed.category \
                and not (data.get("override_reason") or "").strip():
            self.add_error("override_reason", "The category differs from the one the care history gives: say why")
        return data


class AdviserForm(GovukForm):
    worker = forms.ModelChoiceField(label="Personal adviser", queryset=None)
    start_date = GovukDateField(label="Allocated from", required=True)

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers
        self.fields["worker"].widget.attrs["class"] = "govuk-select"
        self.fields["worker"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class TeamFilterForm(GovukForm):
    category = forms.ChoiceField(required=False, label="Category",
                                 choices=[("", "Any"), *[c for c in LeaverEligibility.choices if c[0] != "not_eligible"]])
    age_band = forms.ChoiceField(required=False, label="Age", choices=[("", "Any"), ("17-18", "17 to 18"),
                                                                      ("19-21", "19 to 21")])
    in_touch = forms.ChoiceField(required=False, label="In touch",
                                 choices=[("", "Any"), ("yes", "In touch"), ("no", "Not in touch"), ("unknown", "No contact recorded")])
    eet = forms.ChoiceField(required=False, label="Education, employment or training",
                            choices=[("", "Any"), ("yes", "In EET"), ("no", "Not in EET"), ("unknown", "Not recorded")])
    suitable = forms.ChoiceField(required=False, label="Accommodation",
                                 choices=[("", "Any"), ("yes", "Suitable"), ("no", "Not suitable"), ("unknown", "Not recorded")])
    adviser = forms.ChoiceField(required=False, label="Personal adviser")

    def __init__(self, *args, advisers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adviser"].choices = [("", "Any"), ("none", "No personal adviser"),
                                          *[(str(u.pk), u.get_full_name() or u.get_username()) for u in advisers]]

    @staticmethod
    def _tri(value, wanted: str) -> bool:
        return {"yes": value is True, "no": value is False, "unknown": value is None}[wanted]

    def filter(self, rows):
        data = self.cleaned_data
        if data.get("category"):
            rows = [r for r in rows if r.category == data["category"]]
        if data.get("age_band"):
            rows = [r for r in rows if r.age_band == data["age_band"]]
        if data.get("in_touch"):
            rows = [r for r in rows if self._tri(r.in_touch, data["in_touch"])]
        if data.get("eet"):
            rows = [r for r in rows if self._tri(r.in_eet, data["eet"])]
        if data.get("suitable"):
            rows = [r for r in rows if self._tri(r.suitable, data["suitable"])]
        if data.get("adviser") == "none":
            rows = [r for r in rows if r.adviser is None]
        elif data.get("adviser"):
            rows = [r for r in rows if r.adviser is not None and str(r.adviser.worker_id) == data["adviser"]]
        return rows
