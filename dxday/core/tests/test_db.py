"""Races and locks are answers, not 500s: core/db.py, the API handlers, the page middleware and
/healthz (issue 9 §4 and §7)."""

from __future__ import annotations

import sqlite3

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory

from dxday.core.db import integrity_as_domain, is_constraint_race
from dxday.core.errors import DomainError
from dxday.core.middleware import DomainErrorMiddleware
from dxday.orgs.tests.factories import DEFAULT_PASSWORD
from dxday.plans.models import Campaign


def _duplicate_campaign():
    """What the loser of a check-then-write race does: insert a row that now exists."""
    Campaign.objects.create(year=2031, theme="Lần hai")


@pytest.mark.django_db
def test_integrity_as_domain_turns_the_race_into_the_services_sentence():
    Campaign.objects.create(year=2031, theme="Lần một")
    with (
        pytest.raises(DomainError) as caught,
        integrity_as_domain("Đã có chiến dịch năm 2031.", code="duplicate"),
    ):
        _duplicate_campaign()
    assert (caught.value.code, caught.value.status) == ("duplicate", 409)
    assert caught.value.message == "Đã có chiến dịch năm 2031."
    # The savepoint was rolled back, so the surrounding transaction goes on (PostgreSQL too).
    assert Campaign.objects.filter(year=2031).count() == 1


@pytest.mark.django_db
def test_integrity_as_domain_works_as_a_decorator():
    Campaign.objects.create(year=2031, theme="Lần một")
    write = integrity_as_domain("Trùng.", code="duplicate")(_duplicate_campaign)
    with pytest.raises(DomainError):
        write()


@pytest.mark.django_db
def test_an_untranslated_race_on_the_api_is_a_409_conflict(client, people, monkeypatch):
    """Guards: a unique-constraint race surfaced as an IntegrityError 500."""
    Campaign.objects.create(year=2031, theme="Lần một")

    def racing_obtain(**kwargs):
        _duplicate_campaign()

    monkeypatch.setattr("dxday.orgs.services.api_token_obtain", racing_obtain)
    response = client.post(
        "/api/v1/auth/token",
        {"username": "th_dieuphoi", "password": DEFAULT_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


@pytest.mark.django_db
def test_an_untranslated_race_on_a_page_is_a_409_page():
    Campaign.objects.create(year=2031, theme="Lần một")
    try:
        with transaction.atomic():
            _duplicate_campaign()
    except IntegrityError as exc:
        error = exc
    request = RequestFactory().post("/ke-hoach/")
    request.user, request.actor = AnonymousUser(), None
    response = DomainErrorMiddleware(lambda r: None).process_exception(request, error)
    assert response.status_code == 409
    assert "vừa được người khác tạo hoặc thay đổi" in response.content.decode()


@pytest.mark.django_db
def test_a_lost_cascade_race_gets_the_services_sentence(tree, people, monkeypatch):
    """Guards: two coordinators cascading the same plan at once both passed the check, and the
    loser got an IntegrityError 500 instead of `already_cascaded`. The race is replayed by
    letting both uniqueness checks (the service's and full_clean's) miss the winner's row."""
    from django.db.models import QuerySet

    from dxday.plans.models import Plan
    from dxday.plans.services import plan_cascade
    from dxday.plans.tests.factories import make_national_plan

    plan, _task = make_national_plan(tree)
    by = people.actor(people.th_coordinator)
    plan_cascade(parent_plan=plan, organisation=tree.th, by=by)
    exists = QuerySet.exists

    def racing_exists(qs):  # "is there a cascade of this plan by this unit?": not yet
        if qs.model is Plan and "Plan.organisation" in str(qs.query.where):
            return False
        return exists(qs)

    monkeypatch.setattr(QuerySet, "exists", racing_exists)
    with pytest.raises(DomainError) as caught:
        plan_cascade(parent_plan=plan, organisation=tree.th, by=by)
    assert (caught.value.code, caught.value.status) == ("already_cascaded", 409)
    assert Plan.objects.filter(parent=plan, organisation=tree.th).count() == 1


def test_only_constraint_violations_count_as_races():
    """SQLite raises IntegrityError("datatype mismatch") for an integer past 64 bits: a bug in
    the caller, which must stay a visible 500 rather than be shown as a conflict."""
    assert is_constraint_race(IntegrityError("UNIQUE constraint failed: plans_campaign.year"))
    assert is_constraint_race(IntegrityError("FOREIGN KEY constraint failed"))
    assert not is_constraint_race(IntegrityError("datatype mismatch"))
    assert not is_constraint_race(ValueError("UNIQUE constraint failed"))


# --- SQLite's write lock held by another process --------------------------------------------


# PostgreSQL has no database-wide write lock: these exist only where the lock does (CI runs the
# suite on SQLite too, and with CI=true a skip would fail the PostgreSQL run).
if connection.vendor == "sqlite":

    @pytest.fixture
    def locked_sqlite(transactional_db, tmp_path):
        """The default connection moved to a file database (a copy of the test database) with a
        short busy timeout, and a second sqlite3 connection holding BEGIN IMMEDIATE on it."""
        path = tmp_path / "locked.sqlite3"
        connection.ensure_connection()
        saved_raw, saved_settings = connection.connection, dict(connection.settings_dict)
        target = sqlite3.connect(path)
        saved_raw.backup(target)
        target.close()
        connection.connection = None
        connection.settings_dict["NAME"] = str(path)
        connection.settings_dict["OPTIONS"] = {**saved_settings["OPTIONS"], "timeout": 0.2}
        connection.ensure_connection()  # puts the file in WAL mode before the lock is taken
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved_settings)
            connection.connection = saved_raw

    @pytest.fixture
    def locked_people(people):
        return people

    def test_healthz_reports_a_locked_database_as_not_writable(
        client, locked_people, locked_sqlite
    ):
        """Guards: /healthz answered ok while another process held the write lock."""
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["database"] == "busy"
        assert response.json()["writable"] is False

    def test_the_api_answers_503_with_retry_after_when_the_database_is_locked(
        client, locked_people, locked_sqlite
    ):
        """Guards: "database is locked" was an HTML 500 on the API."""
        response = client.post(
            "/api/v1/auth/token",
            {"username": "th_dieuphoi", "password": DEFAULT_PASSWORD},
            content_type="application/json",
        )
        assert response.status_code == 503
        assert response.json()["code"] == "database_busy"
        assert int(response["Retry-After"]) > 0

    def test_a_page_answers_a_vietnamese_503_when_the_database_is_locked(
        client, locked_people, locked_sqlite
    ):
        response = client.post(
            "/dang-nhap/", {"username": "th_dieuphoi", "password": DEFAULT_PASSWORD}
        )
        assert response.status_code == 503
        assert "Hệ thống đang bận ghi dữ liệu" in response.content.decode()
        assert int(response["Retry-After"]) > 0


@pytest.mark.django_db(transaction=True)
def test_healthz_says_ok_when_writes_can_start(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "writable": True,
        "queue": {"state": "ok", "oldest_queued_s": None},
    }
