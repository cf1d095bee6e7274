"""/api/v1/certificates."""

from ninja import Router

router = Router(tags=["certificates"])
