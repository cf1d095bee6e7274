"""The fixed API paths through HTTP: shapes, errors, limits."""

from __future__ import annotations

import pytest
from django.test import override_settings

from dxday.orgs.tests.factories import actor_of

from .. import services
from .conftest import make_offering, scan, walk_in

pytestmark = pytest.mark.django_db

BASE = "/api/v1/learning"


def _bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_offerings_public_list(client, offering, organiser, campaign, tree, people,
                               django_assert_num_queries):  # fmt: skip
    make_offering(actor_of(people.tq_coordinator), campaign, tree.tq_c1, title="Lớp AI Tuyên Quang",
                  topics=["ai"], capacity=None)  # fmt: skip
    services.registration_create(offering=offering, name="Nguyễn An")
    with django_assert_num_queries(3):  # campaign, offerings, their topics
        rows = client.get(f"{BASE}/offerings?campaign=2025&province=38").json()
    assert [(r["id"], r["seats_left"]) for r in rows] == [(offering.pk, 4)]
    assert rows[0]["campaign"] == 2025 and rows[0]["topics"] == ["dich-vu-cong", "vneid"]
    found = client.get(f"{BASE}/offerings", {"campaign": 2025, "q": "lop ai tuyen"}).json()
    assert [r["title"] for r in found] == ["Lớp AI Tuyên Quang"]
    assert found[0]["seats_left"] is None
    assert client.get(f"{BASE}/offerings?kind=training").json() == []
    assert client.get(f"{BASE}/offerings?kind=nope").status_code == 422
    assert client.get(f"{BASE}/offerings?campaign=1999").json() == []


def test_register_confirmed_then_waitlisted_then_closed(client, offering, organiser):
    url = f"{BASE}/offerings/{offering.pk}/registrations"
    answers = [
        client.post(url, {"name": f"Người {i}", "commune": "16000", "contact": ""},
                    content_type="application/json")
        for i in range(6)
    ]  # fmt: skip
    assert [a.status_code for a in answers] == [201] * 6
    body = answers[0].json()
    assert set(body) == {"code", "status", "qr"} and body["qr"].startswith("L1.")
    assert [a.json()["status"] for a in answers] == ["confirmed"] * 5 + ["waitlisted"]
    # The contact is never part of any public answer.
    client.post(url, {"name": "Có SĐT", "contact": "0912345678"}, content_type="application/json")
    assert "0912345678" not in client.get(f"{BASE}/offerings").content.decode()
    bad = client.post(url, {"name": "X", "commune": "99999"}, content_type="application/json")
    assert bad.status_code == 422
    services.offering_update(actor=organiser, offering=offering, registration_open=False)
    closed = client.post(url, {"name": "Muộn"}, content_type="application/json")
    assert closed.status_code == 409 and closed.json()["code"] == "registration_closed"
    assert client.post(f"{BASE}/offerings/999999/registrations", {"name": "X"},
                       content_type="application/json").status_code == 404  # fmt: skip


def test_ticket_page_api_and_cancel(client, offering):
    reg = services.registration_create(offering=offering, name="Nguyễn An")
    got = client.get(f"{BASE}/registrations/{reg.code.lower()}").json()
    assert got["status"] == "confirmed" and got["qr"].startswith("L1.")
    assert client.delete(f"{BASE}/registrations/{reg.code}").json()["status"] == "cancelled"
    assert client.get(f"{BASE}/registrations/NOPE").status_code == 404


@override_settings(DXDAY={"LEARNING_REGISTRATION_RATE": "3/60"})
def test_registration_rate_limited(client, offering):
    url = f"{BASE}/offerings/{offering.pk}/registrations"
    codes = [
        client.post(url, {"name": "A"}, content_type="application/json").status_code
        for _ in range(4)
    ]
    assert codes == [201, 201, 201, 429]


def test_checkin_batch(client, offering, staff_token, tree, people):
    regs = [services.registration_create(offering=offering, name=f"N {i}") for i in range(4)]
    batch = [scan(regs[0], device="a"), scan(regs[1]), scan(regs[2]), scan(regs[3]),
             scan(regs[0], device="b"), walk_in(offering, 7), {"nonce": "x"}]  # fmt: skip
    url = f"{BASE}/checkins/batch"
    r = client.post(url, {"checkins": batch}, content_type="application/json",
                    **_bearer(staff_token))  # fmt: skip
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["accepted"], body["duplicates"]) == (5, 1)
    assert [x["index"] for x in body["rejected"]] == [6]
    assert body["duplicate_scans"][0]["first_device"] == "a"
    again = client.post(url, {"checkins": batch}, content_type="application/json",
                        **_bearer(staff_token)).json()  # fmt: skip
    assert (again["accepted"], again["duplicates"]) == (0, 6)
    offering.refresh_from_db()
    assert offering.attendance == 4 + 7
    totals = client.get(f"{BASE}/totals?campaign=2025&province=38&by=kind").json()
    assert totals == [{"kind": "class", "name": "Lớp học số", "registrants": 4, "walk_ins": 7,
                       "attendance": 11, "province": None, "commune": None, "topic": None,
                       "audience": None}]  # fmt: skip
    by_audience = client.get(f"{BASE}/totals?by=audience").json()
    assert by_audience[0]["audience"] == "citizens"
    assert client.get(f"{BASE}/totals?by=nope").status_code == 422


def test_checkin_batch_guards(client, offering, staff_token, people):
    url = f"{BASE}/checkins/batch"
    assert client.post(url, {"checkins": []}, content_type="application/json").status_code == 401
    big = [walk_in(offering) for _ in range(501)]
    r = client.post(url, {"checkins": big}, content_type="application/json",
                    **_bearer(staff_token))  # fmt: skip
    assert r.status_code == 413 and r.json()["code"] == "batch_too_large"
    from .conftest import token_for

    viewer = token_for(people.th_viewer)
    r = client.post(url, {"checkins": []}, content_type="application/json", **_bearer(viewer))
    assert r.status_code == 403
    with override_settings(DXDAY={"LEARNING_RATE": "2/60"}):
        codes = [
            client.post(url, {"checkins": []}, content_type="application/json",
                        **_bearer(staff_token)).status_code
            for _ in range(3)
        ]  # fmt: skip
    assert codes[-1] == 429


def test_checkin_config_and_revocations(client, offering, staff_token, campaign, tree, people):
    other = make_offering(actor_of(people.tq_coordinator), campaign, tree.tq_c1)
    reg = services.registration_create(offering=offering, name="Hủy")
    services.registration_cancel(registration=reg)
    config = client.get(f"{BASE}/checkin/config", **_bearer(staff_token)).json()
    assert [o["id"] for o in config["offerings"]] == [offering.pk]
    assert config["offerings"][0]["revoked"] == [reg.pk] and config["offerings"][0]["key"]
    rev = client.get(f"{BASE}/checkin/revocations?offering={offering.pk}", **_bearer(staff_token))
    assert rev.json() == {"offering": offering.pk, "revoked": [reg.pk]}
    hidden = client.get(f"{BASE}/checkin/revocations?offering={other.pk}", **_bearer(staff_token))
    assert hidden.status_code == 404
    services.registration_create(offering=offering, name="Trần Thị Bình")
    found = client.get(f"{BASE}/checkin/lookup?offering={offering.pk}&q=tran thi",
                       **_bearer(staff_token)).json()  # fmt: skip
    assert [f["name"] for f in found] == ["Trần Thị Bình"]
