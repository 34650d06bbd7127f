"""Care planning forms: a care plan, a looked-after review, a recommendation (warns when it is
not specific, measurable, owned and timed), its progress, the IRO allocation, a statutory visit,
and the filters of the team and IRO views. Date rules come from ``services`` (the same ones the
services enforce, so the API refuses the same input)."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone

from haven.core.codes.looked_after import Participation, PlacementType
from haven.core.forms import (
    GovukDateField,
    GovukForm,
    GovukModelForm,
    VersionedModelForm,
    govuk_formfield,
)

from . import services
from .models import CarePlan, LACReview, ReviewRecommendation


def _add_problems(form, problems) -> None:
    for field, message in problems:
        form.add_error(field if field in form.fields else None, message)


class CarePlanForm(GovukModelForm):
    agreed_on = GovukDateField(label="Date the plan was agreed", not_future=True, required=True,
                               help_text="A plan agreed before the child came into care counts: up to 3 months before")

    class Meta:
        model = CarePlan
        fields = ["agreed_on", "summary", "needs", "how_met", "contact", "permanence_aim", "permanence_detail",
                  "child_views"]
        formfield_callback = govuk_formfield
        widgets = {"permanence_aim": forms.RadioSelect}

    def __init__(self, *args, person=None, period=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person, self.period = person, period
        field = self.fields["permanence_aim"]
        field.choices = [c for c in field.choices if c[0]]
        field.widget = forms.RadioSelect(choices=field.choices, attrs={"class": "govuk-radios__input"})
        self.fields["summary"].error_messages["required"] = "Enter the plan in brief"
        self.fields["needs"].error_messages["required"] = "Enter the child's needs"

    def clean(self):
        data = super().clean()
        if self.person is not None and data.get("agreed_on"):
            _add_problems(self, services.care_plan_problems(self.person, self.period, data["agreed_on"]))
        return data


class ReviewForm(GovukModelForm):
    held_on = GovukDateField(label="Date of the review", not_future=True, required=True)
    next_review_on = GovukDateField(label="Next review suggested for", required=False,
                                    help_text="The IRO's suggestion; the clock sets the latest date it can be held")

    class Meta:
        model = LACReview
        fields = ["held_on", "participation", "child_views", "parents_views", "decisions", "next_review_on"]
        formfield_callback = govuk_formfield
        help_texts = {"child_views": "In the child's own words where you can",
                      "decisions": "Including whether the care plan still meets the child's needs"}

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        field = self.fields["participation"]
        field.choices = [(c.value, f"{c.value}: {c.label}") for c in Participation]
        field.widget = forms.RadioSelect(choices=field.choices, attrs={"class": "govuk-radios__input"})
        field.error_messages["required"] = "Select how the child took part"
        self.fields["decisions"].error_messages["required"] = "Enter the decisions of the review"

    def clean(self):
        data = super().clean()
        held_on = data.get("held_on")
        if self.person is not None and held_on:
            period = services.period_on(self.person, held_on)
            _add_problems(self, services.review_problems(self.person, period, held_on, data.get("participation"),
                                                         data.get("next_review_on")))
        return data


class RecommendationForm(VersionedModelForm):
    """A recommendation: what, who, how we will know, by when. When one of the last three is
    missing the form warns and shows a "Save without …" checkbox instead of saving."""

    save_incomplete = forms.BooleanField(required=False, widget=forms.HiddenInput)
    incomplete_items = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = ReviewRecommendation
        fields = ["action", "owner", "measurable_outcome", "due_date"]
        formfield_callback = govuk_formfield
        help_texts = {
            "owner": "A named person and their role, for example 'Sam Jones (social worker)' or 'Virtual school'",
            "measurable_outcome": "What we will see when it is done, for example 'Life story book shared with Lily'",
        }
        widgets = {"action": forms.Textarea(attrs={"rows": 3}),
                   "measurable_outcome": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review or self.instance.review
        self.smart_missing: list[str] = []
        self.fields["action"].error_messages["required"] = "Enter what will be done"

    def clean(self):
        data = super().clean()
        _add_problems(self, services.recommendation_problems(self.review, data.get("due_date")))
        if self.errors:
            return data
        missing = services.smart_missing(owner=data.get("owner", ""), measurable_outcome=data.get("measurable_outcome", ""),
                                         due_date=data.get("due_date"))
        codes = ",".join(missing)
        if missing and not (data.get("save_incomplete") and data.get("incomplete_items") == codes):
            self.smart_missing = missing
            field = self.fields["save_incomplete"]
            field.widget = forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"})
            field.label = services.without(missing)
            field.help_text = "The review will show this recommendation as incomplete until what is missing is added"
            self._bound_fields_cache.pop("save_incomplete", None)
            data_copy = self.data.copy()
            data_copy[self.add_prefix("incomplete_items")] = codes
            self.data = data_copy
            self.add_error("save_incomplete", f"This recommendation does not have {services.join_missing(missing)}. "
                                              f"Add {'them' if len(missing) > 1 else 'it'}, or tick "
                                              f"'{services.without(missing)}'")
        return data


class RecommendationStatusForm(VersionedModelForm):
    class Meta:
        model = ReviewRecommendation
        fields = ["status", "progress"]
        formfield_callback = govuk_formfield
        labels = {"status": "Progress"}
        help_texts = {"progress": "What has happened, and when"}


class IROForm(GovukForm):
    worker = forms.ModelChoiceField(label="Independent reviewing officer", queryset=None,
                                    empty_label="Select an IRO")
    start_date = GovukDateField(label="From", not_future=True, required=True,
                                help_text="The current IRO's allocation ends the day before")

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = services.iro_candidates(person)
        self.fields["worker"].label_from_instance = lambda u: u.get_full_name() or u.get_username()
        self.fields["worker"].widget.attrs["class"] = "govuk-select"
        self.fields["worker"].error_messages["required"] = "Select the independent reviewing officer"
        if not self.is_bound:
            self.initial.setdefault("start_date", timezone.localdate())


TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


class VisitForm(GovukForm):
    date = GovukDateField(label="Date of the visit", not_future=True, required=True)
    time = forms.CharField(label="Time", max_length=5, help_text="Use the 24-hour clock, for example 14:30",
                           widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5",
                                                         "inputmode": "numeric"}))
    seen = forms.BooleanField(label="The child was seen", required=False, initial=True)
    seen_alone = forms.BooleanField(label="The child was seen alone", required=False,
                                    help_text="A child seen alone is also recorded as seen")
    notes = forms.CharField(label="What happened and what the child said", widget=forms.Textarea(attrs={"rows": 8}),
                            help_text="Where the child was seen, their wishes and feelings, their bedroom, how the "
                                      "placement is going")

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["notes"].error_messages["required"] = "Enter what happened on the visit and what the child said"
        if not self.is_bound:
            now = timezone.localtime()
            self.initial.setdefault("date", now.date())
            self.initial.setdefault("time", f"{now:%H:%M}")

    def clean_time(self):
        m = TIME.match(self.cleaned_data.get("time") or "")
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            raise forms.ValidationError("Enter a time using the 24-hour clock, for example 14:30")
        return dt.time(int(m.group(1)), int(m.group(2)))

    def clean(self):
        data = super().clean()
        day, at = data.get("date"), data.get("time")
        if day and at:
            when = timezone.make_aware(dt.datetime.combine(day, at))
            data["occurred_at"] = when
            if self.person is not None:
                for field, message in services.visit_problems(self.person, when):
                    self.add_error("time" if "time" in message.lower() else field, message)
        return data


class TeamFilterForm(GovukForm):
    """The filters of the team and IRO views (GET)."""

    authority = forms.ChoiceField(label="Local authority", required=False)
    team = forms.ChoiceField(label="Team", required=False)
    iro = forms.ChoiceField(label="IRO", required=False)
    social_worker = forms.ChoiceField(label="Social worker", required=False)
    place = forms.ChoiceField(label="Placement type", required=False,
                              choices=[("", "Any")] + [(c.value, f"{c.value}: {c.label}") for c in PlacementType])
    location = forms.ChoiceField(label="Placement location", required=False,
                                 choices=[("", "Any"), ("IN", "Inside the authority"), ("OUT", "Outside the authority")])
    overdue = forms.BooleanField(label="Only children with something overdue", required=False)

    def __init__(self, *args, authorities=(), teams=(), iros=(), workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].choices = [("", "All")] + [(str(a.pk), a.name) for a in authorities]
        self.fields["team"].choices = [("", "All")] + [(str(t.pk), t.name) for t in teams]
        self.fields["iro"].choices = [("", "Any")] + [(str(u.pk), u.get_full_name() or u.get_username()) for u in iros]
        self.fields["social_worker"].choices = ([("", "Any")] +
                                                [(str(u.pk), u.get_full_name() or u.get_username()) for u in workers])
