"""The page shell's assets and /healthz, through the test client."""

import re

import pytest
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok_with_the_database_reachable(client):
    r = client.get(reverse("core:healthz"))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/json"
    assert "no-cache" in r["Cache-Control"]  # a balancer must never see a cached answer
    body = r.json()
    assert body["status"] == "ok" and body["database"] == "ok"


def test_healthz_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    def broken(*args, **kwargs):
        from django.db import OperationalError

        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken)
    monkeypatch.setattr(connection, "ensure_connection", broken)
    r = client.get(reverse("core:healthz"))
    assert r.status_code == 503
    assert r.json()["status"] == "error" and r.json()["database"] == "unreachable"


def test_every_asset_the_page_shell_links_is_served(client):
    """Guards the move from xstatic-bootstrap to the vendored copy: the login page's CSS and
    JS (Bootstrap, htmx, dxday.css) all answer 200 from the app itself, no CDN."""
    html = client.get(reverse("orgs:login")).content.decode()
    urls = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert any("bootstrap.min.css" in u for u in urls)
    assert any("bootstrap.bundle.min.js" in u for u in urls)
    assert any("htmx-2.min.js" in u for u in urls)
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
        body = b"".join(r.streaming_content) if r.streaming else r.content
        assert len(body) > 100, url
    css = b"".join(client.get(next(u for u in urls if "bootstrap.min.css" in u)).streaming_content)
    assert b"Bootstrap  v5.3.8" in css


def test_healthz_reports_a_stale_queue_when_no_worker_takes_jobs(client, settings):
    """A worker that died leaves jobs waiting: /healthz shows the oldest one's age."""
    import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert client.get(reverse("core:healthz")).json()["queue"] == {
        "state": "ok",
        "oldest_queued_s": None,
    }
    from dxday.reports.tasks import report_job_task

    result = report_job_task.enqueue(0)  # nobody runs it
    DBTaskResult.objects.filter(id=result.id).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=20)
    )
    queue = client.get(reverse("core:healthz")).json()["queue"]
    assert queue["state"] == "stale" and 1190 <= queue["oldest_queued_s"] <= 1300


def test_favicon_is_a_real_icon_served_by_the_app(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # the ICO header
    page = client.get("/").content.decode()
    assert 'rel="icon" href="/static/core/favicon.ico"' in page
