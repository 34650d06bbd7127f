"""/api/v1: the JSON API (django-ninja, OpenAPI 3 at /api/v1/openapi.json).

Authentication is the signed-in, MFA-verified session (the same deny-by-default middleware as
the pages); every endpoint checks a capability and applies the same scope as the pages.
"""

from django.core.exceptions import PermissionDenied
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from haven.assessments.api import router as assessments_router
from haven.care_leavers.api import router as care_leavers_router
from haven.care_planning.api import router as care_planning_router
from haven.education.api import router as education_router
from haven.front_door.api import router as front_door_router
from haven.health.api import router as health_router
from haven.looked_after.api import router as looked_after_router
from haven.missing.api import router as missing_router
from haven.people.api import router as people_router
from haven.permanence.api import router as permanence_router
from haven.plans.api import router as plans_router
from haven.protection.api import router as protection_router
from haven.recording.api import router as recording_router
from haven.work.api import router as work_router

api = NinjaAPI(
    title="Haven API", version="1", urls_namespace="api",
    description="Haven's case records. Every call is permission-checked and scoped; every read of a "
                "person's record is written to the access log.",
)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Permission denied"}, status=403)


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc):
    return api.create_response(request, {"detail": "Invalid input", "errors": exc.errors}, status=422)


api.add_router("/people", people_router)
api.add_router("/contacts", front_door_router)
api.add_router("/referrals", assessments_router)
api.add_router("/protection", protection_router)
api.add_router("/plans", plans_router)
api.add_router("/recordings", recording_router)
api.add_router("/work", work_router)
api.add_router("/looked-after", looked_after_router)
api.add_router("/care-planning", care_planning_router)
api.add_router("/health", health_router)
api.add_router("/education", education_router)
api.add_router("/missing", missing_router)
api.add_router("/permanence", permanence_router)
api.add_router("/care-leavers", care_leavers_router)
