"""/api/v1/awards."""

from ninja import Router

router = Router(tags=["awards"])
