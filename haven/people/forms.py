from __future__ import annotations

import re

from django import forms

from haven.core.codes import Disability
from haven.core.forms import (
    GovukDateField,
    GovukForm,
    GovukModelForm,
    VersionedModelForm,
    govuk_formfield,
)
from haven.core.validators import (
    is_valid_nhs_number,
    is_valid_upn,
    normalise_nhs_number,
    normalise_upn,
)

from .models import (
    Address,
    Allocation,
    Household,
    HouseholdMember,
    Person,
    PersonAlias,
    PersonFlag,
    Relationship,
)

POSTCODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


def clean_postcode(value: str) -> str:
    value = re.sub(r"\s+", "", (value or "").upper())
    if not value:
        return ""
    if not POSTCODE_RE.match(value):
        raise forms.ValidationError("Enter a real postcode, like SW1A 2AA")
    return f"{value[:-3]} {value[-3:]}"


class PersonForm(VersionedModelForm):
    # Wider than the stored values so that "999 000 0107" can be typed; cleaned to the stored form.
    nhs_number = forms.CharField(label="NHS number", required=False, max_length=14,
                                 help_text="10 digits, for example 999 000 0107")
    upn = forms.CharField(label="Unique pupil number (UPN)", required=False, max_length=16,
                          help_text="13 characters: a check letter then 12 digits, or UN1 to UN7 if not known")
    former_upn = forms.CharField(label="Former UPN", required=False, max_length=16)
    disabilities = forms.MultipleChoiceField(
        label="Disabilities", required=False, choices=Disability.choices,
        widget=forms.CheckboxSelectMultiple, help_text="Select all that apply (DfE codes)",
    )

    class Meta:
        model = Person
        fields = [
            "kind", "first_name", "middle_names", "last_name", "preferred_name", "date_of_birth",
            "expected_date_of_birth", "sex", "gender_identity", "ethnicity", "first_language",
            "interpreter_needed", "religion", "nhs_number", "upn", "former_upn", "date_of_death",
        ]
        labels = {"kind": "Child or adult", "nhs_number": "NHS number", "upn": "Unique pupil number (UPN)",
                  "former_upn": "Former UPN", "sex": "Sex"}
        help_texts = {
            "nhs_number": "10 digits, for example 999 000 0107",
            "upn": "13 characters: a check letter then 12 digits, or UN1 to UN7 if not known",
            "gender_identity": "Only if the person has told you",
        }
        formfield_callback = govuk_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"] = GovukDateField(label="Date of birth", required=False, not_future=True)
        self.fields["expected_date_of_birth"] = GovukDateField(
            label="Expected date of birth", required=False, help_text="Only for an unborn child")
        self.fields["date_of_death"] = GovukDateField(label="Date of death", required=False, not_future=True)
        if self.instance.pk and not self.is_bound:
            self.initial["disabilities"] = list(self.instance.disabilities.values_list("code", flat=True))

    def clean_nhs_number(self):
        value = normalise_nhs_number(self.cleaned_data.get("nhs_number", ""))
        if value and not is_valid_nhs_number(value):
            raise forms.ValidationError("Enter a valid NHS number: 10 digits, the last one a check digit")
        if value:
            clash = Person.objects.filter(nhs_number=value).exclude(pk=self.instance.pk).first()
            if clash:
                raise forms.ValidationError(
                    "Another record already has this NHS number: search by NHS number to open it")
        return value

    def clean_upn(self):
        value = normalise_upn(self.cleaned_data.get("upn", ""))
        if value and not is_valid_upn(value):
            raise forms.ValidationError("Enter a valid UPN: the check letter does not match the 12 characters after it")
        return value

    def clean_former_upn(self):
        value = normalise_upn(self.cleaned_data.get("former_upn", ""))
        if value and not is_valid_upn(value, allow_unknown=False):
            raise forms.ValidationError("Enter a valid former UPN")
        return value

    def clean_disabilities(self):
        codes = self.cleaned_data.get("disabilities") or []
        if "NONE" in codes and len(codes) > 1:
            raise forms.ValidationError("Select 'No disability' or the disabilities, not both")
        return codes

    def clean(self):
        data = super().clean()
        dob, edob, dod = data.get("date_of_birth"), data.get("expected_date_of_birth"), data.get("date_of_death")
        if dob and edob:
            self.add_error("expected_date_of_birth", "Enter a date of birth or an expected date of birth, not both")
        if data.get("kind") == Person.Kind.CHILD and not dob and not edob and "date_of_birth" not in self.errors:
            self.add_error("date_of_birth", "Enter the child's date of birth, or an expected date of birth if the child is unborn")
        if dob and dod and dod < dob:
            self.add_error("date_of_death", "Date of death must be the same as or after the date of birth")
        if edob and dod:
            self.add_error("date_of_death", "An unborn child cannot have a date of death: record the date of birth first")
        return data

    def save_disabilities(self, person: Person, actor) -> None:
        from .models import PersonDisability

        wanted = set(self.cleaned_data.get("disabilities") or [])
        existing = {d.code: d for d in person.disabilities.all()}
        for code, row in existing.items():
            if code not in wanted:
                row.delete()
        for code in sorted(wanted - existing.keys()):
            PersonDisability.objects.create(person=person, code=code, authority=person.authority,
                                            created_by=actor, updated_by=actor)


