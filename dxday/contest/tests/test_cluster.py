"""The contest on real servers: two gunicorns behind nginx on PostgreSQL and Redis (the
two-server setup of dxday/core/tests/test_cluster.py).

- scale-out: an attempt started on server A is answered on B and submitted through the
  balancer, with the right score and the deadline A stamped;
- SIGKILL: participants start, answer and submit through the balancer while server A is
  killed mid-round (each client retries what got no answer: start, save and submit are all
  idempotent); then A restarts. No attempt is lost or doubled and no score changes.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request

import pytest

from dxday.core.tests.test_cluster import Cluster

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

N_PEOPLE = 40

CONTEST_SEED = r"""
import datetime as dt
import json
from django.utils import timezone
from dxday.contest import services
from dxday.contest.models import Participant
from dxday.orgs.models import Commune, Organisation
from dxday.plans.models import Campaign
from dxday.contest.tests.factories import make_identity, participant_token_for
camp = Campaign.objects.get(year=2025)
root = Organisation.objects.get(code="bo")
commune = Commune.objects.get(code="16000")
contest = services.contest_create(actor=None, campaign=camp, organiser=root, title="Thi",
                                  nationwide=True)
for i in range(12):
    services.question_create(actor=None, contest=contest, text=f"Câu {i}?", topic="dx",
        status="approved", options=[(f"Đúng {i}", True), (f"Sai {i}", False)], audit_it=False)
now = timezone.now()
rnd = services.round_create(actor=None, contest=contest, number=1,
    opens_at=now - dt.timedelta(minutes=1), closes_at=now + dt.timedelta(hours=2),
    questions_per_attempt=6, time_limit_s=1800, attempts_allowed=1, quotas={})
tokens = []
for i in range(%(n)d):
    p = Participant.objects.create(contest=contest, full_name=f"Người {i}", birth_year=1990,
                                   identity=make_identity(f"n{i}@example.vn"),
                                   province_id=commune.province_id, commune=commune)
    tokens.append(participant_token_for(p))
print("CONTEST=" + json.dumps({"round": rnd.pk, "tokens": tokens}))
"""

CHECK = r"""
import json
from django.db.models import Count
from dxday.contest.models import Attempt
from dxday.contest.rollups import rollups_rebuild, rollups_snapshot
live = rollups_snapshot()
rollups_rebuild()
print("RESULT=" + json.dumps({
    "attempts": Attempt.objects.count(),
    "per_person": sorted(set(Attempt.objects.values("participant").annotate(n=Count("id"))
                             .values_list("n", flat=True))),
    "scores": dict(Attempt.objects.values_list("participant_id", "score")),
    "states": sorted(set(Attempt.objects.values_list("state", flat=True))),
    "rebuild_equal": live == rollups_snapshot(),
}))
"""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    import shutil
    from pathlib import Path

    from dxday.core.tests.servers import moto_server, require_port, required

    required(bool(shutil.which("nginx") or Path("/usr/sbin/nginx").exists()), "nginx is missing")
    require_port(5432, "PostgreSQL")
    require_port(6379, "Redis")
    c = Cluster(tmp_path_factory.mktemp("contest-cluster"))
    with moto_server() as s3:
        try:
            c.up(s3)
            out = c.manage("shell", stdin=CONTEST_SEED.replace("%(n)d", str(N_PEOPLE)))
            seed = next(x[8:] for x in out.splitlines() if x.startswith("CONTEST="))
            c.contest = json.loads(seed)
            yield c
        finally:
            c.down()


def call(url: str, method: str, token: str, body=None, timeout: float = 30):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})  # fmt: skip
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, _json(r.read())
    except urllib.error.HTTPError as e:
        return e.code, _json(e.read())


def _json(raw: bytes):
    """JSON from dxday; the balancer's own 502 page is HTML."""
    try:
        return json.loads(raw or b"{}")
    except ValueError:
        return {"raw": raw[:200].decode(errors="replace")}


def right_answers(questions) -> list[dict]:
    return [
        {"question": q["id"],
         "options": [o["id"] for o in q["options"] if o["text"].startswith("Đúng")]}
        for q in questions
    ]  # fmt: skip


def check(cluster) -> dict:
    out = cluster.manage("shell", stdin=CHECK)
    return json.loads(next(x[7:] for x in out.splitlines() if x.startswith("RESULT=")))


def test_started_on_a_answered_on_b_submitted_through_the_balancer(cluster):
    rnd, token = cluster.contest["round"], cluster.contest["tokens"][0]
    status, start = call(cluster.url("a", f"/api/v1/contest/rounds/{rnd}/attempts"), "POST", token)
    assert status == 201
    status, again = call(cluster.url("b", f"/api/v1/contest/rounds/{rnd}/attempts"), "POST", token)
    assert status == 200 and again["attempt"] == start["attempt"]
    assert again["deadline"] == start["deadline"]
    answers = right_answers(start["questions"])
    aid = start["attempt"]
    status, saved = call(cluster.url("b", f"/api/v1/contest/attempts/{aid}/answers"), "PUT",
                         token, {"answers": answers[:5], "prediction": 40})  # fmt: skip
    assert status == 200 and saved["deadline"] == start["deadline"]
    url = cluster.url("lb", f"/api/v1/contest/attempts/{aid}/submit")
    status, result = call(url, "POST", token)
    assert status == 200 and result["score"] == 5


def _play(cluster, token: str, results: dict, errors: list) -> None:
    """One participant through the balancer, retrying whatever got no answer."""
    rnd = cluster.contest["round"]

    def retry(method, path, body=None):
        for _ in range(60):
            try:
                status, out = call(cluster.url("lb", path), method, token, body, timeout=10)
            except OSError:
                time.sleep(0.3)
                continue
            if status in (502, 503, 504):
                time.sleep(0.3)
                continue
            return status, out
        raise AssertionError(f"{method} {path}: no answer")

    try:
        status, start = retry("POST", f"/api/v1/contest/rounds/{rnd}/attempts")
        assert status in (200, 201), start
        aid = start["attempt"]
        for a in right_answers(start["questions"]):
            status, out = retry("PUT", f"/api/v1/contest/attempts/{aid}/answers", {"answers": [a]})
            assert status == 200, out
        status, out = retry("POST", f"/api/v1/contest/attempts/{aid}/submit")
        assert status == 200, out
        results[token] = out["score"]
    except Exception as exc:  # noqa: BLE001 — asserted by the test
        errors.append(exc)


def test_sigkill_mid_round_loses_and_doubles_nothing(cluster):
    tokens = cluster.contest["tokens"][1:]
    results: dict = {}
    errors: list = []
    threads = [threading.Thread(target=_play, args=(cluster, t, results, errors)) for t in tokens]
    for i, t in enumerate(threads):
        t.start()
        if i == len(threads) // 2:
            cluster.kill("a")
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors[:3]
    assert set(results.values()) == {6} and len(results) == len(tokens)
    before = check(cluster)
    assert before["per_person"] == [1] and before["attempts"] == N_PEOPLE
    assert before["states"] == ["finished"] and before["rebuild_equal"]
    cluster.start("a")
    # Resubmitting after the restart changes nothing.
    url = cluster.url("a", f"/api/v1/contest/rounds/{cluster.contest['round']}/attempts")
    for token in tokens[:5]:
        status, start = call(url, "POST", token)
        assert status == 409 and start["code"] == "attempts_exhausted"
    after = check(cluster)
    assert after["scores"] == before["scores"] and after["attempts"] == before["attempts"]
