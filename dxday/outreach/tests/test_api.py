import json
import os
import socket
import uuid

import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings

from dxday.outreach.models import CommuneStat, GuidanceSession

from .helpers import account_token, session

pytestmark = pytest.mark.django_db

BATCH = "/api/v1/outreach/sessions/batch"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def post(client, url, body, token):
    return client.post(
        url, data=json.dumps(body), content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )  # fmt: skip


def test_batch_contract(client, team):
    token = team.device_token()
    good, bad = session(), session(households_visited=-1)
    r = post(client, BATCH, {"sessions": [good, bad]}, token)
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"accepted", "duplicates", "rejected"}
    assert body["accepted"] == 1 and body["duplicates"] == 0
    [rej] = body["rejected"]
    assert set(rej) == {"index", "client_id", "errors"}
    assert rej["index"] == 1 and rej["client_id"] == bad["client_id"]
    assert rej["errors"][0] == {
        "field": "households_visited", "code": "negative",
        "message": "Số hộ đã đến không được âm.",
    }  # fmt: skip
    # Resending the whole batch never counts a session twice.
    r = post(client, BATCH, {"sessions": [good, bad]}, token)
    assert r.json()["accepted"] == 0 and r.json()["duplicates"] == 1
    # Same client_id, different content: conflict.
    r = post(client, BATCH, {"sessions": [{**good, "people_guided": 4}]}, token)
    assert r.json()["rejected"][0]["errors"][0]["code"] == "conflict"
    assert GuidanceSession.objects.count() == 1
    assert CommuneStat.objects.get().sessions == 1


def test_own_account_token_works(client, team):
    token = account_token(team.deputy_user)
    r = post(client, BATCH, {"sessions": [session()]}, token)
    assert r.json()["accepted"] == 1
    assert GuidanceSession.objects.get().member == team.deputy


def test_device_token_of_name_only_member(client, team):
    token = team.device_token(team.member)
    r = post(client, BATCH, {"sessions": [session()]}, token)
    assert r.json()["accepted"] == 1
    assert GuidanceSession.objects.get().member == team.member


def test_revoked_token_is_refused(client, team):
    from dxday.outreach import services

    token = team.device_token()
    api_token = team.deputy.membership.tokens.get()
    services.device_token_revoke(actor=team.leader_actor, token=api_token)
    r = post(client, BATCH, {"sessions": [session()]}, token)
    assert r.status_code == 401
    assert r.json()["code"] == "unauthorized"


def test_anonymous_is_refused(client, team):
    r = client.post(BATCH, data=json.dumps({"sessions": []}), content_type="application/json")
    assert r.status_code == 401


def test_batch_limit(client, team):
    token = team.device_token()
    r = post(client, BATCH, {"sessions": [session() for _ in range(501)]}, token)
    assert r.status_code == 413
    assert r.json()["code"] == "batch_too_large"
    assert "tối đa 500" in r.json()["message"]
    assert not GuidanceSession.objects.exists()
    r = post(client, BATCH, {"sessions": [session() for _ in range(500)]}, token)
    assert r.status_code == 200 and r.json()["accepted"] == 500


def _rate_limit_check(client, team):
    """The limit is a fixed 60 s window: time stands still (at 10 s into a window) so the four
    calls cannot straddle two windows, which made this fail whenever a run crossed a minute."""
    with time_machine.travel("2025-10-10T09:00:10+07:00", tick=False):
        _rate_limit_calls(client, team)


def _rate_limit_calls(client, team):
    token = team.device_token()
    other = team.device_token(team.member)
    codes = [post(client, BATCH, {"sessions": []}, token).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = post(client, BATCH, {"sessions": [session()]}, token)
    assert r.status_code == 429
    assert r.json()["code"] == "rate_limited"
    assert r["Retry-After"] == "50"  # the rest of the frozen window
    # The limit is per token.
    assert post(client, BATCH, {"sessions": []}, other).status_code == 200


def test_rate_limit(client, team, settings):
    settings.DXDAY = {**settings.DXDAY, "OUTREACH_RATE": "3/60"}
    _rate_limit_check(client, team)


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.redis
def test_rate_limit_on_redis(client, team, settings):
    if not _redis_up():
        message = "Redis is not reachable at 127.0.0.1:6379"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    settings.DXDAY = {**settings.DXDAY, "OUTREACH_RATE": "3/60"}
    redis_cache = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/4",
            "KEY_PREFIX": f"dxday-test-{uuid.uuid4().hex[:8]}",
        }
    }
    with override_settings(CACHES=redis_cache, REDIS_URL="redis://127.0.0.1:6379/4"):
        from django.core.cache import caches

        redis = caches["default"]
        assert type(redis).__name__ == "RedisCache"
        _rate_limit_check(client, team)
        redis.clear()