class NewPersonForm(PersonForm):
    """Create a person with their current address in one step (one transaction)."""

    authority = forms.ModelChoiceField(queryset=None, label="Local authority", empty_label=None)
    line_1 = forms.CharField(label="Address line 1", required=False, max_length=120)
    line_2 = forms.CharField(label="Address line 2", required=False, max_length=120)
    town = forms.CharField(label="Town or city", required=False, max_length=80)
    postcode = forms.CharField(label="Postcode", required=False, max_length=8)
    address_from = GovukDateField(label="Living there since", required=False, not_future=True)
    confirm_new = forms.BooleanField(
        label="None of these is the person: create a new record", required=False)

    def __init__(self, *args, authorities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities
        if len(authorities) == 1:
            self.fields["authority"].initial = authorities[0].pk
            self.fields["authority"].widget = forms.HiddenInput()
        else:
            self.fields["authority"].widget = forms.RadioSelect(choices=self.fields["authority"].choices)
            self.fields["authority"].widget.attrs["class"] = "govuk-radios__input"
        self.fields["postcode"].widget.attrs["class"] = "govuk-input govuk-input--width-10"
        del self.fields["version"]
        self.candidates = []

    def clean_postcode(self):
        return clean_postcode(self.cleaned_data.get("postcode", ""))

    def clean(self):
        data = super().clean()
        if data.get("line_1") and not data.get("postcode"):
            self.add_error("postcode", "Enter the postcode of the address")
        if data.get("postcode") and not data.get("line_1"):
            self.add_error("line_1", "Enter address line 1")
        return data


class AliasForm(GovukModelForm):
    class Meta:
        model = PersonAlias
        fields = ["kind", "first_name", "last_name"]
        labels = {"kind": "Type of name"}
        formfield_callback = govuk_formfield

    def clean(self):
        data = super().clean()
        if not data.get("first_name") and not data.get("last_name"):
            raise forms.ValidationError("Enter a first name or a last name")
        return data


class DatedFormMixin:
    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be the same as or after the start date")
        return data


class AddressForm(DatedFormMixin, VersionedModelForm):
    class Meta:
        model = Address
        fields = ["line_1", "line_2", "town", "postcode", "start_date", "end_date"]
        formfield_callback = govuk_formfield

    def clean_postcode(self):
        value = clean_postcode(self.cleaned_data.get("postcode", ""))
        if not value:
            raise forms.ValidationError("Enter the postcode")
        return value


class RelationshipForm(DatedFormMixin, VersionedModelForm):
    other = forms.ModelChoiceField(queryset=Person.objects.none(), label="Related person",
                                   help_text="Search for the person first; choose from the people found")

    class Meta:
        model = Relationship
        fields = ["type", "other", "parental_responsibility", "start_date", "end_date", "notes"]
        labels = {"type": "This person is the…", "parental_responsibility": "Has parental responsibility"}
        formfield_callback = govuk_formfield

    def __init__(self, *args, person=None, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["type"].widget = forms.Select(choices=self.fields["type"].choices)
        self.fields["type"].widget.attrs["class"] = "govuk-select"
        if candidates is not None:
            self.fields["other"].queryset = candidates
            self.fields["other"].label_from_instance = lambda p: (
                f"{p.full_name} ({p.local_id}{', born ' + p.date_of_birth.strftime('%d/%m/%Y') if p.date_of_birth else ''})")
        if self.instance.pk:
            del self.fields["other"]

    def clean(self):
        data = super().clean()
        other = data.get("other")
        if other is not None and self.person is not None:
            if other.pk == self.person.pk:
                self.add_error("other", "A person cannot be related to themselves")
            elif Relationship.objects.filter(person=self.person, other=other, type=data.get("type")).exists():
                self.add_error("other", "This relationship is already recorded")
        return data


class HouseholdForm(VersionedModelForm):
    class Meta:
        model = Household
        fields = ["name", "address", "postcode"]
        formfield_callback = govuk_formfield

    def clean_postcode(self):
        return clean_postcode(self.cleaned_data.get("postcode", ""))


class HouseholdMemberForm(DatedFormMixin, GovukModelForm):
    class Meta:
        model = HouseholdMember
        fields = ["person", "start_date", "end_date"]
        formfield_callback = govuk_formfield

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()


class FlagForm(GovukModelForm):
    class Meta:
        model = PersonFlag
        fields = ["kind", "note", "start_date", "end_date"]
        labels = {"kind": "Flag"}
        formfield_callback = govuk_formfield


class AllocationForm(GovukModelForm):
    class Meta:
        model = Allocation
        fields = ["role", "team", "worker", "start_date"]
        formfield_callback = govuk_formfield

    def __init__(self, *args, teams=None, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].widget = forms.Select(choices=self.fields["role"].choices)
        self.fields["role"].widget.attrs["class"] = "govuk-select"
        self.fields["team"].queryset = teams
        self.fields["worker"].queryset = workers
        self.fields["worker"].required = False


class RestrictForm(GovukForm):
    restricted = forms.BooleanField(label="Restrict this record", required=False)
    restricted_reason = forms.CharField(label="Reason", required=False, max_length=200)

    def clean(self):
        data = super().clean()
        if data.get("restricted") and not data.get("restricted_reason"):
            self.add_error("restricted_reason", "Enter why the record is restricted")
        return data


class GrantForm(GovukForm):
    user = forms.ModelChoiceField(queryset=None, label="Who may open this record")
    reason = forms.CharField(label="Reason", widget=forms.Textarea)

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users


class BreakGlassForm(GovukForm):
    reason = forms.CharField(
        label="Why do you need to open this record now?", widget=forms.Textarea, min_length=10,
        help_text="Your reason, your name and the time are recorded and reported to managers",
        error_messages={"min_length": "Give a fuller reason: at least 10 characters",
                        "required": "Enter why you need to open this record now"},
    )


class SearchForm(GovukForm):
    name = forms.CharField(label="Name", required=False, max_length=100,
                           help_text="Part of a first name, last name or alias")
    date_of_birth = GovukDateField(label="Date of birth", required=False)
    nhs_number = forms.CharField(label="NHS number", required=False, max_length=12)
    local_id = forms.CharField(label="Local ID", required=False, max_length=20)

    def clean_nhs_number(self):
        value = normalise_nhs_number(self.cleaned_data.get("nhs_number", ""))
        if value and not re.fullmatch(r"\d{10}", value):
            raise forms.ValidationError("NHS number must be 10 digits")
        return value

    def has_criteria(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.get(f) for f in ("name", "date_of_birth", "nhs_number", "local_id"))
