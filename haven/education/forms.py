"""Education forms: one per record, for adding and (versioned) changing it. ``clean()`` runs the
same checks the services and the API use (``services.problems``)."""

from __future__ import annotations

from django import forms

from haven.core.forms import GovukDateField, VersionedModelForm, govuk_formfield

from . import services
from .models import Attendance, Exclusion, PersonalEducationPlan, SchoolPlacement, VirtualSchoolNote


class EducationForm(VersionedModelForm):
    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person if person is not None else self.instance.person
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect) and field.required:
                field.choices = [c for c in field.choices if c[0]]
                field.widget.choices = field.choices
        if "school" in self.fields:
            school = self.fields["school"]
            school.queryset = SchoolPlacement.objects.filter(person=self.person)
            school.empty_label = "Not recorded"
            school.widget.attrs["class"] = "govuk-select"
            school.help_text = "Add the school on the education page first if it is not listed"

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        values = {name: data.get(name) for name in self._meta.fields}
        for field, message in services.problems(self._meta.model, self.person, values, instance=self.instance):
            self.add_error(field if field in self.fields else None, message)
        return data


class SchoolForm(EducationForm):
    start_date = GovukDateField(label="Started at the school", required=True)
    end_date = GovukDateField(label="Left the school", not_future=True, required=False,
                              help_text="Leave blank while the child still attends")

    class Meta:
        model = SchoolPlacement
        fields = ["school_name", "urn", "year_group", "start_date", "end_date"]
        formfield_callback = govuk_formfield
        widgets = {"urn": forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10", "inputmode": "numeric"})}


class PEPForm(EducationForm):
    held_on = GovukDateField(label="Date of the PEP meeting", not_future=True, required=True)

    class Meta:
        model = PersonalEducationPlan
        fields = ["held_on", "school", "attendees", "child_views", "targets", "pupil_premium_plus", "designated_teacher"]
        formfield_callback = govuk_formfield
        help_texts = {"pupil_premium_plus": "What it pays for and how that helps the targets"}
        widgets = {"attendees": forms.Textarea(attrs={"rows": 4}), "targets": forms.Textarea(attrs={"rows": 6})}


class AttendanceForm(EducationForm):
    start_date = GovukDateField(label="Period from", not_future=True, required=True)
    end_date = GovukDateField(label="Period to", not_future=True, required=True)

    class Meta:
        model = Attendance
        fields = ["school", "start_date", "end_date", "sessions_possible", "sessions_attended"]
        formfield_callback = govuk_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("sessions_possible", "sessions_attended"):
            self.fields[name].widget.attrs.update({"class": "govuk-input govuk-input--width-5", "inputmode": "numeric"})


class ExclusionForm(EducationForm):
    start_date = GovukDateField(label="Start date", not_future=True, required=True)

    class Meta:
        model = Exclusion
        fields = ["kind", "school", "start_date", "sessions", "reason"]
        formfield_callback = govuk_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].widget.attrs.update({"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"})


class NoteForm(EducationForm):
    written_on = GovukDateField(label="Date", not_future=True, required=True)

    class Meta:
        model = VirtualSchoolNote
        fields = ["written_on", "author", "note"]
        formfield_callback = govuk_formfield
        widgets = {"note": forms.Textarea(attrs={"rows": 8})}


FORMS = {SchoolPlacement: SchoolForm, PersonalEducationPlan: PEPForm, Attendance: AttendanceForm,
         Exclusion: ExclusionForm, VirtualSchoolNote: NoteForm}
