"""Public pages and public API reads: no per-visitor state, served from cache, invalidated on
publish, with HTTP caching headers and 304s (dxday/core/pagecache.py)."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from dxday.activities import services
from dxday.core import pagecache
from dxday.plans import services as plan_services
from dxday.plans.models import Campaign

from .test_views import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings, tmp_path):
    settings.DXDAY_PAGECACHE = True
    settings.DXDAY_PAGECACHE_DIR = str(tmp_path / "pagecache")
    cache.clear()
    yield
    cache.clear()


def _text(response) -> str:
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def _pages(activity) -> list[str]:
    return [
        "/",
        reverse("portal:campaign_year", args=[2025]),
        reverse("portal:activities"),
        reverse("portal:activities") + "?q=hoi&nam=2025",
        reverse("portal:activity_detail", args=[activity.pk]),
        reverse("portal:offers"),
        reverse("portal:calendar") + "?thang=2025-10",
        reverse("portal:open_data"),
        reverse("outreach:dashboard"),
    ]


API_READS = [
    "/api/v1/campaigns",
    "/api/v1/campaigns/2025",
    "/api/v1/activities?campaign=2025",
    "/api/v1/portal/summary",
    "/api/v1/portal/offers",
    "/api/v1/outreach/totals?by=province",
]


@pytest.mark.parametrize("on", [False, True], ids=["cache-off", "cache-on"])
def test_anonymous_pages_set_no_cookie_and_carry_no_token(client, loop, people, settings, on,
                                                          tmp_path):  # fmt: skip
    settings.DXDAY_PAGECACHE = on
    settings.DXDAY_PAGECACHE_DIR = str(tmp_path)
    cache.clear()
    a = publish(loop, people)
    for url in _pages(a) * 2:  # the second time from the cache when it is on
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers and not response.cookies, url
        assert not client.cookies, url
        body = response.content.decode()
        assert "csrfmiddlewaretoken" not in body and "X-CSRFToken" not in body, url
        control = response["Cache-Control"]
        assert "public" in control and "s-maxage=5" in control, url
        assert "stale-while-revalidate" in control and response["ETag"], url
        # The HTML differs for signed-in people (their shell) and by the language cookie.
        assert "Cookie" in response["Vary"], url
    for url in API_READS * 2:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers and not client.cookies, url
        # The same JSON for every anonymous caller: nothing to vary on the cookie.
        assert "Cookie" not in response.get("Vary", ""), url
        assert "public" in response["Cache-Control"] and response["ETag"], url


def test_language_switch_needs_no_token_and_english_pages_are_cached_apart(client, page_cache):
    assert "Đăng nhập" in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    english = client.get("/")
    assert "Log in" in english.content.decode()
    client.cookies.clear()
    assert "Đăng nhập" in client.get("/").content.decode()


def test_csrf_endpoint_gives_public_forms_a_token(client):
    response = client.get(reverse("core:csrf_token"))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    token = response.json()["token"]
    assert token and client.cookies["csrftoken"].value
    # The token works for a form posted with it (a CSRF-checking client).
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    refused = Client(enforce_csrf_checks=True).post(reverse("orgs:login"), {"username": "x"})
    assert refused.status_code == 403
    accepted = strict.post(reverse("orgs:login"), {"username": "x", "csrfmiddlewaretoken": token})
    assert accepted.status_code == 200


def test_published_activity_appears_at_once_on_cached_pages(
    client, loop, people, page_cache, django_capture_on_commit_callbacks
):
    first = publish(loop, people, title="Hoạt động thứ nhất")
    urls = ["/", reverse("portal:activities"), "/api/v1/activities"]
    for url in urls:
        assert "Hoạt động thứ nhất" in _text(client.get(url))
    # Served from the cache now: a change that bypasses the services is not seen ...
    type(first).objects.filter(pk=first.pk).update(title="Đổi ngầm")
    for url in urls:
        assert "Đổi ngầm" not in _text(client.get(url)), url
        assert client.get(url)["Age"] is not None
    # ... while one the services publish is seen at once (the bump runs on commit).
    with django_capture_on_commit_callbacks(execute=True):
        publish(loop, people, title="Hoạt động mới công bố")
    for url in urls:
        assert "Hoạt động mới công bố" in _text(client.get(url)), url
    # Unpublishing takes it off at once too.
    second = type(first).objects.get(title="Hoạt động mới công bố")
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_unpublish(activity=second, by=people.actor(people.national_coordinator))
    for url in urls:
        assert "Hoạt động mới công bố" not in _text(client.get(url)), url


def test_offer_moderation_and_campaign_change_refresh_the_cache(
    client, loop, people, page_cache, django_capture_on_commit_callbacks
):
    offers_url = reverse("portal:offers")
    assert "Giảm giá cước" not in client.get(offers_url).content.decode()
    offer = services.offer_register(
        by=people.actor(people.th_c1_reporter),
        data={
            "provider": "Viettel",
            "title": "Giảm giá cước",
            "discount": "50%",
            "starts_on": datetime.date(2025, 10, 1),
            "ends_on": datetime.date(2025, 10, 31),
            "link": "https://viettel.vn",
        },
    )
    assert "Giảm giá cước" not in client.get(offers_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_approve(offer=offer, by=people.actor(people.moderator))
    assert "Giảm giá cước" in client.get(offers_url).content.decode()

    campaign = Campaign.objects.get(year=2025)
    assert client.get("/api/v1/campaigns/2025").json()["theme"] == campaign.theme
    with django_capture_on_commit_callbacks(execute=True):
        plan_services.campaign_update(
            campaign=campaign, by=people.actor(people.national_coordinator), theme="Chủ đề mới"
        )
    assert client.get("/api/v1/campaigns/2025").json()["theme"] == "Chủ đề mới"
    assert "Chủ đề mới" in client.get("/").content.decode()


def test_signed_in_people_get_the_live_page_privately(client, loop, people, page_cache):
    publish(loop, people, title="Hoạt động thứ nhất")
    anonymous = client.get(reverse("portal:activities"))
    assert "public" in anonymous["Cache-Control"]
    client.force_login(people.th_viewer)
    response = client.get(reverse("portal:activities"))
    assert "private" in response["Cache-Control"]
    assert "Đăng xuất" in response.content.decode()  # not the anonymous page from the cache
    assert response.get("Age") is None
    client.logout()
    # A token caller of a public read is answered live and privately too.
    response = client.get("/api/v1/campaigns", HTTP_AUTHORIZATION="Bearer nothing")
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("on", [False, True], ids=["cache-off", "cache-on"])
def test_etag_and_last_modified_answer_304(client, loop, people, settings, tmp_path, on):
    settings.DXDAY_PAGECACHE = on
    settings.DXDAY_PAGECACHE_DIR = str(tmp_path)
    cache.clear()
    publish(loop, people)
    for url in ("/", reverse("portal:activities"), "/api/v1/campaigns/2025"):
        first = client.get(url)
        etag = first["ETag"]
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304, url
        assert again.content == b"" and again["ETag"] == etag
        assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200
        if on:
            modified = first["Last-Modified"]
            assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304


def test_errors_and_unknown_pages_are_not_cached(client, loop, people, page_cache):
    assert client.get(reverse("portal:activity_detail", args=[999999])).status_code == 404
    assert "public" not in client.get(reverse("portal:activity_detail", args=[999999])).get(
        "Cache-Control", ""
    )
    assert client.get("/api/v1/campaigns/1999").status_code == 404


def test_versions_are_shared_by_processes_through_files(
    settings, tmp_path, django_capture_on_commit_callbacks, monkeypatch
):
    """With the local memory cache every gunicorn process has its own entries; the versions
    they compare with are files, so a bump in one process is seen by all."""
    settings.DXDAY_PAGECACHE_DIR = str(tmp_path)
    monkeypatch.setattr(pagecache, "_is_local", lambda: True)  # as without REDIS_URL
    store = pagecache._FileVersions(tmp_path)
    assert store.get(("portal",)) == ("",)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        pagecache.bump("portal")
        assert store.get(("portal",)) == ("",)  # not before the commit
    assert len(callbacks) == 1
    one = store.get(("portal",))
    assert one != ("",)
    other_process = pagecache._FileVersions(tmp_path)
    assert other_process.get(("portal", "outreach")) == (one[0], "")
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.bump("portal")
    assert other_process.get(("portal",)) != one


@pytest.mark.redis
def test_with_redis_versions_live_in_the_cache(
    client, loop, people, settings, django_capture_on_commit_callbacks
):
    """With REDIS_URL every app server reads the entry and its versions in one round trip."""
    import os
    import socket
    import uuid

    from django.test import override_settings

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is not reachable at 127.0.0.1:6379")
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    settings.DXDAY_PAGECACHE = True
    caches = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/5",
            "KEY_PREFIX": f"dxday-test-{uuid.uuid4().hex[:8]}",
        }
    }
    with override_settings(CACHES=caches):
        from django.core.cache import cache as redis

        try:
            publish(loop, people, title="Hoạt động thứ nhất")
            url = reverse("portal:activities")
            assert "Hoạt động thứ nhất" in client.get(url).content.decode()
            assert client.get(url).get("Age") is not None  # a hit
            assert not pagecache._is_local()
            with django_capture_on_commit_callbacks(execute=True):
                publish(loop, people, title="Hoạt động mới công bố")
            assert redis.get("pcv:portal")
            response = client.get(url)
            assert "Hoạt động mới công bố" in response.content.decode()
            assert response.get("Age") is None
        finally:
            redis.delete_pattern("*")
