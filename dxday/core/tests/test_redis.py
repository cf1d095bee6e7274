"""The Redis-backed session path: with REDIS_URL set, sessions are read from Redis and written
through to the database (`cached_db`), so losing Redis logs nobody out. The rest of the suite
keeps database sessions so that query counts stay exact."""

import os
import socket
import uuid

import pytest
from django.test import override_settings
from django.urls import reverse

from dxday.orgs.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.redis


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_sessions():
    if not _redis_up():
        message = "Redis is not reachable at 127.0.0.1:6379: start redis-server to run this test"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    prefix = f"dxday-test-{uuid.uuid4().hex[:8]}"
    caches = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/5",
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(
        CACHES=caches, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"
    ):
        from django.core.cache import cache

        yield cache
        cache.delete_pattern("*")


def test_login_session_lives_in_redis_not_the_database(client, people, redis_sessions):
    from django.contrib.sessions.models import Session

    response = client.post(
        reverse("orgs:login"), {"username": "th_dieuphoi", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    session_key = client.cookies["sessionid"].value
    assert redis_sessions.get(f"django.contrib.sessions.cached_db{session_key}") is not None
    assert Session.objects.filter(session_key=session_key).exists()
    # The session read back from Redis carries the acting organisation's subtree.
    page = client.get(reverse("orgs:workspace"))
    assert page.status_code == 200
    assert "UBND tỉnh Thanh Hóa" in page.content.decode()


def test_a_redis_restart_logs_nobody_out(client, people, redis_sessions):
    """Redis keeps nothing on disk here: after it loses every key, the session still holds."""
    response = client.post(
        reverse("orgs:login"), {"username": "th_dieuphoi", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    redis_sessions.delete_pattern("*")  # what a restart without persistence leaves
    page = client.get(reverse("orgs:workspace"))
    assert page.status_code == 200
    assert "UBND tỉnh Thanh Hóa" in page.content.decode()
