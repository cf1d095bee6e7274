"""Several servers, one truth: two real gunicorn app servers behind a real nginx, on PostgreSQL,
Redis and an S3 server process (moto), as docs/deployment.md stands dxday up.

- a person logs in on server A and carries on on server B;
- an evidence file uploaded through A downloads through B;
- the batch rate limit is shared: the two servers together allow the limit, not twice it;
- ingest stays exact while one app server is SIGKILLed in the middle of a stream through the
  balancer (the phone retries what got no answer; nothing is lost or counted twice).

It needs PostgreSQL and Redis on 127.0.0.1 whatever DATABASE_URL says (it makes its own
database and uses its own Redis database), nginx from Debian, and moto from the dev extras.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from .servers import (
    BIN,
    DOOR_TO_DOOR_WORLD,
    ROOT,
    child_env,
    drop_pg_database,
    free_port,
    fresh_pg_database,
    manage,
    moto_server,
    require_port,
    required,
    s3_client,
    s3_env,
    wait_port,
)

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

REDIS = "redis://127.0.0.1:6379/13"
RATE = 20  # batches per minute per token, low enough to reach in the test

SEED = (
    DOOR_TO_DOOR_WORLD
    + r"""
from dxday.orgs.models import Membership, Role, User
from dxday.orgs.permissions import Actor
from dxday.outreach import services
from dxday.outreach.models import TeamMember
from dxday.plans.models import Assignment, Plan, Task, UnitRole
plan = Plan.objects.create(campaign=camp, organisation=root, title="Kế hoạch")
task = Task.objects.create(plan=plan, title="Truyền thông", category="communication",
                           deadline=dt.date(2025, 10, 31))
assignment = Assignment.objects.create(task=task, organisation=committee, role=UnitRole.LEAD,
                                       deadline=dt.date(2025, 10, 31))
reporter = User.objects.create_user("xa_baocao", password="Mat-khau-rat-dai-2025",
                                    email="xa.baocao@hacthanh.gov.vn")
Membership.objects.create(user=reporter, organisation=committee, role=Role.REPORTER)
team = services.team_create(actor=None, committee=committee, village="Thôn Đông")
op = Actor(user=User(username="op", is_superuser=True, is_active=True), membership=None)
tokens = []
for i in range(2):
    member = services.team_member_add(actor=None, team=team, full_name=f"Tổ viên {i}",
                                      role=TeamMember.Role.MEMBER)
    raw, _ = services.device_token_issue(actor=op, member=member)
    tokens.append(raw)
