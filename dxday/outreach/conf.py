"""Tunables of the door-to-door campaign, read from settings.DXDAY (or the environment)."""

from __future__ import annotations

import os

from django.conf import settings

# Sessions in one POST /sessions/batch. Documented in the API description; beyond it: 413.
MAX_BATCH = 500


def _conf(name: str, default):
    return getattr(settings, "DXDAY", {}).get(name, default)


def incremental_rollups() -> bool:
    """Keep roll-ups current in the ingest transaction (on by default).

    Off only to measure ingest without it (bench), or to bulk-load and then rebuild:
    settings.DXDAY["OUTREACH_INCREMENTAL_ROLLUPS"] = False or DXDAY_OUTREACH_ROLLUPS=off.
    """
    env = os.environ.get("DXDAY_OUTREACH_ROLLUPS", "").lower()
    if env in {"off", "0", "false", "no"}:
        return False
    return bool(_conf("OUTREACH_INCREMENTAL_ROLLUPS", True))


def rate_limit() -> tuple[int, int]:
    """(requests, seconds) allowed per token on the ingest endpoints."""
    raw = os.environ.get("DXDAY_OUTREACH_RATE") or _conf("OUTREACH_RATE", "120/60")
    requests, seconds = str(raw).split("/")
    return int(requests), int(seconds)


def household_salt() -> str:
    """The HMAC key for household references: its own secret, never SECRET_KEY, so rotating
    SECRET_KEY leaves stored household hashes unchanged."""
    return str(_conf("HOUSEHOLD_SALT", "") or settings.HOUSEHOLD_SALT)
