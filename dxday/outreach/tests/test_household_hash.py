"""Household references are an HMAC-SHA256 under HOUSEHOLD_SALT, which is not SECRET_KEY.

Issue 9 §3: the reference was a plain SHA-256 of "salt:ref", and the salt fell back to
SECRET_KEY, so rotating the key changed every stored household hash.
"""

from __future__ import annotations

import hashlib
import hmac

import pytest

from dxday.outreach import services
from dxday.outreach.models import GuidanceSession

from .helpers import session

pytestmark = pytest.mark.django_db


def _stored(team, ref: str) -> str:
    services.sessions_ingest(actor=team.deputy_actor, sessions=[session(household_ref=ref)])
    return GuidanceSession.objects.order_by("-pk").values_list("household_hash", flat=True)[0]


def test_household_hash_is_hmac_sha256_under_the_household_salt(team, settings):
    settings.DXDAY = {**settings.DXDAY, "HOUSEHOLD_SALT": "khoa-ho-gia-dinh"}
    expected = hmac.new(b"khoa-ho-gia-dinh", "số 12 ngõ 3".encode(), hashlib.sha256).hexdigest()
    assert _stored(team, "  Số 12 ngõ 3 ") == expected


def test_rotating_secret_key_keeps_household_hashes(team, settings):
    settings.DXDAY = {**settings.DXDAY, "HOUSEHOLD_SALT": "khoa-ho-gia-dinh"}
    before = _stored(team, "Số 12 ngõ 3")
    settings.SECRET_KEY = "a-completely-different-secret-key-after-rotation-0123456789"
    assert _stored(team, "Số 12 ngõ 3") == before
