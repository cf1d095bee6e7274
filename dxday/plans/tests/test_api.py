import datetime

import pytest

from dxday.orgs.auth import token_generate
from dxday.orgs.models import ApiToken
from dxday.plans import services
from dxday.plans.models import Reminder

from .factories import make_campaign, make_national_plan

pytestmark = pytest.mark.django_db


def _bearer(user):
    raw, hashed = token_generate()
    ApiToken.objects.create(user=user, key_hash=hashed, prefix=raw[:8])
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_campaign_contract(client):
    make_campaign(2025)
    make_campaign(2024)
    body = client.get("/api/v1/campaigns").json()
    assert [c["year"] for c in body] == [2025, 2024]
    one = client.get("/api/v1/campaigns/2025").json()
    assert set(one) >= {"year", "theme", "message", "windows", "legal_basis", "key_dates"}
    assert one["year"] == 2025
    assert one["message"] == "Chuyển đổi số: Nhanh hơn, hiệu quả hơn, gần dân hơn"
    assert one["windows"] == [
        {"kind": "communication", "name": "Truyền thông", "starts_on": "2025-10-01",
         "ends_on": "2025-10-10"}
    ]  # fmt: skip
    assert one["legal_basis"] == {
        "number": "2873/QĐ-BKHCN", "date": "2025-09-24", "issuer": "Bộ Khoa học và Công nghệ",
        "title": "Kế hoạch triển khai Quyết định 505/QĐ-TTg",
    }  # fmt: skip
    assert one["key_dates"][0]["date"] == "2025-10-10"


def test_unknown_year_and_bad_input(client):
    r = client.get("/api/v1/campaigns/1999")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = client.get("/api/v1/campaigns/99999999999999999999")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = client.get("/api/v1/campaigns/abc")
    assert 400 <= r.status_code < 500
    r = client.get("/api/v1/campaigns/2025/assignments/mine")
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"


def test_my_assignments_and_reminders(client, tree, people, django_capture_on_commit_callbacks):
    plan, task = make_national_plan(tree, deadline=datetime.date(2025, 10, 10))
    th = _bearer(people.th_coordinator)
    rows = client.get("/api/v1/campaigns/2025/assignments/mine", **th).json()
    assert [r["task"] for r in rows] == ["Chiến dịch truyền thông"]
    assert rows[0]["issuer"] == "Bộ Khoa học và Công nghệ"
    # A commune reporter has no assignment of the national plan.
    c1 = _bearer(people.th_c1_reporter)
    assert client.get("/api/v1/campaigns/2025/assignments/mine", **c1).json() == []
    plans = client.get("/api/v1/campaigns/2025/plans", **th).json()
    assert [p["id"] for p in plans] == [plan.pk]
    comp = client.get(f"/api/v1/campaigns/plans/{plan.pk}/completeness", **th).json()
    assert comp["total"]["expected"] == 1  # only Thanh Hóa's own subtree
    # Remind: another province's assignment is not found; bad payload is 422 with a code.
    tq_a = task.assignments.get(organisation=tree.tq)
    r = client.post(
        "/api/v1/campaigns/reminders",
        {"assignment_ids": [tq_a.pk]},
        content_type="application/json",
        **th,
    )
    assert r.status_code == 404
    r = client.post(
        "/api/v1/campaigns/reminders", {"assignment_ids": []}, content_type="application/json",
        **th,
    )  # fmt: skip
    assert r.status_code == 422 and r.json()["code"] == "validation_error"
    r = client.post(
        "/api/v1/campaigns/reminders", {"assignment_ids": [10**30]},
        content_type="application/json", **th,
    )  # fmt: skip
    assert r.status_code == 422
    assert client.get(f"/api/v1/campaigns/assignments/{10**30}", **th).status_code == 404
    qg = _bearer(people.national_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            "/api/v1/campaigns/reminders", {"assignment_ids": [tq_a.pk]},
            content_type="application/json", **qg,
        )  # fmt: skip
    assert r.status_code == 202 and r.json()["queued"] == 1
    assert Reminder.objects.filter(assignment=tq_a, kind="manual").count() == 1
    services.assignments_mark_late(today=datetime.date(2030, 1, 1))


def test_openapi_documents_the_workspace_endpoints(client, tree, people):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for p in (
        "/api/v1/campaigns",
        "/api/v1/campaigns/{year}",
        "/api/v1/campaigns/{year}/assignments/mine",
        "/api/v1/campaigns/{year}/plans",
        "/api/v1/campaigns/assignments/{assignment_id}",
        "/api/v1/campaigns/plans/{plan_id}/completeness",
        "/api/v1/campaigns/reminders",
    ):
        assert p in paths, p


def test_assignment_detail_is_not_found_outside_the_subtree(client, tree, people):
    plan, task = make_national_plan(tree)
    tq_a = task.assignments.get(organisation=tree.tq)
    th = _bearer(people.th_coordinator)
    assert client.get(f"/api/v1/campaigns/assignments/{tq_a.pk}", **th).status_code == 404
    tq = _bearer(people.tq_coordinator)
    body = client.get(f"/api/v1/campaigns/assignments/{tq_a.pk}", **tq).json()
    assert body["task"] == "Chiến dịch truyền thông" and body["role"] == "lead"
