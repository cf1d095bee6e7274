"""H3: the RSS of each app worker (2 gunicorn workers, as deployed) under mixed traffic for a
fixed duration: portal pages, public API reads, ingest batches and logged-in pages, sampled
from /proc/<pid>/status every 10 s."""

from __future__ import annotations

import threading
import time

from .client import Client, batch, ms
from .stack import PAGE_PASSWORD, PAGE_USER, Stack

LIMIT_MB = 150.0
PORTAL = ["/", "/hoat-dong/", "/lich/", "/uu-dai/", "/nam/2025/", "/du-lieu-mo/"]
API = [
    "/api/v1/areas/provinces",
    "/api/v1/outreach/totals?by=province",
    "/api/v1/outreach/totals?by=topic",
    "/api/v1/outreach/totals?by=day",
    "/api/v1/campaigns",
    "/api/v1/activities",
    "/api/v1/portal/summary",
    "/api/v1/portal/offers",
]
SIGNED_IN = ["/don-vi/", "/plans/", "/outreach/", "/reports/", "/activities/", "/tai-khoan/token/"]
BATCH = "/api/v1/outreach/sessions/batch"


def rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _probe(port: int) -> tuple[list[str], list[str], dict]:
    """Keep the pages that answer 200 (anonymous, then signed in); report the others."""
    anon, signed, dropped = Client(port), Client(port), {}
    if signed.login(PAGE_USER, PAGE_PASSWORD) != 302:
        raise RuntimeError("the H3 account could not sign in")
    public = []
    for path in PORTAL + API:
        status = anon.get(path)[0]
        (public.append(path) if status == 200 else dropped.__setitem__(path, status))
    private = []
    for path in SIGNED_IN:
        status = signed.get(path)[0]
        (private.append(path) if status == 200 else dropped.__setitem__(path, status))
    anon.close()
    signed.close()
    return public, private, dropped


def run(stack: Stack, *, seconds: float, threads: int, max_requests: int | None = None,
        sample_every: float = 10.0, log=print) -> dict:  # fmt: skip
    """`max_requests`: None keeps gunicorn_conf.py's worker recycling; 0 switches it off (to
    see a leak grow instead of being reset)."""
    args = () if max_requests is None else ("--max-requests", str(max_requests))
    port = stack.gunicorn("h3", workers=2, args=args)
    try:
        public, private, dropped = _probe(port)
        lock = threading.Lock()
        lat: dict[str, list[float]] = {"portal+api": [], "signed_in": [], "ingest": []}
        statuses: dict[str, int] = {}
        deadline = time.monotonic() + seconds

        def worker(k: int):
            anon, signed = Client(port), Client(port)
            signed.login(PAGE_USER, PAGE_PASSWORD)
            token = stack.tokens[k % len(stack.tokens)]
            i = 0
            while time.monotonic() < deadline:
                # One round: 4 public reads, 2 signed-in pages, 1 batch of 100 sessions.
                plan = [("portal+api", anon, public[(i * 4 + j) % len(public)]) for j in range(4)]
                plan += [("signed_in", signed, private[(i * 2 + j) % len(private)])
                         for j in range(2)]  # fmt: skip
                plan.append(("ingest", anon, None))
                for kind, client, path in plan:
                    try:
                        if path is None:
                            status, _b, _h, t = client.post_json(BATCH, batch(100, i), token)
                        else:
                            status, _b, _h, t = client.get(path)
                    except OSError:
                        status, t = 0, 0.0
                        client.close()
                    with lock:
                        statuses[str(status)] = statuses.get(str(status), 0) + 1
                        if status == 200:
                            lat[kind].append(t)
                i += 1
            anon.close()
            signed.close()

        pool = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(threads)]
        t0 = time.monotonic()
        for t in pool:
            t.start()
        samples = []
        seen: dict[int, dict] = {}
        while True:
            now = time.monotonic() - t0
            row = {"t": round(now, 1), "workers": {}}
            for pid in stack.workers("h3"):
                mb = rss_mb(pid)
                if mb is None:
                    continue
                row["workers"][str(pid)] = round(mb, 1)
                s = seen.setdefault(pid, {"pid": pid, "first_t": row["t"], "first_mb": mb,
                                          "max_mb": mb})  # fmt: skip
                s.update(last_t=row["t"], last_mb=mb, max_mb=max(s["max_mb"], mb))
            row["master_mb"] = round(rss_mb(stack.procs["h3"].pid) or 0, 1)
            samples.append(row)
            if now >= seconds:
                break
            if len(samples) % 6 == 1:
                log(f"    t={now:.0f} s: " + ", ".join(f"{p}={v} MB"
                    for p, v in row["workers"].items()))  # fmt: skip
            time.sleep(min(sample_every, max(0.0, seconds - now)))
        for t in pool:
            t.join(timeout=120)
        final = samples[-1]["workers"]
    finally:
        stack.stop("h3")
    workers = [
        {k: round(v, 1) if isinstance(v, float) else v for k, v in s.items()} for s in seen.values()
    ]
    max_mb = max((w["max_mb"] for w in workers), default=None)
    requests = sum(statuses.values())
    return {
        "seconds": seconds,
        "client_threads": threads,
        "max_requests": "gunicorn_conf.py (5000 ± 500)" if max_requests is None else max_requests,
        "sample_every_s": sample_every,
        "paths": {"public": public, "signed_in": private, "dropped": dropped},
        "requests": requests,
        "requests_per_s": round(requests / seconds, 1),
        "statuses": statuses,
        "latency": {k: ms(v) for k, v in lat.items()},
        "workers_seen": len(workers),
        "recycled": max(0, len(workers) - 2),  # replaced after max_requests
        "workers": workers,
        "final_rss_mb": final,
        "max_rss_mb": round(max_mb, 1) if max_mb is not None else None,
        "limit_mb": LIMIT_MB,
        "met": max_mb is not None and max_mb <= LIMIT_MB,
        "samples": samples,
    }
