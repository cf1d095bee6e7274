"""The fixed API paths through HTTP, with a participant token."""

import datetime
import json

import pytest
import time_machine

from dxday.contest.models import Attempt, Question

from .factories import make_participant, make_round, participant_token_for

pytestmark = pytest.mark.django_db


def _auth(p):
    return {"HTTP_AUTHORIZATION": f"Bearer {participant_token_for(p)}"}


def _put(client, attempt_id, body, p):
    return client.put(
        f"/api/v1/contest/attempts/{attempt_id}/answers", json.dumps(body),
        content_type="application/json", **_auth(p),
    )  # fmt: skip


def test_contests_listed_by_campaign_with_rounds_and_state(
    client, world, django_assert_num_queries
):
    with django_assert_num_queries(2):
        body = client.get("/api/v1/contest/contests?campaign=2025").json()
    (c,) = body
    assert c["title"] == world.contest.title
    assert [r["state"] for r in c["rounds"]] == ["open"]
    assert client.get("/api/v1/contest/contests?campaign=2024").json() == []


def test_start_answer_submit(client, world):
    url = f"/api/v1/contest/rounds/{world.round.pk}/attempts"
    assert client.post(url).status_code == 401
    r = client.post(url, **_auth(world.alice))
    assert r.status_code == 201
    body = r.json()
    assert set(body) == {"attempt", "deadline", "questions"}
    assert "correct" not in r.content.decode() and "Giải thích" not in r.content.decode()
    again = client.post(url, **_auth(world.alice))
    assert again.status_code == 200 and again.json()["attempt"] == body["attempt"]
    answers = []
    for q in body["questions"]:
        right = Question.objects.get(pk=q["id"]).options.filter(is_correct=True)
        answers.append({"question": q["id"], "options": list(right.values_list("id", flat=True))})
    r = _put(client, body["attempt"], {"answers": answers[:3], "prediction": 2}, world.alice)
    assert r.status_code == 200, r.content
    # Another participant cannot touch it: the same 404 as a missing attempt.
    assert _put(client, body["attempt"], {"answers": []}, world.bob).status_code == 404
    r = client.post(f"/api/v1/contest/attempts/{body['attempt']}/submit", **_auth(world.alice))
    assert r.status_code == 200
    assert r.json()["score"] == 3 and r.json()["time_taken_s"] >= 0


def test_attempts_exhausted_is_409(client, world):
    url = f"/api/v1/contest/rounds/{world.round.pk}/attempts"
    for _ in range(2):
        a = client.post(url, **_auth(world.alice)).json()["attempt"]
        client.post(f"/api/v1/contest/attempts/{a}/submit", **_auth(world.alice))
    r = client.post(url, **_auth(world.alice))
    assert r.status_code == 409 and r.json()["code"] == "attempts_exhausted"
    assert Attempt.objects.filter(participant=world.alice).count() == 2


def test_time_over_for_late_answers(client, world):
    rnd = make_round(world.contest, number=3, time_limit_s=60)
    start = client.post(f"/api/v1/contest/rounds/{rnd.pk}/attempts", **_auth(world.alice)).json()
    q = start["questions"][0]
    late = datetime.datetime.fromisoformat(start["deadline"]) + datetime.timedelta(seconds=1)
    with time_machine.travel(late):
        body = {"answers": [{"question": q["id"], "options": [q["options"][0]["id"]]}]}
        r = _put(client, start["attempt"], body, world.alice)
        assert r.status_code == 409 and r.json()["code"] == "time_over"
        r = client.post(
            f"/api/v1/contest/attempts/{start['attempt']}/submit", json.dumps(body),
            content_type="application/json", **_auth(world.alice),
        )  # fmt: skip
        assert r.status_code == 409 and r.json()["code"] == "time_over"
    attempt = Attempt.objects.get(pk=start["attempt"])
    assert attempt.state == "finished" and attempt.finished_at == attempt.deadline


