"""/api/v1/identity."""

from ninja import Router

router = Router(tags=["identity"])
