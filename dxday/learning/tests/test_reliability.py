"""Reliability of the check-in batch against a REAL server (gunicorn, real HTTP):

- the same batch sent 10 times at once counts each scan once;
- SIGKILL of the whole server in the middle of a stream of batches, restart, resend
  everything, plus a second phone that scanned some of the same tickets offline: the
  attendance is exact and the roll-ups equal a rebuild.

The server runs against its own database: a file SQLite database, or, when DATABASE_URL points
to PostgreSQL, a database named `<that name>_live` on the same server (as the outreach tests).
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
TICKETS = 4200

SEED = (
    DOOR_TO_DOOR_WORLD
    + r"""
import datetime as dt, json, os
from dxday.learning import services
from dxday.learning.models import Offering, Registration
from dxday.learning.tickets import ticket_payload
from dxday.orgs.auth import token_generate
from dxday.orgs.models import ApiToken, Membership, User
from dxday.orgs.permissions import Actor
op = Actor(user=User(username="op", is_superuser=True, is_active=True), membership=None)
vn = dt.timezone(dt.timedelta(hours=7))
o = services.offering_create(actor=op, campaign=camp, organiser=committee, kind="class",
    format="in_person", title="Lớp học số", commune=c, address="Nhà văn hóa",
    starts_at=dt.datetime(2025, 10, 10, 8, tzinfo=vn), ends_at=dt.datetime(2025, 10, 10, 11,
    tzinfo=vn), capacity=None, topics=["vneid"])
regs = [Registration(offering=o, code=f"R{i:09d}", name=f"Người {i}", status="confirmed")
        for i in range(int(os.environ["TICKETS"]))]
for r in regs:
    r.fill_keys()
Registration.objects.bulk_create(regs, batch_size=1000)
ids = list(Registration.objects.filter(offering=o).order_by("id").values_list("id", flat=True))
with open(os.environ["TICKETS_FILE"], "w") as f:
    json.dump({"offering": o.pk, "tickets": [ticket_payload(o.pk, i) for i in ids]}, f)
staff = User.objects.create(username="diemdanh")
Membership.objects.create(user=staff, organisation=committee, role="checkin_staff")
raw, key_hash = token_generate()
ApiToken.objects.create(user=staff, key_hash=key_hash, prefix=raw[:8])
print("TOKEN=" + raw)
"""
)

CHECK = r"""
import json
from dxday.learning.models import CheckIn, Offering, AreaStat
from dxday.learning.rollups import rollups_snapshot, rollups_rebuild
incremental = rollups_snapshot()
o = Offering.objects.get()
rollups_rebuild()
print("RESULT=" + json.dumps({
    "counted": CheckIn.objects.filter(counted=True, registration__isnull=False).count(),
    "uncounted": CheckIn.objects.filter(counted=False).count(),
    "walk_in_rows": CheckIn.objects.filter(registration__isnull=True).count(),
    "checked_in": o.checked_in, "walk_ins": o.walk_ins,
    "area_registrants": sum(AreaStat.objects.values_list("registrants", flat=True)),
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
            "DATABASE_URL": self.database_url, "DXDAY_VAR_DIR": str(tmp),
            "SECRET_KEY": "reliability-test-" + uuid.uuid4().hex,
            "HOUSEHOLD_SALT": "reliability-test-" + uuid.uuid4().hex, "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1", "DXDAY_LEARNING_RATE": "100000/60",
            "DJANGO_SETTINGS_MODULE": "dxday.settings", "TICKETS": str(TICKETS),
            "TICKETS_FILE": str(tmp / "tickets.json"),
        }  # fmt: skip
        self.env.pop("REDIS_URL", None)
        self.proc: subprocess.Popen | None = None

    @staticmethod
    def _fresh_postgres(url: str) -> str:
        import psycopg

        base, _, name = url.rpartition("/")
        live = f"{name.split('?')[0]}_learning_live"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{live}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{live}"')
        return f"{base}/{live}"

    def manage(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, input=stdin,
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def prepare(self) -> None:
        self.manage("migrate", "-v0")
        out = self.manage("shell", stdin=SEED)
        self.token = next(line[6:] for line in out.splitlines() if line.startswith("TOKEN="))
        data = json.loads((self.tmp / "tickets.json").read_text())
        self.offering, self.tickets = data["offering"], data["tickets"]

    def start(self) -> None:
        with open(self.tmp / "gunicorn.log", "ab") as log:
            self.proc = subprocess.Popen(
                [GUNICORN, "dxday.wsgi:application", "-b", f"127.0.0.1:{self.port}", "-w", "2",
                 "--threads", "4", "--timeout", "60", "--graceful-timeout", "1"],
                cwd=ROOT, env=self.env, start_new_session=True, stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url("/api/v1/learning/totals?by=kind"), timeout=2)
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.3)
        raise AssertionError("gunicorn did not start: " + (self.tmp / "gunicorn.log").read_text())

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: no graceful anything."""
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
    srv = Server(tmp_path_factory.mktemp("learning-live"))
    srv.prepare()
    srv.start()
    yield srv
    srv.stop()


def _scan(srv, ticket: str, device: str = "may-1") -> dict:
    return {"nonce": str(uuid.uuid4()), "offering": srv.offering, "ticket": ticket,
            "scanned_at": "2025-10-10T08:05:00+07:00", "device": device}  # fmt: skip


def _walk_in(srv) -> dict:
    return {"nonce": str(uuid.uuid4()), "offering": srv.offering, "walk_ins": 2,
            "age_group": "60+", "scanned_at": "2025-10-10T08:10:00+07:00"}  # fmt: skip


def _post(srv: Server, checkins: list[dict], timeout: float = 60) -> dict:
    req = urllib.request.Request(
        srv.url("/api/v1/learning/checkins/batch"),
        data=json.dumps({"checkins": checkins}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {srv.token}"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return json.loads(resp.read())


def test_batch_resent_ten_times_at_once_counts_once(server):
    batch = [_scan(server, t) for t in server.tickets[:190]] + [_walk_in(server) for _ in range(10)]
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
    after = server.check()
    assert (after["counted"], after["checked_in"], after["walk_ins"]) == (190, 190, 20)
    assert after["uncounted"] == 0 and after["rebuild_equal"] is True


@pytest.mark.slow
def test_sigkill_mid_batch_then_resend_is_exact(server):
    tickets = server.tickets[190:]
    batches = [
        [_scan(server, t) for t in tickets[i : i + 490]] + [_walk_in(server) for _ in range(10)]
        for i in range(0, 8 * 490, 490)
    ]
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
    # A second phone scanned 100 of the same tickets while offline: shown, never counted.
    second = _post(server, [_scan(server, t, device="may-2") for t in tickets[:100]])
    assert (second["accepted"], second["duplicates"]) == (0, 100)
    assert len(second["duplicate_scans"]) == 100
    after = server.check()
    assert after["counted"] == after["checked_in"] == 190 + 8 * 490
    assert after["walk_ins"] == 20 + 8 * 10 * 2
    assert after["uncounted"] == 100
    assert after["area_registrants"] == after["counted"]
    assert after["rebuild_equal"] is True
