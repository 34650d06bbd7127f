"""/api/v1 endpoints for education."""

from ninja import Router

router = Router(tags=["education"])
