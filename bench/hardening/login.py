"""H1: 60 wrong passwords for one account from one client, on the login page and on the token
endpoint, against a real gunicorn; then the correct password during the lock (refused) and
after the cool-off window (accepted)."""

from __future__ import annotations

import re
import time
from pathlib import Path

from dxday.core.tests.servers import manage

from .client import Client, ms
from .stack import COOLOFF_MINUTES, H1_PASSWORD, H1_USER, Stack

ATTEMPTS = 60
LIMIT_MS = 10.0
PAUSE = 5.0  # seconds between the last wrong attempt and the correct one during the lock
ACCESS = re.compile(rb'"(\w+) (\S+) [^"]*" (\d{3}) \S+ (\d+)ms')


def _attempt(client: Client, endpoint: str, password: str, csrf: str):
    if endpoint == "page":
        fields = {"csrfmiddlewaretoken": csrf, "username": H1_USER, "password": password}
        return client.post_form("/dang-nhap/", fields)
    return client.post_json("/api/v1/auth/token", {"username": H1_USER, "password": password})


def _ok(endpoint: str, status: int) -> bool:
    return status == (302 if endpoint == "page" else 200)


def window_left_ms(redis_url: str) -> int | None:
    """The longest remaining life (ms) of axes' failure counters in Redis (None: no Redis)."""
    if not redis_url:
        return None
    import redis

    r = redis.Redis.from_url(redis_url)
    ttls = [r.pttl(k) for k in r.scan_iter(match="*axes*")]
    return max(ttls, default=None)


def brute_force(port: int, endpoint: str, *, redis_url: str = "", log=print) -> dict:
    """60 wrong attempts, the right one at once (locked) and after the window (must work)."""
    client = Client(port)
    healthz_before = [client.get("/healthz")[3] for _ in range(20)]
    csrf = client.csrf() if endpoint == "page" else ""
    attempts = []
    first_locked_at = None
    for n in range(1, ATTEMPTS + 1):
        status, _body, headers, elapsed = _attempt(client, endpoint, f"sai-mat-khau-{n}", csrf)
        attempts.append({"n": n, "status": status, "ms": round(elapsed * 1000, 2)})
        if status == 429 and first_locked_at is None:
            first_locked_at = time.monotonic()
            retry_after = headers.get("Retry-After")
    healthz_after = [client.get("/healthz")[3] for _ in range(20)]
    first_429 = next((a["n"] for a in attempts if a["status"] == 429), None)
    locked = [a["ms"] / 1000 for a in attempts if first_429 and a["n"] > first_429]
    failed = [a["ms"] / 1000 for a in attempts if not first_429 or a["n"] < first_429]
    # Does an attempt during the lock restart the window? Pause, then read how long the
    # counters have left (Redis PTTL) before and after the correct password is tried.
    time.sleep(PAUSE)
    ttl_before = window_left_ms(redis_url)
    right_during = _attempt(client, endpoint, H1_PASSWORD, csrf)[0]
    ttl_after = window_left_ms(redis_url)
    last_attempt_at = time.monotonic()
    # axes 8 records attempts made during a lockout by default
    # (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so the window runs from the last one.
    if first_locked_at is not None:
        wait = last_attempt_at + COOLOFF_MINUTES * 60 + 2 - time.monotonic()
        log(f"    {endpoint}: locked at attempt {first_429}; waiting {wait:.0f} s for the window")
        time.sleep(max(0.0, wait))
    if endpoint == "page":
        client.close()
        client.cookies.clear()
        csrf = client.csrf()
    right_after, _b, _h, right_after_s = _attempt(client, endpoint, H1_PASSWORD, csrf)
    client.close()
    locked_stats = ms(locked)
    return {
        "endpoint": "POST /dang-nhap/ (CSRF)" if endpoint == "page" else "POST /api/v1/auth/token",
        "attempts": ATTEMPTS,
        "first_429_attempt": first_429,
        "statuses": {
            str(s): sum(a["status"] == s for a in attempts)
            for s in sorted({a["status"] for a in attempts})
        },  # fmt: skip
        "retry_after": retry_after if first_429 else None,
        "failed_attempts_before_lock": ms(failed),
        "locked_attempts": locked_stats,
        "healthz_same_connection": ms(healthz_before + healthz_after),
        "correct_password_during_lock_status": right_during,
        "window_left_ms_before_correct_attempt": ttl_before,
        "window_left_ms_after_correct_attempt": ttl_after,
        "attempt_during_lock_restarts_window": (
            None if ttl_before is None or ttl_after is None else ttl_after > ttl_before + 1000
        ),
        "correct_password_after_window_status": right_after,
        "correct_password_after_window_ms": round(right_after_s * 1000, 1),
        "locked_le_10ms": bool(locked) and locked_stats["p95_ms"] <= LIMIT_MS,
        "works_after_window": _ok(endpoint, right_after),
        "refused_during_lock": right_during == 429,
        "per_attempt": attempts,
    }


def server_times(log_file: Path, path: str) -> dict:
    """gunicorn's own duration (%(M)s, whole ms) of the 429 answers on `path`, from its log."""
    times = [
        int(m.group(4)) / 1000
        for m in ACCESS.finditer(log_file.read_bytes())
        if m.group(1) == b"POST" and m.group(2).decode() == path and m.group(3) == b"429"
    ]
    return ms(times)


