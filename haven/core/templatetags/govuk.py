"""Template helpers for GOV.UK components. Loaded as a builtin (settings.TEMPLATES)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag
def govuk_widget(field):
    """Render a bound field's widget with its error class and aria-describedby."""
    attrs = {}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
        css = field.field.widget.attrs.get("class", "")
        error_class = {"govuk-select": "govuk-select--error", "govuk-textarea": "govuk-textarea--error"}
        base = css.split()[0] if css else ""
        if field.widget_type == "govukdate":
            attrs["has_error"] = True
        elif base.startswith("govuk-input"):
            attrs["class"] = f"{css} govuk-input--error"
        elif base in error_class:
            attrs["class"] = f"{css} {error_class[base]}"
    if described and field.widget_type not in ("govukdate",):
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.simple_tag
def govuk_error_summary(*forms):
    items = []
    for form in forms:
        if form is not None and hasattr(form, "error_summary") and form.is_bound:
            items.extend(form.error_summary())
    return render_to_string("govuk/error_summary.html", {"items": items})


@register.filter
def govuk_date(value):
    """27 March 2019 (GOV.UK style); blank for None."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{value.day} {value:%B %Y, %H:%M}"
    return f"{value.day} {value:%B %Y}"


@register.filter
def govuk_short_date(value):
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{value:%d/%m/%Y %H:%M}"
    return f"{value:%d/%m/%Y}"


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (for pagination and filters)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(params, doseq=True) if params else "?"


@register.filter
def miles(value) -> str:
    """A distance from home, as a placement page says it: "12.4 miles"; distances come from
    postcode-district centroids, so under a mile is said as such rather than "0.0 miles"."""
    if value is None or value == "":
        return ""
    if float(value) < 1:
        return "under a mile"
    return f"{value} miles"
