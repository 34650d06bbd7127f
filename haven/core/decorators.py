"""Deny by default: every view needs a signed-in, MFA-verified user unless marked here."""


def public(view):
    """Reachable without signing in (sign-in pages, health check)."""
    view.haven_public = True
    return view


def mfa_exempt(view):
    """Reachable when signed in with a password but before the second factor (MFA set-up)."""
    view.haven_mfa_exempt = True
    return view