def run(stack: Stack, *, handler: str = "redis", log=print) -> dict:
    """H1 on one gunicorn (1 worker, 4 threads) with axes' Redis (cache) or database handler."""
    env = {} if handler == "redis" else {"REDIS_URL": ""}
    name = f"h1-{handler}"
    port = stack.gunicorn(name, workers=1, env=env)
    try:
        out = {"handler": handler, "cooloff_minutes": COOLOFF_MINUTES, "endpoints": {}}
        for endpoint, path in (("page", "/dang-nhap/"), ("token", "/api/v1/auth/token")):
            redis_url = stack.env["REDIS_URL"] if handler == "redis" else ""
            result = brute_force(port, endpoint, redis_url=redis_url, log=log)
            result["server_side_locked"] = server_times(stack.tmp / f"{name}.log", path)
            out["endpoints"][endpoint] = result
            lk = result["locked_attempts"]
            log(f"    {endpoint}: first 429 at {result['first_429_attempt']}, locked median "
                f"{lk.get('median_ms')} ms p95 {lk.get('p95_ms')} ms (server "
                f"{result['server_side_locked'].get('median_ms')} ms), correct during lock "
                f"{result['correct_password_during_lock_status']}, after window "
                f"{result['correct_password_after_window_status']}; window left "
                f"{result['window_left_ms_before_correct_attempt']} ms -> "
                f"{result['window_left_ms_after_correct_attempt']} ms")  # fmt: skip
    finally:
        stack.stop(name)
    return out


PROFILE = r"""
import cProfile, io, pstats, time
from django.test import Client
from axes.utils import reset
USER = "{user}"
ADDR = "10.77.0.{n}"
c = Client(REMOTE_ADDR=ADDR, HTTP_HOST="127.0.0.1")
c.get("/dang-nhap/")
csrf = c.cookies["csrftoken"].value if "csrftoken" in c.cookies else ""
def page(p):
    return c.post("/dang-nhap/", {{"csrfmiddlewaretoken": csrf, "username": USER, "password": p}},
                  REMOTE_ADDR=ADDR, HTTP_REFERER="http://127.0.0.1/dang-nhap/")
def token(p):
    return c.post("/api/v1/auth/token", {{"username": USER, "password": p}},
                  content_type="application/json", REMOTE_ADDR=ADDR)
send = {{"page": page, "token": token}}["{endpoint}"]
n = 0
while send("sai-%d" % n).status_code != 429:
    n += 1
for i in range(10):
    send("sai-warm-%d" % i)
t0 = time.perf_counter()
for i in range(100):
    assert send("sai-t-%d" % i).status_code == 429
plain = (time.perf_counter() - t0) / 100
prof = cProfile.Profile()
prof.enable()
t0 = time.perf_counter()
for i in range(100):
    assert send("sai-p-%d" % i).status_code == 429
per = (time.perf_counter() - t0) / 100
prof.disable()
s = io.StringIO()
pstats.Stats(prof, stream=s).sort_stats("cumulative").print_stats(40)
# What one lockout answer costs on its own (the 429 the middleware renders): the rest of a
# locked attempt is the view, which runs and renders its own page before being replaced.
from django.test import RequestFactory
from dxday.orgs.throttle import lockout_response
path = {{"page": "/dang-nhap/", "token": "/api/v1/auth/token"}}["{endpoint}"]
req = RequestFactory(HTTP_HOST="127.0.0.1").post(path, {{}})
from django.contrib.sessions.backends.cache import SessionStore
req.session = SessionStore()
from django.contrib.auth.models import AnonymousUser
req.user = AnonymousUser()
lockout_response(req)
t0 = time.perf_counter()
for i in range(100):
    lockout_response(req)
answer = (time.perf_counter() - t0) / 100
reset(username=USER)
reset(ip=ADDR)
print("ANSWER_MS=%.2f" % (answer * 1000))
print("PER_ATTEMPT_MS=%.2f" % (plain * 1000))
print("PROFILED_MS=%.2f" % (per * 1000))
print("PROFILE_BEGIN")
print(s.getvalue())
"""


def profile(stack: Stack, *, handler: str, out_dir: Path, log=print) -> dict:
    """cProfile of 100 locked attempts in process (Django's test client, same settings)."""
    env = dict(stack.env)
    if handler != "redis":
        env["REDIS_URL"] = ""
    result = {}
    for i, endpoint in enumerate(("page", "token")):
        text = manage(env, "shell", stdin=PROFILE.format(user=H1_USER, n=i + 1, endpoint=endpoint))
        per = float(re.search(r"PER_ATTEMPT_MS=([\d.]+)", text).group(1))
        profiled = float(re.search(r"PROFILED_MS=([\d.]+)", text).group(1))
        answer = float(re.search(r"ANSWER_MS=([\d.]+)", text).group(1))
        body = text.split("PROFILE_BEGIN", 1)[1]
        path = out_dir / f"hardening-h1-{handler}-{endpoint}.txt"
        path.write_text(body)
        result[endpoint] = {
            "in_process_locked_ms": per,
            "under_cprofile_ms": profiled,
            "lockout_response_alone_ms": answer,
            "profile": str(path.name),
        }
        log(f"    profile {handler}/{endpoint}: {per:.2f} ms per locked attempt in process "
            f"({profiled:.2f} ms profiled; the 429 answer alone {answer:.2f} ms)")  # fmt: skip
    return result
