"""Health forms: one per record, for adding and (versioned) changing it. ``clean()`` runs the
same checks the services and the API use (``services.problems``)."""

from __future__ import annotations

from django import forms

from haven.core.forms import GovukDateField, VersionedModelForm, govuk_formfield

from . import services
from .models import DentalCheck, HealthAssessment, Immunisations, SDQScore


class HealthForm(VersionedModelForm):
    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person if person is not None else self.instance.person
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect) and field.required:
                field.choices = [c for c in field.choices if c[0]]
                field.widget.choices = field.choices

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        values = {name: data.get(name) for name in self._meta.fields}
        for field, message in services.problems(self._meta.model, self.person, values, instance=self.instance):
            self.add_error(field if field in self.fields else None, message)
        return data


class AssessmentForm(HealthForm):
    completed_on = GovukDateField(label="Date completed", not_future=True, required=True)
    health_history_given_on = GovukDateField(
        label="Health history given to the young person", not_future=True, required=False,
        help_text="Final assessments only: the date the young person was given their health history")

    class Meta:
        model = HealthAssessment
        fields = ["kind", "completed_on", "by_name", "by_role", "by_organisation", "outcome", "health_plan_actions",
                  "health_history_given_on"]
        formfield_callback = govuk_formfield
        widgets = {"health_plan_actions": forms.Textarea(attrs={"rows": 4})}


class DentalForm(HealthForm):
    checked_on = GovukDateField(label="Date of the check", not_future=True, required=True)

    class Meta:
        model = DentalCheck
        fields = ["checked_on", "practice", "treatment_needed", "notes"]
        formfield_callback = govuk_formfield


class ImmunisationsForm(HealthForm):
    recorded_on = GovukDateField(label="Date checked", not_future=True, required=True)

    class Meta:
        model = Immunisations
        fields = ["recorded_on", "up_to_date", "notes"]
        formfield_callback = govuk_formfield
        labels = {"up_to_date": "Immunisations are up to date"}


class SDQForm(HealthForm):
    completed_on = GovukDateField(label="Date completed", not_future=True, required=True)
    score = forms.IntegerField(label="Total difficulties score", required=False,
                               help_text="A number from 0 to 40. Leave it blank when there is no score and select "
                                         "the reason",
                               error_messages={"invalid": "The score must be a whole number from 0 to 40"})

    class Meta:
        model = SDQScore
        fields = ["completed_on", "score", "reason", "completed_by"]
        formfield_callback = govuk_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].widget.attrs.update(inputmode="numeric", **{"class": "govuk-input govuk-input--width-3"})
        reason = self.fields["reason"]
        reason.choices = [("", "There is a score"), *[c for c in reason.choices if c[0]]]
        reason.widget.choices = reason.choices
        who = self.fields["completed_by"]
        who.choices = [("", "Not recorded"), *[c for c in who.choices if c[0]]]
        who.widget.choices = who.choices


FORMS = {HealthAssessment: AssessmentForm, DentalCheck: DentalForm, Immunisations: ImmunisationsForm, SDQScore: SDQForm}
