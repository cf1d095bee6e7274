from __future__ import annotations

import datetime

import pytest
import time_machine

from dxday.awards import services
from dxday.awards.models import Result
from dxday.identity.services import identity_token_issue

from .conftest import make_identity, nominate, submitted_entry

pytestmark = pytest.mark.django_db


def bearer(identity):
    return {"HTTP_AUTHORIZATION": f"Bearer {identity_token_issue(identity=identity, purpose='t')}"}


def test_programmes_list_shape(client, programme):
    body = client.get("/api/v1/awards/programmes").json()
    assert body[0]["id"] == programme.pk and body[0]["year"] == 2024
    assert [c["code"] for c in body[0]["categories"]] == ["1", "2", "3", "4", "5"]
    assert set(body[0]) == {
        "id", "year", "name", "kind", "entries_open", "entries_close", "categories"
    }  # fmt: skip


def test_entry_through_the_api_and_the_deadline(client, programme):
    identity = make_identity()
    auth = bearer(identity)
    url = f"/api/v1/awards/programmes/{programme.pk}/entries"
    entry = {"category": "3", "title": "Ví điện tử X", "answers": {"tom_tat": "..."}}
    assert client.post(url, entry, content_type="application/json").status_code == 401
    no_profile = client.post(url, entry, content_type="application/json", **auth)
    assert no_profile.status_code == 409 and no_profile.json()["code"] == "applicant_required"
    profile = client.put(
        "/api/v1/awards/applicant",
        {"kind": "organisation", "name": "Công ty X", "org_type": "enterprise"},
        content_type="application/json",
        **auth,
    )
    assert profile.status_code == 200
    bad_cat = client.post(url, {**entry, "category": "9"}, content_type="application/json", **auth)
    assert bad_cat.status_code == 422 and bad_cat.json()["code"] == "unknown_category"
    created = client.post(url, {**entry, "submit": True}, content_type="application/json", **auth)
    assert created.status_code == 201 and created.json()["status"] == "submitted"
    with time_machine.travel(programme.entries_close + datetime.timedelta(minutes=1)):
        late = client.post(url, entry, content_type="application/json", **auth)
    assert late.status_code == 409 and late.json()["code"] == "entries_closed"
    assert "hết hạn" in late.json()["message"]
    ineligible = client.post(
        url, {**entry, "category": "1"}, content_type="application/json", **auth
    )
    assert ineligible.status_code == 422 and ineligible.json()["code"] == "not_eligible"


def test_results_only_once_published(client, programme, people):
    url = f"/api/v1/awards/programmes/{programme.pk}/results"
    early = client.get(url)
    assert early.status_code == 404 and early.json()["code"] == "results_not_published"
    organiser = people.actor(people.national_coordinator)
    entry = submitted_entry(programme)
    services.entry_screen(by=organiser, entry=entry, verdict="eligible")
    for phase in ("screening", "scoring", "deliberation"):
        services.phase_set(by=organiser, programme=programme, phase=phase)
    services.result_set(by=organiser, entry=entry, award="winner", citation="Xuất sắc.")
    assert client.get(url).status_code == 404
    services.results_publish(by=organiser, programme=programme)
    (row,) = client.get(url).json()
    assert row["award"] == "winner" and row["entry"] == "Nền tảng số ABC"
    cert = client.get(f"/api/v1/certificates/{row['certificate']}").json()
    assert cert["status"] == "valid" and cert["name"] == entry.applicant.name
    assert Result.objects.get().certificate_code == row["certificate"]


def test_candidates_and_votes(client, people, honours):
    candidates = nominate(people, honours, n=4)
    listed = client.get("/api/v1/honours/candidates", {"campaign": 2024}).json()
    assert {c["id"] for c in listed} == {c.pk for c in candidates}
    assert client.get("/api/v1/honours/candidates", {"campaign": 2023}).json() == []
    voter = make_identity()
    auth = bearer(voter)
    url = f"/api/v1/honours/candidates/{candidates[0].pk}/votes"
    assert client.post(url).status_code == 401
    first = client.post(url, **auth)
    assert first.status_code == 201 and first.json() == {
        "candidate": candidates[0].pk, "votes": 1, "votes_left": 2
    }  # fmt: skip
    again = client.post(url, **auth)
    assert again.status_code == 409 and again.json()["code"] == "already_voted"
    for c in candidates[1:3]:
        assert client.post(f"/api/v1/honours/candidates/{c.pk}/votes", **auth).status_code == 201
    over = client.post(f"/api/v1/honours/candidates/{candidates[3].pk}/votes", **auth)
    assert over.status_code == 409 and over.json()["code"] == "vote_limit"
    assert client.post("/api/v1/honours/candidates/999999/votes", **auth).status_code == 404
    # The public sees counts, never voters.
    listed = client.get("/api/v1/honours/candidates").json()
    assert "voter" not in repr(listed) and sorted(c["votes"] for c in listed) == [0, 1, 1, 1]


def test_vote_rate_limit_per_address(client, people, honours, settings):
    (candidate,) = nominate(people, honours, n=1)
    codes = []
    for _ in range(32):
        r = client.post(
            f"/api/v1/honours/candidates/{candidate.pk}/votes",
            REMOTE_ADDR="198.51.100.20",
            **bearer(make_identity()),
        )
        codes.append(r.status_code)
    assert codes.count(201) == 30 and codes[-1] == 429
