"""A small keep-alive HTTP client for the hardening bench (loopback only)."""

from __future__ import annotations

import http.client
import json
import re
import statistics
import time
import uuid
from http.cookies import SimpleCookie
from urllib.parse import urlencode

HOST = "127.0.0.1"


class Client:
    """One client: one keep-alive connection to 127.0.0.1:`port`, its own cookies."""

    def __init__(self, port: int, timeout: float = 60):
        self.port, self.timeout = port, timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes, dict, float]:
        """Status, body, headers and the seconds from sending to the last byte read."""  # fmt: skip
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            try:
                t0 = time.perf_counter()
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
                data = resp.read()
                elapsed = time.perf_counter() - t0
                break
            except (OSError, http.client.HTTPException):
                # The server closed an idle keep-alive connection: reconnect once.
                self.close()
                if attempt:
                    raise
        for value in resp.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(value).items():
                self.cookies[key] = morsel.value
        if resp.getheader("Connection", "").lower() == "close":
            self.close()
        return resp.status, data, dict(resp.headers), elapsed

    def get(self, path: str):
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict):
        body = urlencode(fields).encode()
        return self.request("POST", path, body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{HOST}:{self.port}{path}",
        })  # fmt: skip

    def post_json(self, path: str, payload, token: str | None = None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.request("POST", path, json.dumps(payload).encode(), headers)

    def csrf(self, path: str = "/dang-nhap/") -> str:
        status, page, _h, _t = self.get(path)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status}")
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()

    def login(self, username: str, password: str) -> int:
        token = self.csrf()
        fields = {"csrfmiddlewaretoken": token, "username": username, "password": password}
        return self.post_form("/dang-nhap/", fields)[0]


def batch(n: int, day_offset: int = 0) -> dict:
    """A batch of `n` new sessions (fresh client ids) inside the 2025 door-to-door window."""

    def when(i: int) -> str:
        return f"2025-10-{1 + (i + day_offset) % 9:02d}T{8 + i % 10:02d}:15:00+07:00"

    return {
        "sessions": [
            {
                "client_id": str(uuid.uuid4()),
                "occurred_at": when(i),
                "households_visited": 1 + i % 3,
                "people_guided": 3 + i % 4,
                "topics": [{"topic": "vneid", "people_guided": 2, "outcome": i % 3}],
            }
            for i in range(n)
        ]
    }


def ms(seconds: list[float]) -> dict:
    """Median, p95 and max of a list of seconds, in milliseconds."""
    if not seconds:
        return {"n": 0}
    s = sorted(seconds)
    p95 = s[min(len(s) - 1, max(0, round(0.95 * len(s)) - 1))]
    return {
        "n": len(s),
        "median_ms": round(statistics.median(s) * 1000, 2),
        "p95_ms": round(p95 * 1000, 2),
        "max_ms": round(s[-1] * 1000, 2),
    }
