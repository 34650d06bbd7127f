"""/api/v1 endpoints for permanence."""

from ninja import Router

router = Router(tags=["permanence"])