print("SEED=" + "|".join([str(assignment.pk), *tokens]))
"""
)

CHECK = r"""
import json
from dxday.activities.models import Evidence
from dxday.outreach.models import CommuneStat, GuidanceSession
from dxday.outreach.rollups import rollups_rebuild, rollups_snapshot
incremental = rollups_snapshot()
rollups_rebuild()
print("RESULT=" + json.dumps({
    "sessions": GuidanceSession.objects.count(),
    "commune_sessions": sum(CommuneStat.objects.values_list("sessions", flat=True)),
    "rebuild_equal": incremental == rollups_snapshot(),
    "evidence": list(Evidence.objects.values_list("pk", "file")),
}))
"""


class Cluster:
    """PostgreSQL database + Redis db + moto + two gunicorn servers + nginx, all on loopback."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.procs: dict[str, subprocess.Popen] = {}
        self.db = f"dxday_cluster_{os.getpid()}"
        self.bucket = "dxday-cluster"
        self.ports = {"a": free_port(), "b": free_port()}
        self.lb_port = free_port()
        self.env = child_env(
            DXDAY_VAR_DIR=str(tmp / "var"),
            SECRET_KEY="cluster-test-" + uuid.uuid4().hex,
            HOUSEHOLD_SALT="cluster-household-" + uuid.uuid4().hex,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            REDIS_URL=REDIS,
            DXDAY_OUTREACH_RATE=f"{RATE}/60",
            WEB_CONCURRENCY="1",
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(tmp / "mail"),
            DXDAY_THREADS="4",
        )

    # --- lifecycle -------------------------------------------------------------------------

    def up(self, s3_endpoint: str) -> None:
        self.env["DATABASE_URL"] = fresh_pg_database(self.db)
        self.env.update(s3_env(s3_endpoint, self.bucket))
        self._flush_redis()
        self.manage("migrate", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        out = self.manage("shell", stdin=SEED)
        seed = next(line[5:] for line in out.splitlines() if line.startswith("SEED="))
        assignment, *self.tokens = seed.split("|")
        self.assignment = int(assignment)
        for name in self.ports:
            self.start(name)
        self._nginx()

    def down(self) -> None:
        for name in list(self.procs):
            self.stop(name)
        self._flush_redis()
        drop_pg_database(self.db)

    def _flush_redis(self) -> None:
        import redis

        redis.Redis.from_url(REDIS).flushdb()

    def _spawn(self, name: str, argv: list[str], env: dict | None = None) -> None:
        # The child keeps its own copy of the descriptor; ours closes at once.
        with open(self.tmp / f"{name}.log", "ab") as log:
            self.procs[name] = subprocess.Popen(
                argv, cwd=ROOT, env=env or self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def start(self, name: str) -> None:
        env = {**self.env, "DXDAY_BIND": f"127.0.0.1:{self.ports[name]}"}
        argv = [str(BIN / "gunicorn"), "-c", "python:dxday.gunicorn_conf", "dxday.wsgi:application"]
        self._spawn(name, argv, env)
        wait_port(self.ports[name], f"gunicorn {name}")

    def kill(self, name: str) -> None:
        """SIGKILL the master and its workers at once: no graceful anything."""
        proc = self.procs.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop(self, name: str) -> None:
        proc = self.procs.pop(name, None)
        if proc is None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)

    def _nginx(self) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        conf = self.tmp / "nginx.conf"
        upstreams = "\n".join(
            f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=30s;" for p in self.ports.values()
        )
        # Run as root (CI), nginx's workers would drop to `nobody`, who cannot enter pytest's
        # private temporary folders.
        user = "user root;" if os.geteuid() == 0 else ""
        conf.write_text(f"""
{user}
daemon off;
pid {self.tmp}/nginx.pid;
error_log {self.tmp}/nginx-error.log;
events {{}}
http {{
  access_log off;
  client_body_temp_path {self.tmp}/nginx-body;
  proxy_temp_path {self.tmp}/nginx-proxy;
  upstream dxday_app {{
{upstreams}
  }}
  server {{
    listen 127.0.0.1:{self.lb_port};
    client_max_body_size 60m;
    location / {{
      proxy_pass http://dxday_app;
      proxy_set_header Host $host;
      proxy_next_upstream error timeout http_502;
    }}
  }}
}}
""")
        self._spawn("nginx", [nginx, "-c", str(conf), "-p", str(self.tmp)])
        wait_port(self.lb_port, "nginx")

    # --- helpers ---------------------------------------------------------------------------

    def manage(self, *args: str, stdin: str | None = None) -> str:
        return manage(self.env, *args, stdin=stdin)

    def check(self) -> dict:
        out = self.manage("shell", stdin=CHECK)
        return json.loads(next(line[7:] for line in out.splitlines() if line.startswith("RESULT=")))

    def s3_object(self, key: str) -> bytes:
        s3 = s3_client(self.env["S3_ENDPOINT_URL"])
        return s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def url(self, where: str, path: str) -> str:
        port = self.lb_port if where == "lb" else self.ports[where]
        return f"http://127.0.0.1:{port}{path}"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    required(bool(shutil.which("nginx") or Path("/usr/sbin/nginx").exists()), "nginx is missing")
    require_port(5432, "PostgreSQL")
    require_port(6379, "Redis")
    c = Cluster(tmp_path_factory.mktemp("cluster"))
    with moto_server() as s3:
        try:
            c.up(s3)
            yield c
        finally:
            c.down()


class Browser:
    """A person's browser: one cookie jar, whichever server answers."""

    def __init__(self):
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> tuple[int, str, str]:
        """Status, body and the final URL after redirects."""
        try:
            with self.opener.open(url, timeout=30) as r:
                return r.status, r.read().decode(), r.url
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(), url

    def post(self, url: str, data: bytes, content_type: str) -> int:
        req = urllib.request.Request(url, data=data, method="POST")
        req.add_header("Content-Type", content_type)
        req.add_header("Referer", url)
        try:
            with self.opener.open(req, timeout=30) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code

    def csrf(self, page: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    body = "".join(parts).encode()
    for name, (filename, content, ctype) in files.items():
        body += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {ctype}\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    body += f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def _login(browser: Browser, cluster: Cluster, where: str) -> None:
    status, page, _ = browser.get(cluster.url(where, "/dang-nhap/"))
    assert status == 200
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": browser.csrf(page),
            "username": "xa_baocao",
            "password": "Mat-khau-rat-dai-2025",
        }  # fmt: skip
    ).encode()
    status = browser.post(
        cluster.url(where, "/dang-nhap/"), body, "application/x-www-form-urlencoded"
    )
    assert status == 200  # the redirect to the workspace, followed


