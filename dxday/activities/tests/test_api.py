import json

import pytest

from dxday.activities import services
from dxday.activities.models import Activity
from dxday.orgs.auth import token_generate
from dxday.orgs.models import ApiToken

from .factories import activity_data, png_upload

pytestmark = pytest.mark.django_db


def bearer(user):
    raw, hashed = token_generate()
    ApiToken.objects.create(user=user, key_hash=hashed, prefix=raw[:8])
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _published(loop, people, **over):
    a = services.activity_create(
        by=people.actor(people.th_c1_reporter),
        assignment=loop.a_c1,
        data=activity_data(**over),
        values={"articles": 4, "people_reached": None},
    )
    services.activity_submit(activity=a, by=people.actor(people.th_c1_reporter))
    return services.activity_accept(activity=a, by=people.actor(people.th_coordinator))


def test_public_list_contract(client, loop, people):
    a = _published(loop, people, title="Ngày hội Chuyển đổi số tại Thanh Hoá")
    draft = services.activity_create(
        by=people.actor(people.th_c2_reporter), assignment=loop.a_c2, data=activity_data()
    )
    r = client.get("/api/v1/activities", {"campaign": 2025, "province": "38", "q": "chuyen doi so"})
    assert r.status_code == 200
    body = r.json()
    assert [row["id"] for row in body] == [a.pk]
    row = body[0]
    assert row["campaign"] == 2025 and row["province"] == {"code": "38", "name": "Thanh Hóa"}
    assert row["organisation"]["name"] == "UBND phường Hạc Thành"
    figures = {f["code"]: f["value"] for f in row["indicators"]}
    assert figures == {"articles": 4, "people_reached": None}
    assert set(row) >= {"id", "title", "type", "starts_on", "ends_on", "url", "online"}
    assert "reviewed_by" not in row and "created_by" not in row
    assert client.get("/api/v1/activities", {"province": "08"}).json() == []
    assert client.get("/api/v1/activities", {"campaign": 2024}).json() == []
    assert client.get(f"/api/v1/activities/{a.pk}").json()["id"] == a.pk
    r = client.get(f"/api/v1/activities/{draft.pk}")
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_workspace_flow_through_api(client, loop, people):
    reporter = bearer(people.th_c1_reporter)
    coordinator = bearer(people.th_coordinator)
    assert client.post("/api/v1/activities", {}, content_type="application/json").status_code == 401
    payload = {
        "assignment_id": loop.a_c1.pk,
        "title": "Tọa đàm chuyển đổi số",
        "type": "event",
        "starts_on": "2025-10-05",
        "ends_on": "2025-10-05",
        "values": {"people_guided": 10, "vneid_guided": 11},
    }
    r = client.post("/api/v1/activities", payload, content_type="application/json", **reporter)
    assert r.status_code == 400 and r.json()["code"] == "part_exceeds_total"
    payload["values"] = {"people_guided": 10, "vneid_guided": None}
    r = client.post("/api/v1/activities", payload, content_type="application/json", **reporter)
    assert r.status_code == 201, r.content
    activity_id = r.json()["id"]
    assert r.json()["status"] == "draft"
    r = client.post(
        f"/api/v1/activities/{activity_id}/evidence", {"file": png_upload()}, **reporter
    )
    assert r.status_code == 201 and r.json()["content_type"] == "image/png"
    r = client.post(f"/api/v1/activities/{activity_id}/submit", **reporter)
    assert r.json()["status"] == "submitted"
    r = client.post(f"/api/v1/activities/{activity_id}/accept", **reporter)
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    queue = client.get("/api/v1/activities/review-queue", **coordinator).json()
    assert [row["id"] for row in queue] == [activity_id]
    r = client.post(
        f"/api/v1/activities/{activity_id}/return",
        {"reason": ""},
        content_type="application/json",
        **coordinator,
    )
    assert r.status_code == 400 and r.json()["code"] == "reason_required"
    r = client.post(
        f"/api/v1/activities/{activity_id}/return",
        {"reason": "Bổ sung ảnh."},
        content_type="application/json",
        **coordinator,
    )
    assert r.json()["status"] == "returned" and r.json()["return_reason"] == "Bổ sung ảnh."
    r = client.patch(
        f"/api/v1/activities/{activity_id}",
        json.dumps({"title": "Tọa đàm (đã sửa)"}),
        content_type="application/json",
        **reporter,
    )
    assert r.json()["title"] == "Tọa đàm (đã sửa)"
    client.post(f"/api/v1/activities/{activity_id}/submit", **reporter)
    r = client.post(f"/api/v1/activities/{activity_id}/accept", **coordinator)
    assert r.json()["status"] == "accepted" and r.json()["published"]
    r = client.patch(
        f"/api/v1/activities/{activity_id}",
        json.dumps({"title": "x"}),
        content_type="application/json",
        **reporter,
    )
    assert r.status_code == 409 and r.json()["code"] == "locked"
    # Another province's coordinator: the same answer as a missing activity.
    other = bearer(people.tq_coordinator)
    r1 = client.post(f"/api/v1/activities/{activity_id}/accept", **other)
    r2 = client.post("/api/v1/activities/999999/accept", **other)
    assert r1.status_code == r2.status_code == 404 and r1.json() == r2.json()
    mine = client.get("/api/v1/activities/mine", **reporter).json()
    assert [row["id"] for row in mine] == [activity_id]
    assert Activity.objects.get().values.get(indicator__code="vneid_guided").value is None


def test_openapi_documents_the_endpoints(client):
    spec = client.get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    assert "/api/v1/activities" in paths
    assert "/api/v1/activities/{activity_id}/return" in paths
    assert "/api/v1/activities/{activity_id}/submit" in paths


def test_public_list_query_count_is_pinned(client, loop, people, django_assert_num_queries):
    for i in range(3):
        _published(loop, people, title=f"Hoạt động {i}")
    with django_assert_num_queries(2):  # activities with their places, then their figures
        assert len(client.get("/api/v1/activities").json()) == 3


def test_province_filter_with_or_without_leading_zero(client, loop, people):
    a = _published(loop, people, title="Ngày hội")
    for code in ("38", "038"):
        r = client.get("/api/v1/activities", {"province": code})
        assert [row["id"] for row in r.json()] == [a.pk], code
    r = client.get("/api/v1/activities", {"province": "8"})  # Tuyên Quang: known, nothing there
    assert r.status_code == 200 and r.json() == []
    for bad in ("99", "xyz", "123456"):
        r = client.get("/api/v1/activities", {"province": bad})
        assert r.status_code == 422 and r.json()["code"] == "unknown_province", bad
        assert r.json()["field"] == "province"
