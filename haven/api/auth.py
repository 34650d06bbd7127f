"""API authentication and capability checks, run by django-ninja *before* the body is parsed.

Every endpoint names its capability: ``@router.get("/", auth=Capability("people.view"))``.
No session, or no second factor: 401. Signed in without the capability: 403.
"""

from django.core.exceptions import PermissionDenied
from ninja.security import SessionAuth


class Capability(SessionAuth):
    def __init__(self, capability: str):
        super().__init__()
        self.capability = capability

    def authenticate(self, request, key):
        user = request.user
        if not user.is_authenticated or not user.is_verified():
            return None
        if not user.has_capability(self.capability):
            raise PermissionDenied(f"You need the '{self.capability}' capability")
        return user
