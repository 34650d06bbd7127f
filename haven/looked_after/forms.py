"""Forms for periods of care, placements, legal status, ending, correcting an episode and
providers. The services decide what is impossible; the forms only collect answers and, when
the services report SSDA903 warnings, show them with the "I have checked these warnings and
want to save" box (which counts only for the warnings it was shown with)."""

from __future__ import annotations

from django import forms

from haven.core.codes.looked_after import (
    CategoryOfNeed,
    LegalStatus,
    PlacementProvider,
    PlacementType,
    ReasonEpisodeCeased,
    ReasonPlaceChange,
)
from haven.core.forms import (
    GovukDateField,
    GovukForm,
    GovukModelForm,
    VersionedModelForm,
    govuk_formfield,
)

from .models import Episode, Provider

ACK_LABEL = "I have checked these warnings and want to save"


def _choices(codes, blank: str):
    return [("", blank), *[(v, f"{v}: {label}") for v, label in codes.choices]]


class WarningsForm:
    """The acknowledgement box: hidden until the service reports warnings."""

    def add_ack_fields(self):
        self.fields["acknowledge_warnings"] = forms.BooleanField(required=False, widget=forms.HiddenInput,
                                                                 label=ACK_LABEL)
        self.fields["warning_codes"] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.findings = []

    def acknowledged(self) -> set[str] | bool:
        data = self.cleaned_data
        if data.get("acknowledge_warnings") and data.get("warning_codes"):
            return set(data["warning_codes"].split(","))
        return False

    def show_warnings(self, findings) -> None:
        self.findings = findings
        field = self.fields["acknowledge_warnings"]
        field.widget = forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"})
        field.help_text = "Saving records that you checked them, with your name and the time, on the episode"
        self._bound_fields_cache.pop("acknowledge_warnings", None)
        data = self.data.copy()
        data[self.add_prefix("warning_codes")] = ",".join(sorted({f.code for f in findings}))
        data.pop(self.add_prefix("acknowledge_warnings"), None)
        self.data = data
        for f in findings:
            self.add_error("acknowledge_warnings", f"{f} ({f.item})")


class PlacementFields(forms.Form):
    place = forms.ChoiceField(label="Placement type (PLACE)", choices=_choices(PlacementType, "Select"))
    provider = forms.ModelChoiceField(label="Provider", queryset=Provider.objects.filter(active=True), required=False,
                                      empty_label="Not a registered provider",
                                      help_text="Its Ofsted URN and latest rating are copied to the placement")
    provider_code = forms.ChoiceField(label="Placement provider (PLACE_PROVIDER)", required=False,
                                      choices=_choices(PlacementProvider, "The provider's type"),
                                      help_text="Leave blank to use the provider's type. Not needed for "
                                                "temporary placements (T0 to T4) or Z1")
    carer = forms.CharField(label="Carer or setting", required=False, max_length=200)
    address = forms.CharField(label="Placement address", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    postcode = forms.CharField(label="Placement postcode", required=False, max_length=8,
                               help_text="Distance from home and in or out of the authority are worked out from it")
    temporary_approval = forms.BooleanField(label="Temporary approval of a connected person (regulation 24)",
                                            required=False, help_text="The child is visited weekly until approved")


class StartPeriodForm(WarningsForm, GovukForm):
    start_date = GovukDateField(label="Date started to be looked after", not_future=True, required=True)
    legal_status = forms.ChoiceField(label="Legal status (LS)", choices=_choices(LegalStatus, "Select"))
    category_of_need = forms.ChoiceField(label="Category of need (CIN)", choices=_choices(CategoryOfNeed, "Select"))
    home_postcode = forms.CharField(label="Home postcode", required=False, max_length=8,
                                    help_text="Where the child lived when they started to be looked after")
    uasc = forms.BooleanField(label="Unaccompanied asylum-seeking child", required=False,
                              help_text="The distance from home is left blank (SSDA903 rule 406)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from haven.core.forms import _style_widget

        placement = PlacementFields()
        for name, field in placement.fields.items():
            _style_widget(name, field)
        fields = dict(self.fields)
        self.fields.clear()
        for name in ("start_date", "legal_status", "category_of_need"):
            self.fields[name] = fields.pop(name)
        self.fields.update(placement.fields)
        self.fields.update(fields)
        self.add_ack_fields()


class ChangePlacementForm(WarningsForm, GovukForm):
    date = GovukDateField(label="Date of the move", not_future=True, required=True)
    reason_for_change = forms.ChoiceField(label="Reason for the placement change (REASON_PLACE_CHANGE)",
                                          required=False, choices=_choices(ReasonPlaceChange, "Select"),
                                          help_text="Not needed for a temporary placement (T0 to T4)")
    same_carer = forms.BooleanField(label="The child stays with the same carer(s)", required=False,
                                    help_text="For example a foster placement becoming long-term (RNE B, or U "
                                              "with a new legal status)")
    legal_status = forms.ChoiceField(label="New legal status, if it changes on the same day", required=False,
                                     choices=_choices(LegalStatus, "No change"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from haven.core.forms import _style_widget

        placement = PlacementFields()
        for name, field in placement.fields.items():
            _style_widget(name, field)
        fields = dict(self.fields)
        self.fields.clear()
        self.fields["date"] = fields.pop("date")
        self.fields.update(placement.fields)
        self.fields.update(fields)
        self.add_ack_fields()


class LegalStatusForm(WarningsForm, GovukForm):
    date = GovukDateField(label="Date the legal status changed", not_future=True, required=True)
    legal_status = forms.ChoiceField(label="New legal status (LS)", choices=_choices(LegalStatus, "Select"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_ack_fields()


class EndPeriodForm(WarningsForm, GovukForm):
    date = GovukDateField(label="Date ceased to be looked after", not_future=True, required=True)
    reason = forms.ChoiceField(label="Reason ceased (REC)", choices=[
        c for c in _choices(ReasonEpisodeCeased, "Select") if c[0] != "X1"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_ack_fields()


class EpisodeCorrectForm(WarningsForm, VersionedModelForm):
    class Meta:
        model = Episode
        fields = ["start_date", "reason_new", "legal_status", "category_of_need", "end_date", "end_reason"]
        formfield_callback = govuk_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_ack_fields()

    def _post_clean(self):
        # The service applies the changes (with its checks): the instance stays as stored.
        pass


class ProviderForm(GovukModelForm):
    class Meta:
        model = Provider
        fields = ["name", "urn", "provider_code", "ofsted_rating", "rating_date", "postcode", "active"]
        formfield_callback = govuk_formfield
        labels = {"provider_code": "Provider type (PLACE_PROVIDER)", "ofsted_rating": "Latest Ofsted rating"}

    def clean(self):
        from . import postcodes, services

        data = super().clean()
        urn = (data.get("urn") or "").strip().upper()
        data["urn"] = urn
        if data.get("postcode"):
            data["postcode"] = postcodes.normalise(data["postcode"])
        for field, message in services.provider_problems(
                name=data.get("name") or "-", urn=urn, provider_code=data.get("provider_code") or "PR1",
                postcode=data.get("postcode", ""), rating_date=data.get("rating_date")):
            if field not in self.errors:
                self.add_error(field, message)
        return data
