"""A real gunicorn on 127.0.0.1 (as `make serve` runs it) and a small HTTP client."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from .db import BENCH_VAR, PROJECT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self, env: dict[str, str], *, workers: int = 2, threads: int = 4, tag: str = ""):
        self.port = free_port()
        self.env = {**os.environ, **env}
        self.workers, self.threads = workers, threads
        self.log = BENCH_VAR / f"gunicorn-{tag or self.port}.log"
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.proc = subprocess.Popen(
            [str(gunicorn), "dxday.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--threads", str(self.threads),
             "--worker-class", "gthread", "--timeout", "120", "--keep-alive", "30"],
            cwd=PROJECT, env=self.env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited, see {self.log}")
            try:
                status, _ = request(self.port, "GET", "/api/v1/outreach/totals?by=province")
                if status < 500:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer in 60 s, see {self.log}")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def request(port, method, path, body: bytes | None = None, headers=None, conn=None):
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, data
    finally:
        if own:
            conn.close()


def post_all(port: int, path: str, jobs: list[tuple[str, bytes]], threads: int):
    """POST every (token, body) with `threads` keep-alive clients; returns (seconds, responses)."""
    lock = threading.Lock()
    queue = list(reversed(jobs))
    out: list[tuple[int, dict | None, float]] = []

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            with lock:
                if not queue:
                    break
                token, body = queue.pop()
            t0 = time.perf_counter()
            for attempt in range(3):
                try:
                    status, data = request(port, "POST", path, body, {
                        "Authorization": f"Bearer {token}",
                        "Content-Type": "application/json",
                    }, conn=conn)  # fmt: skip
                    break
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                    if attempt == 2:
                        raise
            elapsed = time.perf_counter() - t0
            try:
                parsed = json.loads(data)
            except ValueError:
                parsed = None
            with lock:
                out.append((status, parsed, elapsed))
        conn.close()

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return time.perf_counter() - started, out


def get_latencies(port: int, paths: list[str], rounds: int) -> list[float]:
    """Sequential GETs over one keep-alive connection; latency of each, in seconds."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    out = []
    for _ in range(rounds):
        for p in paths:
            t0 = time.perf_counter()
            status, _data = request(port, "GET", p, conn=conn)
            out.append(time.perf_counter() - t0)
            if status != 200:
                raise RuntimeError(f"GET {p}: {status} {_data[:300]!r}")
    conn.close()
    return out
