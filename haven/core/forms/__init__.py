"""GOV.UK form fields: every Haven form renders Design System components and an error summary
without page templates mapping fields by hand.

- ``GovukForm`` / ``GovukModelForm``: set component classes on widgets; dates become three-box
  GOV.UK date inputs (``GovukDateField``), with GOV.UK error messages.
- ``VersionedModelForm``: carries the version an edit started from (stale saves are refused).
- In a template: ``{% govuk_error_summary form %}`` then ``{{ form }}``.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

WIDTHS = {"postcode": "govuk-input--width-10", "nhs_number": "govuk-input--width-10",
          "upn": "govuk-input--width-20", "former_upn": "govuk-input--width-20"}


class GovukDateWidget(forms.MultiWidget):
    template_name = "govuk/widgets/date.html"

    def __init__(self, attrs=None):
        def box(width, name):
            return forms.TextInput(attrs={
                "class": f"govuk-input govuk-date-input__input govuk-input--width-{width}",
                "inputmode": "numeric", "data-part": name,
            })
        super().__init__([box(2, "day"), box(2, "month"), box(4, "year")], attrs)

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for sub, label in zip(context["widget"]["subwidgets"], ("Day", "Month", "Year"), strict=True):
            sub["part_label"] = label
        return context


class GovukDateField(forms.MultiValueField):
    """A GOV.UK date input. ``past=True`` refuses future dates, ``future=True`` past ones."""

    widget = GovukDateWidget

    def __init__(self, *, past: bool = False, not_future: bool = False, future: bool = False,
                 min_year: int = 1900, **kwargs):
        self.past, self.not_future, self.future, self.min_year = past, not_future, future, min_year
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        kwargs.pop("max_length", None)
        super().__init__(fields, require_all_fields=False, **kwargs)
        for f in self.fields:
            f.required = False

    def _name(self) -> str:
        return (self.label or "Date").capitalize()

    def compress(self, data_list):
        if not data_list or not any(v not in (None, "") for v in data_list):
            return None
        day, month, year = ((v or "").strip() for v in data_list)
        missing = [n for n, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise ValidationError(f"{self._name()} must include a {' and a '.join(missing)}", code="incomplete")
        try:
            value = dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{self._name()} must be a real date", code="invalid") from None
        if len(year) != 4 or value.year < self.min_year:
            raise ValidationError(f"{self._name()} must include a year of 4 numbers, after {self.min_year}", code="year")
        today = timezone.localdate()
        if self.past and value >= today:
            raise ValidationError(f"{self._name()} must be in the past", code="future")
        if self.not_future and value > today:
            raise ValidationError(f"{self._name()} must be today or in the past", code="future")
        if self.future and value < today:
            raise ValidationError(f"{self._name()} must be today or in the future", code="past")
        return value

    def clean(self, value):
        if self.required and not any(v not in (None, "") for v in (value or [])):
            raise ValidationError(f"Enter {self.label.lower() if self.label else 'a date'}", code="required")
        return super().clean(value)


def _style_widget(name: str, field: forms.Field) -> None:
    w = field.widget
    if isinstance(w, GovukDateWidget) or isinstance(w, forms.HiddenInput):
        return
    if isinstance(w, forms.CheckboxSelectMultiple):  # a subclass of RadioSelect: test it first
        w.attrs.setdefault("class", "govuk-checkboxes__input")
    elif isinstance(w, forms.RadioSelect):
        w.attrs.setdefault("class", "govuk-radios__input")
    elif isinstance(w, forms.CheckboxInput):
        w.attrs.setdefault("class", "govuk-checkboxes__input")
    elif isinstance(w, forms.Select):
        w.attrs.setdefault("class", "govuk-select")
    elif isinstance(w, forms.Textarea):
        w.attrs.setdefault("class", "govuk-textarea")
        w.attrs.setdefault("rows", 5)
    else:
        w.attrs.setdefault("class", f"govuk-input {WIDTHS.get(name, '')}".strip())
        w.attrs.setdefault("spellcheck", "false")


DJANGO_REQUIRED = forms.Field.default_error_messages["required"]  # replaced unless a form set its own


class GovukFormMixin:
    """Adds GOV.UK classes and the data the error summary needs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            _style_widget(name, field)
            if field.required and isinstance(field.widget, (forms.RadioSelect, forms.Select)):
                field.error_messages["required"] = f"Select {(field.label or name).lower()}"
            elif field.required and str(field.error_messages["required"]) == str(DJANGO_REQUIRED):
                field.error_messages["required"] = f"Enter {(field.label or name).lower()}"

    def error_summary(self) -> list[tuple[str, str]]:
        """[(anchor, message)] in field order; non-field errors link to the form."""
        items = [("", str(e)) for e in self.non_field_errors()]
        for bound in self:
            if bound.errors:
                anchor = bound.auto_id
                if isinstance(bound.field.widget, forms.MultiWidget):
                    anchor = f"{anchor}_0"
                elif isinstance(bound.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
                    anchor = f"{anchor}_0"
                items.extend((anchor, str(e)) for e in bound.errors)
        for name, errors in self.errors.items():
            if name != "__all__" and name not in self.fields:
                items.extend(("", str(e)) for e in errors)
        return items


def govuk_formfield(db_field: models.Field, **kwargs):
    """ModelForm field mapping: DateFields become GOV.UK date inputs; choices become radios when
    short and selects when long; booleans stay single checkboxes."""
    if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        return GovukDateField(label=db_field.verbose_name.capitalize(), required=not db_field.blank,
                              help_text=db_field.help_text, **kwargs)
    field = db_field.formfield(**kwargs)
    if field is not None and db_field.choices and not isinstance(field.widget, forms.RadioSelect):
        if len(db_field.choices) <= 6:
            field.widget = forms.RadioSelect(choices=field.widget.choices)
            if not db_field.blank and db_field.has_default():
                field.choices = [c for c in field.choices if c[0] != ""]
    return field


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


class VersionedModelForm(GovukModelForm):
    """An edit form that carries the record's version, so a stale save can be refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk:
            self.fields["version"].initial = self.instance.version
            if not self.is_bound:
                self.initial["version"] = self.instance.version
