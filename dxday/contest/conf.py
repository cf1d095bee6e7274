"""Knobs of the contest read from the environment (documented in docs/deployment.md)."""

from __future__ import annotations

import os

# Requests per 60 s to the attempt endpoints, per participant and per client address:
# "120/6000" by default. An autosave per answer of a 30-question round is far below the first;
# the second is a school or office behind one address (flagged past it, never silently).
_DEFAULT = "120/6000"


def rate_limits() -> tuple[int, int]:
    raw = os.environ.get("DXDAY_CONTEST_RATE", _DEFAULT)
    try:
        per_participant, per_address = (int(x) for x in raw.split("/", 1))
    except ValueError:
        per_participant, per_address = (int(x) for x in _DEFAULT.split("/"))
    return per_participant, per_address
