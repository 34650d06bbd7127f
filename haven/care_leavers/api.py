"""/api/v1 endpoints for care_leavers."""

from ninja import Router

router = Router(tags=["care_leavers"])