def test_bad_answers_are_4xx(client, world):
    start = client.post(
        f"/api/v1/contest/rounds/{world.round.pk}/attempts", **_auth(world.alice)
    ).json()
    for body in ({"answers": [{"question": 999999, "options": []}]}, {"answers": "x"},
                 {"answers": [{"question": 0, "options": []}]}, {"prediction": -1}):  # fmt: skip
        r = _put(client, start["attempt"], body, world.alice)
        assert 400 <= r.status_code < 500 and r.json()["code"]


def test_person_leaderboard_after_close_units_live(client, world):
    url = f"/api/v1/contest/rounds/{world.round.pk}/leaderboard"
    a = client.post(f"/api/v1/contest/rounds/{world.round.pk}/attempts", **_auth(world.bob)).json()[
        "attempt"
    ]
    client.post(f"/api/v1/contest/attempts/{a}/submit", **_auth(world.bob))
    r = client.get(url + "?by=person")
    assert r.status_code == 409 and r.json()["code"] == "round_open"
    r = client.get(url + "?by=organisation").json()
    assert r["rows"][0]["code"] == world.tree.tq_c1.code and r["rows"][0]["participants"] == 1
    r = client.get(url + "?by=province").json()
    assert r["rows"][0]["participants"] == 1 and r["participants"] == 1
    with time_machine.travel(world.round.closes_at + datetime.timedelta(seconds=1)):
        r = client.get(url + "?by=person").json()
    assert r["closed"] and r["rows"][0]["commune"] == world.tree.tq_c1.commune.name
    assert client.get(url + "?by=nobody").status_code == 422


def test_start_rate_limited_and_flagged(client, world, monkeypatch):
    from dxday.contest import api
    from dxday.contest.models import Flag

    monkeypatch.setattr(api, "RATE_PER_PARTICIPANT", 3)
    url = f"/api/v1/contest/rounds/{world.round.pk}/attempts"
    codes = [client.post(url, **_auth(world.alice)).status_code for _ in range(5)]
    assert codes[:3] == [201, 200, 200] and codes[3:] == [429, 429]
    flag = Flag.objects.get(kind="rate_limit")
    assert flag.participant_id == world.alice.pk and flag.count == 2


def test_participant_of_another_contest_is_refused(client, world):
    from .factories import make_contest

    other = make_contest(world.tree.th)
    stranger = make_participant(other, world.tree.th_c1.commune)
    r = client.post(f"/api/v1/contest/rounds/{world.round.pk}/attempts", **_auth(stranger))
    assert r.status_code == 403 and r.json()["code"] == "not_registered"


def test_organisation_picker_searches_without_diacritics(client, world):
    url = f"/api/v1/contest/contests/{world.contest.pk}/organisations"
    rows = client.get(url, {"q": "phuong minh xuan"}).json()
    assert [r["id"] for r in rows] == [world.tree.tq_c1.pk]
    # Outside the organiser's subtree: not offered.
    assert client.get(url, {"q": "thanh hoa"}).json() == []


def test_person_leaderboard_finishes_attempts_left_open_at_the_close(client, world):
    s = client.post(
        f"/api/v1/contest/rounds/{world.round.pk}/attempts", **_auth(world.alice)
    ).json()
    q = s["questions"][0]
    right = list(Question.objects.get(pk=q["id"]).options.filter(is_correct=True)
                 .values_list("id", flat=True))  # fmt: skip
    _put(client, s["attempt"], {"answers": [{"question": q["id"], "options": right}]}, world.alice)
    url = f"/api/v1/contest/rounds/{world.round.pk}/leaderboard?by=person"
    with time_machine.travel(world.round.closes_at + datetime.timedelta(seconds=5)):
        rows = client.get(url).json()["rows"]
    assert [(r["name"], r["score"]) for r in rows] == [("Nguyễn T. M. Anh", 1)]
