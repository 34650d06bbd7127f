"""/api/v1 endpoints for looked_after."""

from ninja import Router

router = Router(tags=["looked_after"])
