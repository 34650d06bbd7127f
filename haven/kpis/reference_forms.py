"""Forms of the reference pages: a KPI's targets (the default and each served authority's), and
uploading a comparators CSV."""

from __future__ import annotations

from django import forms

from haven.core.forms import GovukForm, _style_widget

from .catalogue import PERCENT, Kpi
from .reference import parse_number, plain_number

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def _number_input(width: int = 5) -> forms.TextInput:
    return forms.TextInput(attrs={"class": f"govuk-input govuk-input--width-{width}", "inputmode": "decimal",
                                  "spellcheck": "false"})


class TargetsForm(GovukForm):
    """For each section (``None``: every authority without its own; then each authority the
    user serves): ``target_<key>``, ``amber_<key>`` and ``note_<key>``. An empty target clears
    that target."""

    # What the targets were when the page was opened (``reference_views.opened``): a save from a
    # page opened before someone else's save is refused, never a silent overwrite.
    opened = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, kpi: Kpi, authorities, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpi = kpi
        self.sections = []   # (key, heading, authority or None)
        unit = "%" if kpi.kind == PERCENT else kpi.unit
        for authority in [None, *authorities]:
            key = "default" if authority is None else str(authority.pk)
            heading = "Every authority (the default)" if authority is None else authority.name
            who = "every authority" if authority is None else authority.name
            existing = current.get(None if authority is None else authority.pk)
            self.fields[f"target_{key}"] = forms.CharField(
                label=f"Target for {who}", required=False, widget=_number_input(),
                help_text=(f"In {unit}. Leave empty for no target" if authority is None else
                           f"In {unit}. Leave empty to use the default"))
            self.fields[f"amber_{key}"] = forms.CharField(
                label=f"Amber tolerance for {who}", required=False, widget=_number_input(),
                help_text=f"How far the figure may miss the target and still be amber, in {unit}. Empty means 0")
            self.fields[f"note_{key}"] = forms.CharField(
                label=f"Note about the target for {who}", required=False, max_length=300,
                help_text="For example, where the target comes from")
            if existing is not None and not self.is_bound:
                self.initial[f"target_{key}"] = plain_number(existing.target)
                self.initial[f"amber_{key}"] = plain_number(existing.amber_within)
                self.initial[f"note_{key}"] = existing.note
            self.sections.append((key, heading, authority, existing))
        for name, field in self.fields.items():   # added after GovukFormMixin styled the form's fields
            _style_widget(name, field)

    def _parse(self, name: str, what: str) -> float | None:
        raw = (self.cleaned_data.get(name) or "").strip()
        if not raw:
            return None
        value = parse_number(raw)
        if value is None:
            self.add_error(name, f"{what} must be a number, like 85 or 92.5")
        return value

    def clean(self):
        data = super().clean()
        self.targets = {}   # key -> (target, amber, note) or None (no target)
        percent = self.kpi.kind == PERCENT
        for key, _heading, authority, _existing in self.sections:
            who = "every authority" if authority is None else authority.name
            target = self._parse(f"target_{key}", f"The target for {who}")
            amber = self._parse(f"amber_{key}", f"The amber tolerance for {who}")
            bad = bool(self.errors.get(f"target_{key}") or self.errors.get(f"amber_{key}"))
            if target is not None:
                if percent and not 0 <= target <= 100:
                    self.add_error(f"target_{key}", f"The target for {who} must be from 0 to 100: "
                                                    f"{self.kpi.name} is a percentage")
                    bad = True
                elif target < 0:
                    self.add_error(f"target_{key}", f"The target for {who} must be 0 or more")
                    bad = True
            if amber is not None:
                if amber < 0:
                    self.add_error(f"amber_{key}", f"The amber tolerance for {who} must be 0 or more")
                    bad = True
                elif percent and amber > 100:
                    self.add_error(f"amber_{key}", f"The amber tolerance for {who} must be 100 or less")
                    bad = True
                elif target is None and not bad:
                    self.add_error(f"target_{key}", f"Enter the target for {who}, or clear its amber tolerance")
                    bad = True
            if not bad:
                note = (data.get(f"note_{key}") or "").strip()
                self.targets[key] = None if target is None else (target, amber or 0.0, note)
        return data



class BenchmarkUploadForm(GovukForm):
    file = forms.FileField(
        label="Upload a comparators file", required=True,
        help_text="A CSV file (UTF-8) with the header row kpi,area,area_name,year,period,value,source",
        widget=forms.FileInput(attrs={"class": "govuk-file-upload", "accept": ".csv,text/csv"}),
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty",
                        "invalid": "The selected file must be a CSV file"})
    replace = forms.BooleanField(
        label="Replace every comparator held with this file", required=False,
        help_text="Comparators held that the file does not have are deleted. Without this, the file only adds "
                  "and updates")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 2MB")
        return upload
