"""H2: ingest through the same nginx in front of 1, then 2 gunicorn app servers.

Both app servers run the whole time; two nginx balancers are configured, one over server A
only and one over A and B, and the client alternates between them in equal rounds (1, 2, 1,
2, ...) so that the machine's drift hits both configurations alike.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

from .client import Client, batch, ms
from .stack import Stack

PATH = "/api/v1/outreach/sessions/batch"
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds used so far by `pids` (/proc/<pid>/stat)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


def drive(port: int, tokens: list[str], *, seconds: float, threads: int, size: int) -> dict:
    """`threads` clients, each with its own device tokens and keep-alive connection, posting
    batches of `size` new sessions to 127.0.0.1:`port` for `seconds`."""
    lock = threading.Lock()
    results: list[tuple[int, int, float]] = []  # status, sessions accepted, seconds
    rejected = [0]
    errors: list[str] = []
    deadline = time.monotonic() + seconds

    def worker(k: int):
        client = Client(port, timeout=120)
        mine = tokens[k::threads] or tokens
        i = 0
        while time.monotonic() < deadline:
            payload = batch(size, day_offset=i)
            try:
                status, body, _h, elapsed = client.post_json(PATH, payload, mine[i % len(mine)])
            except OSError as exc:  # counted, never retried: the figure is what got through
                with lock:
                    errors.append(repr(exc))
                client.close()
                continue
            accepted = 0
            if status == 200:
                data = json.loads(body)
                accepted = data["accepted"]
            with lock:
                rejected[0] += len(data.get("rejected", [])) if status == 200 else 0
                results.append((status, accepted, elapsed))
            i += 1
        client.close()

    started = time.monotonic()
    pool = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=seconds + 180)
    wall = time.monotonic() - started
    statuses: dict[str, int] = {}
    for status, _a, _e in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    return {
        "seconds": round(wall, 2),
        "batches": len(results),
        "sessions": sum(a for _s, a, _e in results),
        "statuses": statuses,
        "rejected_sessions": rejected[0],
        "errors": len(errors),
        "latency": ms([e for s, _a, e in results if s == 200]),
    }


def run(stack: Stack, *, seconds: float, rounds: int, threads: int, size: int, workers: int,
        log=print) -> dict:  # fmt: skip
    a = stack.gunicorn("h2-a", workers=workers)
    b = stack.gunicorn("h2-b", workers=workers)
    one = stack.nginx("nginx-1", [a])
    two = stack.nginx("nginx-2", [a, b])
    try:
        # Warm-up through both balancers (imports, connections, first plans), not counted.
        drive(two, stack.tokens, seconds=5, threads=threads, size=size)
        drive(one, stack.tokens, seconds=3, threads=threads, size=size)
        per = {"1": [], "2": []}
        order = (("1", one), ("2", two))
        for r in range(rounds):
            for servers, port in order if r % 2 == 0 else order[::-1]:
                pids = {n: stack.workers(n) for n in ("h2-a", "h2-b")}
                cpu0 = {n: cpu_seconds(p) for n, p in pids.items()}
                me0 = sum(os.times()[:2])
                got = drive(port, stack.tokens, seconds=seconds, threads=threads, size=size)
                # Cores busy on average during the round: each app server's workers, the client.
                got["cores_busy"] = {
                    **{n: round((cpu_seconds(p) - cpu0[n]) / got["seconds"], 2)
                       for n, p in pids.items()},
                    "client": round((sum(os.times()[:2]) - me0) / got["seconds"], 2),
                    "loadavg_1m": os.getloadavg()[0],
                }  # fmt: skip
                got["sessions_per_s"] = round(got["sessions"] / got["seconds"], 1)
                per[servers].append(got)
                log(f"    round {r + 1}, {servers} server(s): {got['sessions_per_s']} sessions/s "
                    f"({got['statuses']}, errors {got['errors']}, p95 "
                    f"{got['latency'].get('p95_ms')} ms, cores {got['cores_busy']})")  # fmt: skip
    finally:
        for name in ("nginx-2", "nginx-1", "h2-b", "h2-a"):
            stack.stop(name)

    def total(rows):
        sessions = sum(x["sessions"] for x in rows)
        secs = sum(x["seconds"] for x in rows)
        return {"sessions": sessions, "seconds": round(secs, 1),
                "sessions_per_s": round(sessions / secs, 1) if secs else 0.0}  # fmt: skip

    t1, t2 = total(per["1"]), total(per["2"])
    ratio = round(t2["sessions_per_s"] / t1["sessions_per_s"], 3) if t1["sessions_per_s"] else None
    return {
        "workers_per_server": workers,
        "threads_per_worker": int(stack.env["DXDAY_THREADS"]),
        "client_threads": threads,
        "batch_size": size,
        "round_seconds": seconds,
        "rounds": rounds,
        "one_server": t1,
        "two_servers": t2,
        "ratio_two_over_one": ratio,
        "not_lower": ratio is not None and ratio >= 1.0,
        "rounds_detail": per,
    }
