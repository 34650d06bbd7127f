"""Capabilities as django-rules permissions (the rules backend is in AUTHENTICATION_BACKENDS)."""

import rules

from .roles import CAPABILITIES


def has_capability(name: str):
    @rules.predicate(name=f"has_capability:{name}")
    def check(user, obj=None):
        return bool(getattr(user, "is_authenticated", False)) and user.has_capability(name)

    return check


def register_all() -> None:
    for name in CAPABILITIES:
        if not rules.perm_exists(name):
            rules.add_perm(name, has_capability(name))
