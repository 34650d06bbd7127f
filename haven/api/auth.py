from django.core.exceptions import PermissionDenied


def require(request, capability: str) -> None:
    """API endpoints call this first: 403 without the capability (401 is the middleware's)."""
    if not request.user.has_capability(capability):
        raise PermissionDenied(f"You need the '{capability}' capability")
