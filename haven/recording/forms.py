"""The family recording form: what, when, who it concerns (and, for visits, who was seen and
seen alone), and the text in parts, each of which can be kept off a child's record."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone

from haven.core.forms import GovukDateField, GovukForm

from .models import Recording


def checkboxes():
    # The class is set here: the kernel's styling would give CheckboxSelectMultiple (a RadioSelect
    # subclass) the radios class, and GOV.UK Frontend would then never show the tick.
    return forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"})


TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


class RecordingForm(GovukForm):
    kind = forms.ChoiceField(label="What was it", choices=Recording.Kind.choices, widget=forms.RadioSelect)
    date = GovukDateField(label="Date", not_future=True, required=True)
    time = forms.CharField(label="Time", max_length=5, help_text="Use the 24-hour clock, for example 14:30",
                           widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5", "inputmode": "numeric"}))
    title = forms.CharField(label="Title", max_length=200,
                            help_text="Shown on the record of everyone it concerns: do not put information about "
                                      "one child here that should be kept off another's record")
    significant = forms.BooleanField(label="This is a significant event", required=False,
                                     help_text="It will be marked as significant in each child's chronology")
    subjects = forms.MultipleChoiceField(label="Who it concerns", widget=checkboxes(),
                                         help_text="It will be on the record of each person you select")
    seen = forms.MultipleChoiceField(label="Who was seen (visits only)", required=False,
                                     widget=checkboxes())
    seen_alone = forms.MultipleChoiceField(label="Who was seen alone (visits only)", required=False,
                                           widget=checkboxes(),
                                           help_text="Someone seen alone is also recorded as seen")

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in people}
        choices = [(str(p.pk), self.describe(p)) for p in people]
        children = [(str(p.pk), p.full_name) for p in people if p.kind == "child"]
        self.fields["subjects"].choices = choices
        self.fields["seen"].choices = children
        self.fields["seen_alone"].choices = children
        self.fields["subjects"].error_messages["required"] = "Select who it concerns"
        self.fields["kind"].error_messages["required"] = "Select what it was"
        if not self.is_bound:
            now = timezone.localtime()
            self.initial.setdefault("date", now.date())
            self.initial.setdefault("time", f"{now:%H:%M}")

    @staticmethod
    def describe(person) -> str:
        age = f", {person.age}" if person.kind == "child" and person.age is not None else ""
        return f"{person.full_name} ({person.get_kind_display().lower()}{age})"

    def clean_time(self):
        value = self.cleaned_data.get("time", "")
        m = TIME.match(value or "")
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            raise forms.ValidationError("Enter a time using the 24-hour clock, for example 14:30")
        return dt.time(int(m.group(1)), int(m.group(2)))

    def clean(self):
        data = super().clean()
        day, at = data.get("date"), data.get("time")
        if day and at:
            when = timezone.make_aware(dt.datetime.combine(day, at))
            if when > timezone.now():
                self.add_error("time", "The time must be now or in the past")
            data["occurred_at"] = when
        subjects = set(data.get("subjects") or [])
        seen = set(data.get("seen") or []) | set(data.get("seen_alone") or [])
        visit = data.get("kind") in {Recording.Kind.HOME_VISIT, Recording.Kind.CP_VISIT, Recording.Kind.CIN_VISIT}
        if seen and data.get("kind") and not visit:
            self.add_error("seen", "Seen and seen alone are recorded for visits only. Untick them, or choose a visit")
        elif seen - subjects and "subjects" in data:
            names = ", ".join(self.people[p].first_name for p in sorted(seen - subjects))
            self.add_error("seen", f"{names} was seen but is not selected under 'Who it concerns'")
        return data


class PartForm(GovukForm):
    text = forms.CharField(label="What happened", required=False, widget=forms.Textarea(attrs={"rows": 8}))
    hidden_from = forms.MultipleChoiceField(label="Keep this part off a record", required=False,
                                            widget=checkboxes(),
                                            help_text="For example, information about a sibling. People viewing "
                                                      "the whole recording still see it")

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hidden_from"].choices = [(str(p.pk), f"Not shown on {p.full_name}'s record") for p in people]


class BasePartFormSet(forms.BaseFormSet):
    """Parts of the text: ``form_kwargs={"people": [...]}`` gives each its "Not shown on" choices.
    The first part is required; the others may be left empty."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if i == 0:
            form.fields["text"].required = True
            form.fields["text"].error_messages["required"] = "Enter what happened"
        return form

    def clean(self):
        if any(self.errors):
            return
        if not any((f.cleaned_data.get("text") or "").strip() for f in self.forms):
            raise forms.ValidationError("Enter what happened")


PartFormSet = forms.formset_factory(PartForm, formset=BasePartFormSet, extra=0, min_num=1, max_num=20,
                                    validate_max=True)
