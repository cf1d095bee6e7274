"""Tunables of the learning festival, read from settings.DXDAY (or the environment)."""

from __future__ import annotations

import os

from django.conf import settings

# Scans in one POST /checkins/batch; beyond it: 413 batch_too_large.
MAX_BATCH = 500
# Walk-ins in one entry of a batch (a counter tap adds 1; a whole group at most this).
MAX_WALK_INS = 10_000


def _conf(name: str, default):
    return getattr(settings, "DXDAY", {}).get(name, default)


def rate_limit() -> tuple[int, int]:
    """(requests, seconds) allowed per token on the check-in batch."""
    raw = os.environ.get("DXDAY_LEARNING_RATE") or _conf("LEARNING_RATE", "120/60")
    requests, seconds = str(raw).split("/")
    return int(requests), int(seconds)


def registration_rate() -> tuple[int, int]:
    """(registrations, seconds) allowed per client address on the public registration."""
    raw = os.environ.get("DXDAY_LEARNING_REGISTRATION_RATE") or _conf(
        "LEARNING_REGISTRATION_RATE", "60/60"
    )
    requests, seconds = str(raw).split("/")
    return int(requests), int(seconds)


def hold_hours() -> int:
    """How long a seat offered to the next person on the waiting list is held for them."""
    return int(_conf("LEARNING_HOLD_HOURS", 24))


def contact_retention_days() -> int:
    """Days after an offering ends before its registrants' contacts are erased."""
    return int(_conf("LEARNING_CONTACT_RETENTION_DAYS", 30))


def ticket_secret() -> bytes:
    """The master key tickets are signed under (each offering gets a key derived from it)."""
    raw = _conf("LEARNING_TICKET_SECRET", "") or f"learning-tickets:{settings.SECRET_KEY}"
    return str(raw).encode()
