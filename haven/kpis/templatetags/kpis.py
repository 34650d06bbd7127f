"""Formatting KPI figures: ``{{ figure|kpi_value:kpi }}`` and ``{% rag_tag rag %}``."""

from __future__ import annotations

import datetime as dt
import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

RAG = {"green": ("green", "On target"), "amber": ("yellow", "Near target"), "red": ("red", "Off target")}


def number(value, kind: str, unit: str = "") -> str:
    if value is None:
        return "No figure"
    if kind == "percent":
        return f"{value:.1f}%"
    if kind == "count":
        return f"{value:,.0f}"
    if kind == "per_10k":
        return f"{value:,.1f}"
    return f"{value:,.1f} {unit}".strip() if abs(value) < 100 else f"{value:,.0f} {unit}".strip()


@register.filter
def kpi_value(value, kpi):
    """A value in the KPI's unit (``value`` a number, or a Figure)."""
    if value is not None and hasattr(value, "value"):
        value = value.value
    return number(value, kpi.kind, kpi.unit)


@register.filter
def kpi_count(value):
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


@register.simple_tag
def rag_tag(rag):
    if rag not in RAG:
        return mark_safe('<strong class="govuk-tag govuk-tag--grey">No target</strong>')
    colour, label = RAG[rag]
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, label)


@register.simple_tag
def direction_text(direction):
    text = {"better": "Better than last month", "worse": "Worse than last month", "same": "No change",
            "up": "Up on last month", "down": "Down on last month"}.get(direction, "")
    return text


@register.filter
def chart_spec(spec):
    """A chart's spec as JSON for a ``<script type="application/json">`` element."""
    return mark_safe(json.dumps(spec, default=str).replace("</", "<\\/"))


@register.filter
def why_value(value):
    """A field that explains a row: dates as 3 Jun 2025, times as 3 Jun 2025 14:05, yes/no."""
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{value:%-d %b %Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%-d %b %Y}"
    return value
