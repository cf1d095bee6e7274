"""Real server processes for the tests that need them: free ports, a moto S3 server, a fresh
PostgreSQL database, `manage.py` in a child process with its own environment."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
PG = "postgres://postgres@127.0.0.1:5432"

# A commune committee under the national root, with the 2025 door-to-door window: the world the
# real-server tests seed with `manage.py shell` (what each test adds follows it).
DOOR_TO_DOOR_WORLD = r"""
import datetime as dt
from dxday.orgs.models import Commune, Organisation, Province
from dxday.plans.models import Campaign, CampaignWindow
p = Province.objects.create(code="38", name="Thanh Hóa", division_type="tinh", codename="th")
c = Commune.objects.create(code="16000", name="Phường Hạc Thành", division_type="phuong",
                           codename="hac_thanh", province=p)
root = Organisation.objects.add_root(create_kwargs={"code": "bo", "name": "Bộ", "kind": "national"})
committee = Organisation.objects.add_child(root, create_kwargs={
    "code": "xa-16000", "name": "UBND phường Hạc Thành", "kind": "commune",
    "province": p, "commune": c})
camp = Campaign.objects.create(year=2025, theme="Thử")
CampaignWindow.objects.create(campaign=camp, kind="door_to_door", name="Đi từng ngõ",
                              starts_on=dt.date(2025, 9, 15), ends_on=dt.date(2025, 10, 31))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, what: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{what} did not start on port {port}")


def required(ok: bool, message: str) -> None:
    """Skip on a developer's machine that lacks a server; fail in CI, where nothing may skip."""
    if ok:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def require_port(port: int, what: str) -> None:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        required(False, f"{what} is not reachable on 127.0.0.1:{port}")


@contextmanager
def moto_server():
    """A real S3-compatible server process (moto in server mode); yields its endpoint URL."""
    moto = BIN / "moto_server"
    required(moto.exists(), "moto_server is not installed (pip install 'moto[server]')")
    port = free_port()
    proc = subprocess.Popen(
        [str(moto), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        wait_port(port, "moto")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def s3_client(endpoint: str):
    import boto3

    return boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
    )  # fmt: skip


def s3_env(endpoint: str, bucket: str) -> dict[str, str]:
    """The environment that puts dxday's files in `bucket` (created here)."""
    s3_client(endpoint).create_bucket(Bucket=bucket)
    return {
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint,
        "S3_ACCESS_KEY_ID": "test",
        "S3_SECRET_ACCESS_KEY": "test",
    }


def fresh_pg_database(name: str) -> str:
    """Drop and create database `name`; return its URL."""
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG}/{name}"


def drop_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a production-like child process (no pytest, DEBUG off)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.pop("DXDAY_TESTING", None)
    env.update({"DJANGO_SETTINGS_MODULE": "dxday.settings", "DEBUG": "0"})
    env.update(extra)
    return env


def manage(env: dict, *args: str, stdin: str | None = None, timeout: int = 600) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, input=stdin,
        capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-3000:])
    return done.stdout


def in_memory_sqlite() -> bool:
    """Whether the test database is SQLite in memory, which threads cannot share."""
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    return connection.vendor == "sqlite" and (
        name.startswith("file:memorydb") or ":memory:" in name
    )


def rerun_on_sqlite_file(test_file: str, database: Path) -> subprocess.CompletedProcess:
    """Run a concurrency test module again in a subprocess on a SQLite database file, where
    several connections (threads) can meet."""
    env = {**os.environ, "DXDAY_SQLITE_TEST_NAME": str(database)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "--no-migrations", "-p", "no:cacheprovider",
         test_file],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