def test_log_in_on_one_server_carry_on_on_the_other(cluster):
    browser = Browser()
    _login(browser, cluster, "a")
    status, page, final_url = browser.get(cluster.url("b", "/don-vi/"))
    assert status == 200 and "/dang-nhap/" not in final_url
    assert "UBND phường Hạc Thành" in page


def test_evidence_uploaded_through_a_downloads_through_b(cluster):
    from PIL import Image

    image = Image.new("RGB", (12, 12), (200, 30, 30))
    buf = __import__("io").BytesIO()
    image.save(buf, format="PNG")
    browser = Browser()
    _login(browser, cluster, "a")
    create = cluster.url("a", f"/activities/bao-cao/?phan_cong={cluster.assignment}")
    status, page, _ = browser.get(create)
    assert status == 200
    body, ctype = _multipart(
        {"csrfmiddlewaretoken": browser.csrf(page), "phan_cong": cluster.assignment,
         "title": "Phát thanh về Ngày Chuyển đổi số", "type": "radio",
         "starts_on": "2025-10-01", "ends_on": "2025-10-10", "description": "20 buổi"},
        {"evidence": ("anh.png", buf.getvalue(), "image/png")},
    )  # fmt: skip
    assert browser.post(create, body, ctype) == 200
    evidence = cluster.check()["evidence"]
    assert len(evidence) == 1
    pk, key = evidence[0]
    assert not (Path(cluster.env["DXDAY_VAR_DIR"]) / "media" / key).exists()  # not on A's disk
    with browser.opener.open(cluster.url("b", f"/activities/minh-chung/{pk}/"), timeout=30) as r:
        assert r.status == 200 and r.headers["Content-Type"] == "image/png"
        served = r.read()
    assert served == cluster.s3_object(key)  # the bytes in the bucket, whoever wrote them


def _batch(n: int) -> list[dict]:
    return [
        {
            "client_id": str(uuid.uuid4()),
            "occurred_at": f"2025-10-{1 + i % 9:02d}T0{7 + i % 3}:15:00+07:00",
            "households_visited": 1 + i % 3,
            "people_guided": 3 + i % 4,
            "topics": [{"topic": "vneid", "people_guided": 2, "outcome": i % 3}],
        }
        for i in range(n)
    ]


