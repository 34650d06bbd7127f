"""Front door forms. They check what a form can (required fields, real dates and times); the
rules that need the record (consent, order of events, the RAG clock) are the services' and come
back as field errors."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone

from haven.core.codes import PrimaryNeed, ReferralSource
from haven.core.forms import GovukDateField, GovukForm
from haven.people.forms import PersonForm

from .models import Contact
from .services import CHECK_AGENCIES

TIME_RE = re.compile(r"^\s*(\d{1,2})\s*[:.]\s*(\d{2})\s*$")


class GovukTimeField(forms.CharField):
    """A time on the 24-hour clock ('14:30'), as a GOV.UK text input."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Use the 24-hour clock, for example 14:30")
        super().__init__(**kwargs)
        self.widget.attrs.update({"class": "govuk-input govuk-input--width-5", "spellcheck": "false"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = TIME_RE.match(value)
        if not match:
            raise forms.ValidationError(f"{self.label} must be a time like 14:30", code="invalid")
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            raise forms.ValidationError(f"{self.label} must be a real time, like 14:30", code="invalid")
        return dt.time(hour, minute)

    def prepare_value(self, value):
        return value.strftime("%H:%M") if isinstance(value, dt.time) else value


def aware(day: dt.date | None, time: dt.time | None) -> dt.datetime | None:
    """The date and time entered; the current minute means now (to the second), so that what
    happens next in the same minute still comes after it."""
    if day is None or time is None:
        return None
    value = timezone.make_aware(dt.datetime.combine(day, time))
    now = timezone.now()
    if value == now.replace(second=0, microsecond=0):
        return now
    return value


def now_initial(date_field: str, time_field: str) -> dict:
    now = timezone.localtime()
    return {date_field: now.date(), time_field: now.strftime("%H:%M")}


class DateTimeMixin:
    """Pairs of a GOV.UK date and a time field become one aware datetime in ``cleaned_data``:
    ``datetimes = {"received_at": ("received_date", "received_time")}``."""

    datetimes: dict[str, tuple[str, str]] = {}

    def clean(self):
        data = super().clean()
        for name, (date_field, time_field) in self.datetimes.items():
            day, time = data.get(date_field), data.get(time_field)
            if day and time is None and time_field not in self.errors:
                self.add_error(time_field, f"Enter {self.fields[time_field].label.lower()}")
            data[name] = aware(day, time)
        return data


class VersionMixin(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _select(choices, blank: str):
    return [("", blank), *choices]


class ConsentFieldsMixin(forms.Form):
    consent = forms.ChoiceField(label="Consent to share information", choices=Contact.Consent.choices,
                                widget=forms.RadioSelect,
                                help_text="Consent from the family to share information with other agencies")
    consent_reason = forms.CharField(
        label="Why consent was not sought, refused or overridden", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when consent was not sought or was overridden")
    consent_overridden_by = forms.ModelChoiceField(
        label="Manager who authorised sharing without consent", required=False, queryset=None,
        help_text="Only when consent was overridden", empty_label="Select a manager")

    def setup_consent(self, managers):
        from haven.accounts.models import User

        self.fields["consent_overridden_by"].queryset = User.objects.filter(pk__in=[m.pk for m in managers])
        self.fields["consent_overridden_by"].label_from_instance = lambda u: f"{u.get_full_name() or u.username}"


class ContactForm(DateTimeMixin, ConsentFieldsMixin, GovukForm):
    """The contact itself: when, from whom, about what, and consent to share."""

    datetimes = {"received_at": ("received_date", "received_time")}

    authority = forms.ModelChoiceField(queryset=None, label="Local authority", empty_label=None,
                                       help_text="The authority where the child lives")
    received_date = GovukDateField(label="Date received", not_future=True)
    received_time = GovukTimeField(label="Time received")
    source = forms.ChoiceField(label="Who made the contact", choices=_select(ReferralSource.choices, "Select the source"),
                               help_text="CIN census referral source")
    reason = forms.CharField(label="What is the concern?", widget=forms.Textarea(attrs={"rows": 6}))
    referrer_name = forms.CharField(label="Referrer's name", required=False, max_length=120)
    referrer_organisation = forms.CharField(label="Referrer's organisation", required=False, max_length=120)
    referrer_phone = forms.CharField(label="Referrer's phone number", required=False, max_length=40)
    referrer_email = forms.EmailField(label="Referrer's email address", required=False,
                                      error_messages={"invalid": "Enter an email address like name@example.org"})

    field_order = ["authority", "received_date", "received_time", "source", "reason", "referrer_name",
                   "referrer_organisation", "referrer_phone", "referrer_email", "consent", "consent_reason",
                   "consent_overridden_by"]

    def __init__(self, *args, authorities=(), managers=(), **kwargs):
        super().__init__(*args, **kwargs)
        authorities = list(authorities)
        field = self.fields["authority"]
        from haven.accounts.models import LocalAuthority

        field.queryset = LocalAuthority.objects.filter(pk__in=[a.pk for a in authorities])
        if len(authorities) == 1:
            field.initial = authorities[0].pk
            field.widget = forms.HiddenInput()
        else:
            field.widget = forms.RadioSelect(choices=field.choices)
            field.widget.attrs["class"] = "govuk-radios__input"
        self.fields["source"].widget.attrs["class"] = "govuk-select"
        self.setup_consent(managers)
        if not self.is_bound:
            self.initial.update(now_initial("received_date", "received_time"))


class NewSubjectForm(PersonForm):
    """Someone the search did not find, with the people module's own rules (names, date of
    birth or expected date of birth, sex). NHS number and the rest are added on their record."""

    confirm_new = forms.BooleanField(label="None of the people found is this person: create a new record", required=False)

    class Meta(PersonForm.Meta):
        fields = ["kind", "first_name", "last_name", "date_of_birth", "expected_date_of_birth", "sex"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("version", "nhs_number", "upn", "former_upn", "disabilities", "date_of_death"):
            self.fields.pop(name, None)
        self.fields["expected_date_of_birth"].help_text = "Only for an unborn child, instead of the date of birth"
        self.candidates = []

    def to_new_person(self):
        from .services import NewPerson

        d = self.cleaned_data
        return NewPerson(first_name=d["first_name"], last_name=d["last_name"], kind=d["kind"],
                         date_of_birth=d.get("date_of_birth"), expected_date_of_birth=d.get("expected_date_of_birth"),
                         sex=d.get("sex") or "U", confirm_new=bool(d.get("confirm_new")))


MAX_NEW_PEOPLE = 10
NewSubjectFormSet = forms.formset_factory(NewSubjectForm, extra=1, max_num=MAX_NEW_PEOPLE, validate_max=True)


class RateForm(VersionMixin, GovukForm):
    rag = forms.ChoiceField(label="RAG rating", choices=Contact.Rag.choices, widget=forms.RadioSelect)
    rag_reason = forms.CharField(label="Reason for the rating", widget=forms.Textarea(attrs={"rows": 4}))


class ConsentForm(VersionMixin, ConsentFieldsMixin, GovukForm):
    def __init__(self, *args, managers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_consent(managers)


class CheckRequestForm(DateTimeMixin, GovukForm):
    datetimes = {"requested_at": ("requested_date", "requested_time")}

    agency = forms.ChoiceField(label="Agency", choices=[(a.value, a.label) for a in CHECK_AGENCIES],
                               widget=forms.RadioSelect)
    requested_date = GovukDateField(label="Date asked", not_future=True)
    requested_time = GovukTimeField(label="Time asked")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(now_initial("requested_date", "requested_time"))


class CheckResultForm(DateTimeMixin, VersionMixin, GovukForm):
    datetimes = {"returned_at": ("returned_date", "returned_time")}

    returned_date = GovukDateField(label="Date the agency replied", not_future=True)
    returned_time = GovukTimeField(label="Time the agency replied")
    information = forms.CharField(label="What the agency shared", widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text="Or that it holds no information about the family")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(now_initial("returned_date", "returned_time"))


class DecisionForm(DateTimeMixin, VersionMixin, GovukForm):
    datetimes = {"decided_at": ("decision_date", "decision_time")}

    decision = forms.ChoiceField(label="Decision", choices=Contact.Decision.choices, widget=forms.RadioSelect)
    decision_reason = forms.CharField(label="Reasons for the decision", widget=forms.Textarea(attrs={"rows": 6}))
    primary_need = forms.ChoiceField(
        label="Primary need", required=False, initial=PrimaryNeed.N0, choices=PrimaryNeed.choices,
        help_text="Only for a referral or a strategy discussion: each child's referral starts with it. "
                  "Use N0 'Not stated' until the need is known")
    decision_date = GovukDateField(label="Date of the decision", not_future=True)
    decision_time = GovukTimeField(label="Time of the decision")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["primary_need"].widget.attrs["class"] = "govuk-select"
        if not self.is_bound:
            self.initial.update(now_initial("decision_date", "decision_time"))


class FeedbackForm(DateTimeMixin, VersionMixin, GovukForm):
    datetimes = {"given_at": ("given_date", "given_time")}

    feedback = forms.CharField(label="What the referrer was told", widget=forms.Textarea(attrs={"rows": 5}))
    given_date = GovukDateField(label="Date the referrer was told", not_future=True)
    given_time = GovukTimeField(label="Time the referrer was told")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(now_initial("given_date", "given_time"))


NOT_RATED = "none"


class QueueFilterForm(GovukForm):
    authority = forms.ChoiceField(label="Local authority", required=False)
    rag = forms.ChoiceField(label="RAG rating", required=False,
                            choices=[("", "Any rating"), *Contact.Rag.choices, (NOT_RATED, "Not yet rated")])

    def __init__(self, *args, authorities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].choices = [("", "All your authorities"), *((str(a.pk), a.name) for a in authorities)]
        for name in ("authority", "rag"):
            self.fields[name].widget.attrs["class"] = "govuk-select"

    def filter(self, qs):
        data = self.cleaned_data
        if data.get("authority"):
            qs = qs.filter(authority_id=int(data["authority"]))
        if data.get("rag") == NOT_RATED:
            qs = qs.filter(rag="")
        elif data.get("rag"):
            qs = qs.filter(rag=data["rag"])
        return qs


class ErrorSummary:
    """Several forms' errors (and the people picker's) in one GOV.UK error summary."""

    is_bound = True

    def __init__(self, *forms, extra=()):
        self.forms = [f for f in forms if f is not None]
        self.extra = list(extra)

    def error_summary(self) -> list[tuple[str, str]]:
        items = []
        for form in self.forms:
            if form.is_bound:
                items.extend(form.error_summary())
        return items + self.extra

    def __bool__(self) -> bool:
        return bool(self.error_summary())
