"""The production-like stack of the hardening bench, all on 127.0.0.1: a fresh PostgreSQL
database, a Redis database of its own, gunicorn app servers started with dxday/gunicorn_conf.py
and Debian's nginx in front, as docs/deployment.md stands dxday up (the approach of
dxday/core/tests/test_cluster.py). Every process is stopped and the database dropped on exit,
error or Ctrl-C included."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import uuid
from pathlib import Path

from dxday.core.tests.servers import (
    BIN,
    ROOT,
    child_env,
    drop_pg_database,
    free_port,
    fresh_pg_database,
    manage,
    wait_port,
)

from ..db import BENCH_VAR

REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
DB_NAME = "dxday_bench_hardening"
COOLOFF_MINUTES = 1  # the smallest window the setting allows (whole minutes)
H1_USER, H1_PASSWORD = "bench.h1", "Mat-khau-bench-H1-2025"
PAGE_USER, PAGE_PASSWORD = "bench.h3", "Mat-khau-bench-H3-2025"

SEED = r"""
from dxday.orgs.models import Membership, Organisation, Role, User
from dxday.orgs.permissions import Actor
from dxday.outreach import services
from dxday.outreach.models import TeamMember
for name, password, role in (("{h1}", "{h1p}", Role.VIEWER), ("{h3}", "{h3p}", Role.COORDINATOR)):
    user = User.objects.create_user(name, password=password, full_name=name)
    Membership.objects.create(user=user, organisation=Organisation.objects.get(code="bo-khcn"),
                              role=role)
committee = Organisation.objects.get(code="xa-14797")
op = Actor(user=User(username="op", is_superuser=True, is_active=True), membership=None)
tokens = []
for t in range({teams}):
    team = services.team_create(actor=None, committee=committee, village=f"Tổ bench {{t}}")
    member = services.team_member_add(actor=None, team=team, full_name=f"Tổ viên bench {{t}}",
                                      role=TeamMember.Role.MEMBER)
    raw, _ = services.device_token_issue(actor=op, member=member)
    tokens.append(raw)
print("TOKENS=" + "|".join(tokens))
"""


class Stack:
    """Database, Redis db, app servers and balancers; `with Stack() as s:` cleans up."""

    def __init__(self, *, tokens: int = 16, log=print):
        self.log = log
        self.tmp = BENCH_VAR / "hardening"
        self.procs: dict[str, subprocess.Popen] = {}
        self.ports: dict[str, int] = {}
        self.n_tokens = tokens
        self.tokens: list[str] = []
        self.env = child_env(
            DXDAY_VAR_DIR=str(self.tmp / "var"),
            SECRET_KEY="bench-hardening-" + uuid.uuid4().hex,
            HOUSEHOLD_SALT="bench-household-" + uuid.uuid4().hex,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            REDIS_URL=REDIS,
            # Far above the bench's traffic: the per-token limit must not shape a figure.
            DXDAY_OUTREACH_RATE="1000000000/60",
            DXDAY_LOGIN_COOLOFF_MINUTES=str(COOLOFF_MINUTES),
            DXDAY_THREADS="4",
        )
        self.env.pop("DXDAY_LOGIN_FAILURE_LIMIT", None)  # the production default (settings)

    # --- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> Stack:
        self._old_term = signal.signal(signal.SIGTERM, _terminate)
        try:
            self.up()
        except BaseException:
            self.down()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.down()
        signal.signal(signal.SIGTERM, self._old_term)

    def up(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.tmp.mkdir(parents=True)
        t0 = time.monotonic()
        self.env["DATABASE_URL"] = fresh_pg_database(DB_NAME)
        self.flush_redis()
        manage(self.env, "migrate", "-v0")
        manage(self.env, "collectstatic", "--noinput", "-v0")
        manage(self.env, "demo", timeout=900)
        out = manage(self.env, "shell", stdin=SEED.format(
            h1=H1_USER, h1p=H1_PASSWORD, h3=PAGE_USER, h3p=PAGE_PASSWORD, teams=self.n_tokens,
        ))  # fmt: skip
        line = next(x for x in out.splitlines() if x.startswith("TOKENS="))
        self.tokens = line[len("TOKENS=") :].split("|")
        self.log(f"  stack ready in {time.monotonic() - t0:.0f} s (database {DB_NAME}, {REDIS})")

    def down(self) -> None:
        for name in list(self.procs):
            self.stop(name)
        try:
            self.flush_redis()
        except Exception as exc:  # noqa: BLE001 — cleanup goes on
            self.log(f"  redis flush failed: {exc}")
        try:
            drop_pg_database(DB_NAME)
        except Exception as exc:  # noqa: BLE001
            self.log(f"  drop database failed: {exc}")

    def flush_redis(self) -> None:
        import redis

        redis.Redis.from_url(REDIS).flushdb()

    # --- processes -------------------------------------------------------------------------

    def _spawn(self, name: str, argv: list[str], env: dict) -> subprocess.Popen:
        with open(self.tmp / f"{name}.log", "ab") as log:
            proc = subprocess.Popen(
                argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self.procs[name] = proc
        return proc

    def gunicorn(
        self, name: str, *, workers: int = 1, env: dict | None = None, args: tuple = ()
    ) -> int:
        """A gunicorn app server as deployed (`-c python:dxday.gunicorn_conf`); its port.
        `args` are command-line settings, which take precedence over the config file."""
        port = free_port()
        child = {**self.env, **(env or {})}
        child.update(DXDAY_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY=str(workers))
        argv = [str(BIN / "gunicorn"), "-c", "python:dxday.gunicorn_conf", "dxday.wsgi:application"]
        self._spawn(name, [*argv, *args], child)
        wait_port(port, f"gunicorn {name}")
        self.ports[name] = port
        return port

    def nginx(self, name: str, upstream_ports: list[int]) -> int:
        """Debian's nginx balancing over `upstream_ports` (round robin, as test_cluster)."""
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        port = free_port()
        base = self.tmp / name
        base.mkdir(exist_ok=True)
        upstreams = "\n".join(f"    server 127.0.0.1:{p};" for p in upstream_ports)
        user = "user root;" if os.geteuid() == 0 else ""
        (base / "nginx.conf").write_text(f"""
{user}
daemon off;
worker_processes 1;
pid {base}/nginx.pid;
error_log {base}/error.log;
events {{}}
http {{
  access_log off;
  client_body_temp_path {base}/body;
  proxy_temp_path {base}/proxy;
  upstream dxday_app {{
{upstreams}
    keepalive 16;
  }}
  server {{
    listen 127.0.0.1:{port};
    client_max_body_size 60m;
    location / {{
      proxy_pass http://dxday_app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
    }}
  }}
}}
""")
        self._spawn(name, [nginx, "-c", str(base / "nginx.conf"), "-p", str(base)], self.env)
        wait_port(port, f"nginx {name}")
        self.ports[name] = port
        return port

    def stop(self, name: str) -> None:
        proc = self.procs.pop(name, None)
        if proc is None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def workers(self, name: str) -> list[int]:
        """The worker pids of gunicorn `name` (children of its master)."""
        master = self.procs[name].pid
        path = Path(f"/proc/{master}/task/{master}/children")
        try:
            return [int(p) for p in path.read_text().split()]
        except OSError:
            return []


def _terminate(signum, frame):
    raise SystemExit(128 + signum)
