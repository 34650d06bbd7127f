"""Forms of the work pages."""

from __future__ import annotations

from django import forms

from haven.core.forms import GovukForm


class ReallocateForm(GovukForm):
    worker = forms.ModelChoiceField(queryset=None, label="Who is the child moving to?", widget=forms.RadioSelect,
                                    empty_label=None, error_messages={"required": "Select who the child is moving to",
                                                                      "invalid_choice": "Select one of the workers listed"})
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, workers=None, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers
        self.fields["worker"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["worker"].error_messages["required"] = "Select who the child is moving to"
        if version is not None:
            self.fields["version"].initial = version
