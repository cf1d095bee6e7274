"""/api/v1/contest."""

from ninja import Router

router = Router(tags=["contest"])
