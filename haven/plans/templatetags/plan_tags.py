from django import template

from haven.plans.checks import join_missing

register = template.Library()


@register.filter
def and_list(items) -> str:
    """["an owner", "a due date"] -> "an owner and a due date"."""
    return join_missing(list(items or []))
