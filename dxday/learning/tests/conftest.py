"""Fixtures of the learning festival: a 2025 campaign, offerings, a check-in staff token."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from dxday.orgs.auth import token_generate
from dxday.orgs.models import ApiToken, Role
from dxday.orgs.tests.factories import actor_of, make_member
from dxday.plans.models import Campaign

from .. import services
from ..models import Offering
from ..tickets import ticket_payload

VN = dt.timezone(dt.timedelta(hours=7))


def at(day: int, hour: int, month: int = 10, year: int = 2025) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=VN)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit windows live in Redis when REDIS_URL is set; frozen time would share them
    between tests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def campaign(db):
    return Campaign.objects.create(year=2025, theme="Chuyển đổi số toàn dân, toàn diện")


@pytest.fixture
def organiser(tree, people):
    """The reporter of Hạc Thành (learning.manage at the commune)."""
    return actor_of(people.th_c1_reporter)


def make_offering(actor, campaign, org, **fields) -> Offering:
    data = {
        "kind": Offering.Kind.CLASS, "format": Offering.Format.IN_PERSON,
        "title": "Lớp học số: dùng VNeID", "commune": org.commune,
        "address": "Nhà văn hóa phường", "starts_at": at(10, 8), "ends_at": at(10, 11),
        "capacity": 5, "topics": ["vneid", "dich-vu-cong"],
    }  # fmt: skip
    data.update(fields)
    return services.offering_create(actor=actor, campaign=campaign, organiser=org, **data)


@pytest.fixture
def offering(organiser, campaign, tree, time_before):
    return make_offering(organiser, campaign, tree.th_c1)


@pytest.fixture
def time_before():
    """Freeze time on 1/10/2025, before the festival (registration open)."""
    import time_machine

    with time_machine.travel(at(1, 9), tick=True):
        yield


def token_for(user) -> str:
    raw, key_hash = token_generate()
    ApiToken.objects.create(user=user, key_hash=key_hash, prefix=raw[:8])
    return raw


@pytest.fixture
def staff(tree):
    user = make_member(tree.th_c1, Role.CHECKIN_STAFF, "diemdanh_hacthanh")
    return user


@pytest.fixture
def staff_token(staff) -> str:
    return token_for(staff)


def scan(reg, **extra) -> dict:
    data = {
        "nonce": str(uuid.uuid4()), "offering": reg.offering_id,
        "ticket": ticket_payload(reg.offering_id, reg.pk),
        "scanned_at": timezone.now().isoformat(), "device": "may-1",
    }  # fmt: skip
    data.update(extra)
    return data


def walk_in(offering, n=1, **extra) -> dict:
    data = {
        "nonce": str(uuid.uuid4()), "offering": offering.pk, "walk_ins": n,
        "scanned_at": timezone.now().isoformat(),
    }  # fmt: skip
    data.update(extra)
    return data
