"""/api/v1 endpoints for care planning."""

from ninja import Router

router = Router(tags=["care_planning"])