def test_single_session_endpoint(client, team):
    token = team.device_token()
    s = session()
    r = post(client, "/api/v1/outreach/sessions", s, token)
    assert r.status_code == 201 and r.json()["accepted"] == 1
    r = post(client, "/api/v1/outreach/sessions", s, token)
    assert r.status_code == 200 and r.json()["duplicates"] == 1
    r = post(client, "/api/v1/outreach/sessions", {**s, "note": "khác"}, token)
    assert r.status_code == 409 and r.json()["code"] == "conflict"
    r = post(client, "/api/v1/outreach/sessions", session(occurred_at="2025-01-01T08:00:00"), token)
    assert r.status_code == 422
    assert r.json()["errors"][0]["code"] == "outside_window"
    assert GuidanceSession.objects.count() == 1


def test_totals(client, team, team_tq, campaign, django_assert_max_num_queries):
    post(client, BATCH, {"sessions": [session(), session()]}, team.device_token())
    post(client, BATCH, {"sessions": [session()]}, team_tq.device_token())
    r = client.get("/api/v1/outreach/totals?campaign=2025&province=38&by=commune")
    assert r.status_code == 200
    [row] = r.json()
    assert row["commune"] == team.team.commune_id and row["sessions"] == 2
    assert row["people_guided"] == 10 and row["accounts_activated"] == 6
    r = client.get("/api/v1/outreach/totals?campaign=2025&by=province")
    assert {x["province"]: x["sessions"] for x in r.json()} == {"38": 2, "08": 1}
    r = client.get("/api/v1/outreach/totals?campaign=2025&by=topic")
    topics = {x["topic"]: x for x in r.json()}
    assert topics["vneid"]["sessions"] == 3 and topics["vneid"]["outcome"] == 9
    r = client.get("/api/v1/outreach/totals?campaign=2025&province=08&by=day")
    [day] = r.json()
    assert (day["day"], day["sessions"], day["households_visited"], day["people_guided"]) == (
        "2025-10-02", 1, 2, 5,
    )  # fmt: skip
    with django_assert_max_num_queries(4):
        client.get("/api/v1/outreach/totals?campaign=2025&by=commune")
    assert client.get("/api/v1/outreach/totals?campaign=1999").status_code == 404
    assert client.get("/api/v1/outreach/totals?by=nope").status_code == 422


def test_me(client, team):
    r = client.get(
        "/api/v1/outreach/me", headers={"Authorization": f"Bearer {team.device_token()}"}
    )
    body = r.json()
    assert body["team"]["id"] == team.team.pk
    assert body["member"] == team.deputy.pk
    assert len(body["members"]) == 3
    assert [t["code"] for t in body["topics"]][0] == "vneid"
    assert body["windows"][0]["starts_on"] == "2025-09-15"


def test_rate_limit_without_redis_is_shared_by_every_process(client, team, settings):
    """Without Redis the count lives in the database: what another worker process counted
    (a row this process's memory never saw) counts here too, so N workers allow the limit
    once, not N times."""
    from dxday.core.models import RateCounter
    from dxday.core.ratelimit import rate_hit

    settings.DXDAY = {**settings.DXDAY, "OUTREACH_RATE": "3/60"}
    settings.REDIS_URL = ""  # the embedded setup, also in the PostgreSQL + Redis run
    with time_machine.travel("2025-10-10T09:00:10+07:00", tick=False):  # one window
        token = team.device_token()
        assert post(client, BATCH, {"sessions": []}, token).status_code == 200
        counter = RateCounter.objects.get()
        # Another process counts two more hits for the same token and window.
        RateCounter.objects.filter(pk=counter.pk).update(hits=3)
        assert post(client, BATCH, {"sessions": []}, token).status_code == 429
        # And the counter is atomic: one statement returns each caller its own new value.
        assert [rate_hit("x", limit=2, window=3600) for _ in range(3)][-1] is not None


def test_totals_province_and_commune_codes(client, team, team_tq, campaign):
    post(client, BATCH, {"sessions": [session()]}, team_tq.device_token())
    url = "/api/v1/outreach/totals?campaign=2025&by=commune"
    with_zero = client.get(f"{url}&province=08").json()
    assert with_zero and client.get(f"{url}&province=8").json() == with_zero
    commune = team_tq.team.commune_id
    assert client.get(f"{url}&commune={commune.lstrip('0')}").json() == with_zero
    r = client.get(f"{url}&province=77")
    assert r.status_code == 422 and r.json()["code"] == "unknown_province"
    r = client.get(f"{url}&commune=99999")
    assert r.status_code == 422 and r.json()["code"] == "unknown_commune"
    # The public dashboards take the code in their path: "8" is Tuyên Quang, "77" is no page.
    assert client.get("/outreach/tinh/8/").status_code == 200
    assert client.get("/outreach/tinh/77/").status_code == 404
    assert client.get(f"/outreach/xa/{commune.lstrip('0')}/").status_code == 200
