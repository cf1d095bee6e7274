"""Identity: one verified contact is one identity, the contact is never kept, codes expire and
are tried a bounded number of times, and requests are rate-limited per contact and place."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone

from dxday.core.errors import DomainError, RateLimited
from dxday.identity import channels
from dxday.identity.models import Challenge, Identity
from dxday.identity.selectors import identity_bursts, identity_for_token
from dxday.identity.services import (
    identity_challenge_start,
    identity_challenge_verify,
    identity_token_issue,
    identity_token_revoke,
)

pytestmark = pytest.mark.django_db(transaction=True)


def last_code() -> str:
    if channels.OUTBOX:
        return re.search(r"\b(\d{6})\b", channels.OUTBOX[-1].text).group(1)
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


@pytest.fixture(autouse=True)
def _clean_outbox():
    channels.OUTBOX.clear()
    mail.outbox.clear()


def prove(kind: str, contact: str, ip: str = "203.0.113.9") -> Identity:
    challenge = identity_challenge_start(kind=kind, contact=contact, purpose="t", client_ip=ip)
    return identity_challenge_verify(challenge_id=challenge.pk, code=last_code())


def test_email_and_phone_prove_one_identity_each_and_keep_no_contact():
    a = prove("email", " An.Nguyen@Example.VN ")
    assert mail.outbox[-1].to == ["an.nguyen@example.vn"]
    b = prove("email", "an.nguyen@example.vn")
    assert a == b and Identity.objects.count() == 1
    assert a.contact_masked == "an***@example.vn"
    c = prove("phone", "+84 912 345 678")
    d = prove("phone", "0912.345.678")
    assert c == d and c.contact_masked == "091*****78"
    assert channels.OUTBOX[-1].number == "0912345678"
    # The contact is nowhere in the database, in any table.
    with connection.cursor() as cursor:
        for table in ("identity_identity", "identity_challenge"):
            cursor.execute(f"SELECT * FROM {table}")
            dump = repr(cursor.fetchall())
            assert "an.nguyen" not in dump and "912345678" not in dump


@pytest.mark.parametrize(
    "kind,contact",
    [("email", "not-an-email"), ("phone", "12345"), ("phone", "0212345678"), ("vneid", "x")],
)
def test_bad_contacts_are_refused(kind, contact):
    with pytest.raises(DomainError) as err:
        identity_challenge_start(kind=kind, contact=contact, purpose="t")
    assert err.value.status == 422
    assert err.value.code in {"invalid_contact", "unsupported_kind"}


def test_wrong_codes_are_counted_then_refused():
    challenge = identity_challenge_start(kind="email", contact="b@example.vn", purpose="t")
    good = last_code()
    wrong = "000000" if good != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(DomainError) as err:
            identity_challenge_verify(challenge_id=challenge.pk, code=wrong)
        assert err.value.code == "wrong_code"
    assert Challenge.objects.get(pk=challenge.pk).attempts == 5
    with pytest.raises(DomainError) as err:
        identity_challenge_verify(challenge_id=challenge.pk, code=good)
    assert err.value.code == "too_many_attempts"
    assert not Identity.objects.exists()


def test_a_code_expires_and_is_used_once():
    with time_machine.travel(timezone.now(), tick=False) as clock:
        challenge = identity_challenge_start(kind="email", contact="c@example.vn", purpose="t")
        code = last_code()
        clock.shift(datetime.timedelta(minutes=11))
        with pytest.raises(DomainError) as err:
            identity_challenge_verify(challenge_id=challenge.pk, code=code)
        assert err.value.code == "challenge_expired"
    challenge = identity_challenge_start(kind="email", contact="c@example.vn", purpose="t")
    code = last_code()
    identity_challenge_verify(challenge_id=challenge.pk, code=code)
    with pytest.raises(DomainError) as err:
        identity_challenge_verify(challenge_id=challenge.pk, code=code)
    assert err.value.code == "challenge_used"


def test_requests_are_limited_per_contact():
    for _ in range(3):
        identity_challenge_start(kind="email", contact="d@example.vn", purpose="t")
    with pytest.raises(RateLimited) as err:
        identity_challenge_start(kind="email", contact="d@example.vn", purpose="t")
    assert err.value.status == 429 and err.value.retry_after >= 1


def test_tokens_find_the_identity_until_revoked():
    identity = prove("email", "e@example.vn")
    raw = identity_token_issue(identity=identity, purpose="contest")
    assert identity_for_token(raw) == identity
    assert identity_for_token(raw + "x") is None
    assert identity_for_token("") is None
    identity_token_revoke(raw=raw)
    assert identity_for_token(raw) is None


def test_bursts_of_new_identities_from_one_place_are_reported():
    since = timezone.now() - datetime.timedelta(minutes=5)
    for i in range(6):
        prove("email", f"voter{i}@example.vn", ip="198.51.100.7")
    prove("email", "alone@example.vn", ip="192.0.2.1")
    bursts = identity_bursts(since=since, min_count=5)
    assert [b["count"] for b in bursts] == [6]
    assert "198.51.100.7" not in bursts[0]["place"]


def test_api_flow_and_errors(client):
    response = client.post(
        "/api/v1/identity/challenges",
        {"kind": "phone", "contact": "0987654321"},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["sent_to"] == "098*****21"
    bad = client.post(
        f"/api/v1/identity/challenges/{body['challenge']}/verify",
        {"code": "abc"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["code"] == "wrong_code"
    ok = client.post(
        f"/api/v1/identity/challenges/{body['challenge']}/verify",
        {"code": last_code()},
        content_type="application/json",
    )
    assert ok.status_code == 200
    assert identity_for_token(ok.json()["token"]).pk == ok.json()["identity"]
    for _ in range(2):
        client.post(
            "/api/v1/identity/challenges",
            {"kind": "phone", "contact": "0987654321"},
            content_type="application/json",
        )
    limited = client.post(
        "/api/v1/identity/challenges",
        {"kind": "phone", "contact": "0987654321"},
        content_type="application/json",
    )
    assert limited.status_code == 429
    assert limited.json()["code"] == "too_many_attempts" and int(limited["Retry-After"]) >= 1
    missing = client.post(
        "/api/v1/identity/challenges/00000000-0000-0000-0000-000000000000/verify",
        {"code": "123456"},
        content_type="application/json",
    )
    assert missing.status_code == 404


def test_page_flow_remembers_the_identity_and_goes_next(client):
    page = client.post("/xac-minh/", {"kind": "email", "contact": "x@", "next": "/"})
    assert page.status_code == 200 and "không hợp lệ" in page.content.decode()
    started = client.post(
        "/xac-minh/", {"kind": "email", "contact": "f@example.vn", "next": "/hoat-dong/"}
    )
    assert started.status_code == 302
    verify_url = started["Location"]
    assert verify_url.startswith("/xac-minh/") and "next=/hoat-dong/" in verify_url
    wrong = client.post(verify_url, {"code": "999999" if last_code() != "999999" else "111111"})
    assert "Mã xác minh không đúng." in wrong.content.decode()
    done = client.post(verify_url, {"code": last_code(), "next": "/hoat-dong/"})
    assert done.status_code == 302 and done["Location"] == "/hoat-dong/"
    again = client.get("/xac-minh/")
    assert "f***@example.vn" in again.content.decode() or "f@" not in again.content.decode()
    assert "Bạn đã xác minh bằng" in again.content.decode()
    offsite = client.post(
        "/xac-minh/", {"kind": "email", "contact": "g@example.vn", "next": "https://evil.example"}
    )
    assert "evil" not in offsite["Location"]