def _post_batch(url: str, token: str, sessions: list[dict], timeout: float = 30) -> int:
    req = urllib.request.Request(
        url,
        data=json.dumps({"sessions": sessions}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def test_rate_limit_is_shared_by_the_servers(cluster):
    # The limit counts in fixed one-minute windows: start well inside one.
    if time.time() % 60 > 40:
        time.sleep(61 - time.time() % 60)
    token = cluster.tokens[1]
    statuses = [
        _post_batch(
            cluster.url(("a", "b")[i % 2], "/api/v1/outreach/sessions/batch"), token, _batch(1)
        )  # fmt: skip
        for i in range(2 * RATE)
    ]
    assert statuses.count(200) == RATE, statuses
    assert statuses.count(429) == RATE, statuses


def test_ingest_stays_exact_while_one_server_is_killed(cluster):
    token = cluster.tokens[0]
    before = cluster.check()["sessions"]
    batches = [_batch(100) for _ in range(8)]  # with retries, inside one token's limit
    url = cluster.url("lb", "/api/v1/outreach/sessions/batch")
    outcome = {"sent": 0, "retries": 0}

    def stream():
        for batch in batches:
            for _attempt in range(20):  # the phone retries what got no answer
                try:
                    status = _post_batch(url, token, batch)
                except (urllib.error.URLError, ConnectionError, OSError):
                    status = None
                if status == 200:
                    break
                outcome["retries"] += 1
                time.sleep(0.5)
            else:
                raise AssertionError("a batch never went through")
            outcome["sent"] += 1

    sender = threading.Thread(target=stream)
    sender.start()
    while outcome["sent"] < 2 and sender.is_alive():
        time.sleep(0.01)
    cluster.kill("a")
    sender.join(timeout=240)
    assert not sender.is_alive() and outcome["sent"] == len(batches)

    after = cluster.check()
    assert after["sessions"] == before + 100 * len(batches)
    assert after["commune_sessions"] == after["sessions"]
    assert after["rebuild_equal"] is True
    cluster.start("a")


REPORT_JOB = r"""
from dxday.orgs.models import Organisation, User
from dxday.orgs.permissions import Actor
from dxday.plans.models import Campaign
from dxday.reports import services
op = Actor(user=User.objects.create_superuser("van_hanh", password="x" * 20), membership=None)
job = services.report_job_create(organisation=Organisation.objects.get(code="xa-16000"),
                                 campaign=Campaign.objects.get(year=2025), format="docx", by=op)
print("JOB=" + str(job.pk))
"""

JOB_STATE = r"""
from dxday.reports.models import ReportJob
job = ReportJob.objects.get(pk={pk})
size = len(job.file.read()) if job.file else 0
print("STATE=" + "|".join([job.status, job.file.name, str(size)]))
"""


def test_a_report_job_runs_on_a_real_rq_worker(cluster):
    out = cluster.manage("shell", stdin=REPORT_JOB)
    pk = int(next(line[4:] for line in out.splitlines() if line.startswith("JOB=")))

    def state() -> list[str]:
        out = cluster.manage("shell", stdin=JOB_STATE.replace("{pk}", str(pk)))
        return next(line[6:] for line in out.splitlines() if line.startswith("STATE=")).split("|")

    assert state()[0] == "queued"  # in Redis, waiting for a worker: nothing ran it in-process
    with urllib.request.urlopen(cluster.url("b", "/healthz"), timeout=10) as r:
        waiting = json.loads(r.read())["queue"]["oldest_queued_s"]
    assert waiting is not None and waiting >= 0  # /healthz sees the job waiting in RQ
    cluster.manage("rqworker", "default", "--burst", "--job-class", "django_tasks_rq.Job")
    with urllib.request.urlopen(cluster.url("b", "/healthz"), timeout=10) as r:
        assert json.loads(r.read())["queue"] == {"state": "ok", "oldest_queued_s": None}
    status, name, size = state()
    assert status == "done" and name.endswith(".docx") and int(size) > 10_000
    assert cluster.s3_object(name)[:2] == b"PK"  # the document is in the bucket


REMINDERS = r"""
from dxday.plans.models import Reminder
rows = [f"{r.kind}|{bool(r.sent_at)}|{r.attempts}" for r in Reminder.objects.all()]
print("REMINDERS=" + ";".join(rows))
"""


def test_the_daily_reminders_run_on_a_real_rq_worker(cluster):
    cluster.manage("send_reminders", "--date", "2025-10-30")  # the deadline is 31/10
    mail = Path(cluster.env["EMAIL_FILE_PATH"])
    assert not mail.exists() or not any(mail.iterdir())  # queued in Redis, not run in-process
    cluster.manage("rqworker", "default", "--burst", "--job-class", "django_tasks_rq.Job")
    out = cluster.manage("shell", stdin=REMINDERS)
    rows = next(line[10:] for line in out.splitlines() if line.startswith("REMINDERS="))
    assert rows == "before|True|1"  # one reminder, delivered at the first attempt
    messages = [p.read_text() for p in mail.iterdir()]
    assert len(messages) == 1 and "xa.baocao@hacthanh.gov.vn" in messages[0]
