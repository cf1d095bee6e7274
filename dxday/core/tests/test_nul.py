"""A NUL character in any input is refused at the door with 400 `invalid_characters`
(PostgreSQL refuses NUL in text, so it used to be a 500 there and silently stored on SQLite)."""

from __future__ import annotations

import json
import uuid

import pytest

from dxday.activities.models import Activity
from dxday.orgs.services import api_token_issue
from dxday.plans.tests.factories import make_campaign


@pytest.fixture
def bearer(people):
    make_campaign()
    user = people.th_c1_reporter
    return "Bearer " + api_token_issue(by=people.actor(user), user=user)[1]


ACTIVITY = {
    "title": "Tuyên truyền trên loa",
    "type": "radio",
    "starts_on": "2025-10-01",
    "ends_on": "2025-10-10",
}


@pytest.mark.django_db
def test_a_nul_in_a_json_body_is_refused_before_anything_is_stored(client, bearer):
    """Guards: `"title": "a\\u0000b"` reached the database (500 on PostgreSQL)."""
    body = json.dumps({**ACTIVITY, "title": "Tuyên\x00truyền"})
    assert "\\u0000" in body
    response = client.post(
        "/api/v1/activities", body, content_type="application/json", HTTP_AUTHORIZATION=bearer
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_characters"
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_a_nul_in_a_json_key_or_a_raw_body_is_refused(client, bearer):
    for body in (json.dumps({**ACTIVITY, "values": {"a\x00": 1}}), b'{"title": "a\x00"}'):
        response = client.post(
            "/api/v1/activities", body, content_type="application/json", HTTP_AUTHORIZATION=bearer
        )
        assert response.status_code == 400, body
        assert response.json()["code"] == "invalid_characters"


@pytest.mark.django_db
def test_an_escaped_backslash_before_u0000_is_not_a_nul(client, bearer):
    """`\\\\u0000` in JSON is a backslash followed by "u0000": ordinary text, accepted."""
    body = json.dumps({**ACTIVITY, "title": "C:\\u0000"})
    response = client.post(
        "/api/v1/activities", body, content_type="application/json", HTTP_AUTHORIZATION=bearer
    )
    assert response.status_code == 201
    assert Activity.objects.get().title == "C:\\u0000"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/api/v1/activities?q=a%00b", "/api/v1/orgs?q=%00", "/api/v1/portal/offers?q%00=1"],
)
def test_a_nul_in_an_api_query_string_is_a_json_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_characters"


@pytest.mark.django_db
def test_a_nul_in_a_page_query_string_is_a_vietnamese_400_page(client):
    """Guards: a search for "\\x00" on the portal reached the database."""
    response = client.get("/hoat-dong/?q=a%00b")
    assert response.status_code == 400
    assert "ký tự không hợp lệ" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_form_data_is_a_400_page(client):
    response = client.post("/dang-nhap/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400
    assert "ký tự không hợp lệ" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_a_multipart_field_is_refused(client, bearer):
    response = client.post(
        "/api/v1/activities/1/evidence", {"note": "a\x00b"}, HTTP_AUTHORIZATION=bearer
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_characters"


@pytest.mark.django_db
def test_ordinary_vietnamese_input_passes(client):
    response = client.get("/api/v1/activities?q=chuy%E1%BB%83n%20%C4%91%E1%BB%95i%20s%E1%BB%91")
    assert response.status_code == 200


def _session(topic: str, note: str) -> dict:
    return {
        "client_id": str(uuid.uuid4()),
        "occurred_at": "2025-10-02T09:30:00+07:00",
        "households_visited": 1,
        "people_guided": 1,
        "topics": [{"topic": topic, "people_guided": 1}],
        "note": note,
    }


@pytest.mark.django_db
def test_a_nul_in_one_session_rejects_that_session_only(client, api_world):
    """Guards: a NUL in a session's note was a 500 on PostgreSQL for the whole batch (and the
    door check must not refuse the batch: one bad session never fails a batch)."""
    from dxday.outreach.models import GuidanceSession, Topic

    topic = Topic.objects.order_by("order").first().code
    bad, good = _session(topic, "nhà\x00 số 5"), _session(topic, "Đã hướng dẫn VNeID.")
    response = client.post(
        "/api/v1/outreach/sessions/batch",
        json.dumps({"sessions": [bad, good]}),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer " + api_world.tokens["member"],
    )
    assert response.status_code == 200
    body = response.json()
    assert body["accepted"] == 1
    assert [r["index"] for r in body["rejected"]] == [0]
    assert body["rejected"][0]["errors"][0]["code"] == "invalid_characters"
    assert GuidanceSession.objects.count() == 1

    single = client.post(
        "/api/v1/outreach/sessions",
        json.dumps(_session(topic, "a\x00b")),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer " + api_world.tokens["member"],
    )
    assert single.status_code == 422
    assert single.json()["errors"][0]["code"] == "invalid_characters"
