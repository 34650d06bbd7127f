"""/api/v1 endpoints for missing."""

from ninja import Router

router = Router(tags=["missing"])
