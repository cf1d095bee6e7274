"""Helpers for outreach tests: a valid session payload, an account token."""

from __future__ import annotations

import uuid

from dxday.orgs.auth import token_generate
from dxday.orgs.models import ApiToken


def account_token(user) -> str:
    raw, key_hash = token_generate()
    ApiToken.objects.create(user=user, key_hash=key_hash, prefix=raw[:8])
    return raw


def session(**overrides) -> dict:
    data = {
        "client_id": str(uuid.uuid4()),
        "occurred_at": "2025-10-02T09:30:00+07:00",
        "households_visited": 2,
        "people_guided": 5,
        "topics": [
            {"topic": "vneid", "people_guided": 4, "outcome": 3},
            {"topic": "thanh-toan", "people_guided": 2, "outcome": 1},
        ],
        "note": "Hộ gia đình thôn Đông",
    }
    data.update(overrides)
    return data
