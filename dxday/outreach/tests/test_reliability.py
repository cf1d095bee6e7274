"""Reliability against a REAL server: gunicorn processes on a free port, over real HTTP.

- a retry storm (the same batch sent 10 times at once) counts each session once;
- SIGKILL of the whole server in the middle of a stream of batches, restart, resend: the
  totals are exact (nothing lost, nothing counted twice, roll-ups equal a rebuild).

The server runs against its own database: a file SQLite database, or, when DATABASE_URL
points to PostgreSQL, a database named `<that name>_live` on the same server.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from dxday.core.tests.servers import DOOR_TO_DOOR_WORLD, free_port

ROOT = Path(__file__).resolve().parents[3]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")

SEED = (
    DOOR_TO_DOOR_WORLD
    + r"""
from dxday.outreach import services
from dxday.outreach.models import TeamMember
team = services.team_create(actor=None, committee=committee, village="Thôn Đông")
member = services.team_member_add(actor=None, team=team, full_name="Tổ viên",
                                  role=TeamMember.Role.MEMBER)
from dxday.orgs.permissions import Actor
from dxday.orgs.models import User
op = Actor(user=User(username="op", is_superuser=True, is_active=True), membership=None)
raw, _ = services.device_token_issue(actor=op, member=member)
print("TOKEN=" + raw)
"""
)

CHECK = r"""
import json
from dxday.outreach.models import GuidanceSession, CommuneStat
from dxday.outreach.rollups import rollups_snapshot, rollups_rebuild
incremental = rollups_snapshot()
rollups_rebuild()
print("RESULT=" + json.dumps({
    "sessions": GuidanceSession.objects.count(),
    "commune_sessions": sum(CommuneStat.objects.values_list("sessions", flat=True)),
    "rebuild_equal": incremental == rollups_snapshot(),
}))
"""


class Server:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.port = free_port()
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith("postgres"):
            self.database_url = self._fresh_postgres(url)
        else:
            self.database_url = f"sqlite:///{tmp / 'live.sqlite3'}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
            "DATABASE_URL": self.database_url,
            "DXDAY_VAR_DIR": str(tmp),
            "SECRET_KEY": "reliability-test-" + uuid.uuid4().hex,
            "HOUSEHOLD_SALT": "reliability-test-" + uuid.uuid4().hex,
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DXDAY_OUTREACH_RATE": "100000/60",
            "DJANGO_SETTINGS_MODULE": "dxday.settings",
        }
        self.env.pop("REDIS_URL", None)
        self.proc: subprocess.Popen | None = None

    @staticmethod
    def _fresh_postgres(url: str) -> str:
        import psycopg

        base, _, name = url.rpartition("/")
        live = f"{name.split('?')[0]}_live"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{live}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{live}"')
        return f"{base}/{live}"

    def manage(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, input=stdin,
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def prepare(self) -> str:
        self.manage("migrate", "-v0")
        out = self.manage("shell", stdin=SEED)
        return next(line[6:] for line in out.splitlines() if line.startswith("TOKEN="))

    def start(self) -> None:
        with open(self.tmp / "gunicorn.log", "ab") as log:
            self._spawn(log)
        self._wait_ready()

    def _spawn(self, log) -> None:
        self.proc = subprocess.Popen(
            [GUNICORN, "dxday.wsgi:application", "-b", f"127.0.0.1:{self.port}", "-w", "2",
             "--threads", "4", "--timeout", "60", "--graceful-timeout", "1"],
            cwd=ROOT, env=self.env, start_new_session=True,
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def _wait_ready(self) -> None:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url("/api/v1/outreach/totals?by=day"), timeout=2)
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.3)
        raise AssertionError("gunicorn did not start: " + (self.tmp / "gunicorn.log").read_text())

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: no graceful anything."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)
            self.proc = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def check(self) -> dict:
        out = self.manage("shell", stdin=CHECK)
        return json.loads(next(line[7:] for line in out.splitlines() if line.startswith("RESULT=")))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(GUNICORN).exists():
        pytest.skip("gunicorn is not installed in this environment")
    srv = Server(tmp_path_factory.mktemp("live"))
    srv.token = srv.prepare()
    srv.start()
    yield srv
    srv.stop()


def _session(i: int) -> dict:
    return {
        "client_id": str(uuid.uuid4()),
        "occurred_at": f"2025-10-{1 + i % 9:02d}T0{7 + i % 3}:15:00+07:00",
        "households_visited": 1 + i % 3,
        "people_guided": 3 + i % 4,
        "topics": [{"topic": "vneid", "people_guided": 2, "outcome": i % 3},
                   {"topic": "an-toan-so", "people_guided": 3, "outcome": 1}],
    }  # fmt: skip


def _post(srv: Server, sessions: list[dict], timeout: float = 60) -> dict:
    req = urllib.request.Request(
        srv.url("/api/v1/outreach/sessions/batch"),
        data=json.dumps({"sessions": sessions}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {srv.token}"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return json.loads(resp.read())


def _commune_sessions(srv: Server) -> int:
    # Anonymous readers get the public totals from the page cache (30 s); the cache serves no
    # caller that sends credentials, so this reads the live figures.
    request = urllib.request.Request(
        srv.url("/api/v1/outreach/totals?campaign=2025&by=commune"),
        headers={"Authorization": "Bearer live-figures"},
    )
    with urllib.request.urlopen(request) as r:
        return sum(row["sessions"] for row in json.loads(r.read()))


def test_retry_storm_counts_each_session_once(server):
    before = _commune_sessions(server)
    batch = [_session(i) for i in range(200)]
    results, errors = [], []

    def send():
        try:
            results.append(_post(server, batch))
        except Exception as exc:  # noqa: BLE001 — recorded and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=send) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(r["accepted"] for r in results) == 200
    assert all(r["accepted"] + r["duplicates"] == 200 and not r["rejected"] for r in results)
    assert _commune_sessions(server) == before + 200


@pytest.mark.slow
def test_sigkill_mid_batch_then_resend_is_exact(server):
    before = server.check()["sessions"]
    batches = [[_session(i) for i in range(500)] for _ in range(8)]
    outcome = {"ok": 0, "failed": 0}

    def stream():
        for batch in batches:
            try:
                _post(server, batch, timeout=30)
                outcome["ok"] += 1
            except (urllib.error.URLError, ConnectionError, OSError):
                outcome["failed"] += 1

    sender = threading.Thread(target=stream)
    sender.start()
    while outcome["ok"] < 1 and sender.is_alive():
        time.sleep(0.01)
    time.sleep(0.05)  # inside the next batch
    server.kill()
    sender.join()
    assert outcome["failed"] >= 1, "the kill did not interrupt any batch"

    server.start()
    accepted = duplicates = 0
    for batch in batches:  # the phone resends everything it has no answer for (and more)
        result = _post(server, batch)
        assert not result["rejected"]
        accepted += result["accepted"]
        duplicates += result["duplicates"]
    assert accepted + duplicates == 4000
    after = server.check()
    assert after["sessions"] == before + 4000
    assert after["commune_sessions"] == after["sessions"]
    assert after["rebuild_equal"] is True
