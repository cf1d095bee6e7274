"""Shared by the plans selectors: assignment status groups and the id bound."""

from __future__ import annotations

from ..models import Assignment

S = Assignment.Status
MAX_PK = 2**63 - 1


def _pk_ok(value) -> bool:
    return isinstance(value, int) and 0 < value <= MAX_PK


OPEN = (S.NOT_STARTED, S.IN_PROGRESS)
REPORTED = (S.REPORTED, S.ACCEPTED)
