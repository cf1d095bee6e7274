"""`python -m bench.portal`: the public portal at October scale (issue 11, P1–P3).

One run, on 127.0.0.1: a fresh database with the demo (`manage.py demo`), then two gunicorn
app servers started as `make serve` starts one (`-c python:dxday.gunicorn_conf`: 2 workers ×
4 threads, gthread, DEBUG off, the local-memory cache unless --redis), both with the bench's
URLconf (`bench/portal/urls.py`, the bare baseline views):

- A: the page cache on (`DXDAY_PAGECACHE=1`, the default);
- B: the page cache off (`DXDAY_PAGECACHE=0`), everything else equal.

wrk (`/usr/bin/wrk`, keep-alive, no cookie: an anonymous visitor) drives every target for
`--seconds` in turn; the targets are rotated round after round (`--rounds`), so the machine's
drift hits them all. Figures: requests/s per target (median of the rounds) and, per round, the
ratio of each pair, whose median is quoted:

- P1: a page on A, warm ÷ a bare Django view on A returning an HTML body of the same size;
- P2: the page on A ÷ the same page on B;
- P3: a public API read on A, warm ÷ a bare view on A returning a JSON body of the same size.

Results: `bench/results-portal.json`; `python -m bench.portal --table` prints the Markdown.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import signal
import statistics
import subprocess
import sys
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
from ..server import request

HERE = Path(__file__).resolve().parent.parent
RESULTS = HERE / "results-portal.json"
TMP = BENCH_VAR / "portal"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
PG_NAME = "dxday_h5_portal"
GOALS = {"P1": 0.8, "P2": 10.0, "P3": 0.7}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}Z] {msg}", flush=True)


def wrk(port: int, path: str, *, seconds: int, connections: int, threads: int) -> dict:
    done = subprocess.run(
        [WRK, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
         f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, timeout=seconds + 60,
    )  # fmt: skip
    out = done.stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if done.returncode != 0 or rps is None:
        raise RuntimeError(f"wrk {path}: {done.stderr or out}")
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)

    def ms(m):
        if not m:
            return None
        return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]

    return {
        "rps": float(rps.group(1)),
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(0) if errors else "",
        "p50_ms": ms(p50),
        "p99_ms": ms(p99),
    }


class Servers:
    def __init__(self, args):
        self.args = args
        self.procs: list[subprocess.Popen] = []
        self.env = child_env(
            DXDAY_VAR_DIR=str(TMP / "var"),
            SECRET_KEY="bench-portal-" + uuid.uuid4().hex,
            HOUSEHOLD_SALT="bench-household-" + uuid.uuid4().hex,
            ALLOWED_HOSTS="127.0.0.1,localhost",
        )
        self.env.pop("REDIS_URL", None)
        if args.redis:
            self.env["REDIS_URL"] = args.redis
        self.env.pop("DATABASE_URL", None)
        if args.postgres:
            self.env["DATABASE_URL"] = fresh_pg_database(PG_NAME)

    def setup(self) -> None:
        shutil.rmtree(TMP, ignore_errors=True)
        (TMP / "var").mkdir(parents=True)
        t0 = time.monotonic()
        manage(self.env, "migrate", "-v0")
        manage(self.env, "collectstatic", "--noinput", "-v0")
        manage(self.env, "demo", timeout=900)
        if self.args.redis:
            import redis

            redis.Redis.from_url(self.args.redis).flushdb()
        log(f"  database and demo ready in {time.monotonic() - t0:.0f} s")

    def gunicorn(self, name: str, **extra: str) -> int:
        port = free_port()
        env = {
            **self.env,
            **extra,
            "DJANGO_SETTINGS_MODULE": "bench.portal.settings",
            "DXDAY_BIND": f"127.0.0.1:{port}",
        }
        with open(TMP / f"gunicorn-{name}.log", "ab") as out:
            proc = subprocess.Popen(
                [str(BIN / "gunicorn"), "-c", "python:dxday.gunicorn_conf",
                 "dxday.wsgi:application"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        self.procs.append(proc)
        wait_port(port, f"gunicorn {name}")
        return port

    def down(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        if self.args.postgres:
            drop_pg_database(PG_NAME)
        if self.args.redis:
            import redis

            redis.Redis.from_url(self.args.redis).flushdb()


def _get(port: int, path: str) -> bytes:
    for _ in range(50):
        try:
            status, body = request(port, "GET", path)
            break
        except OSError:
            time.sleep(0.2)
    if status != 200:
        raise RuntimeError(f"GET {path}: {status} {body[:300]!r}")
    return body


def run(args) -> dict:
    servers = Servers(args)
    try:
        servers.setup()
        on = servers.gunicorn("cache-on", DXDAY_PAGECACHE="1")
        off = servers.gunicorn("cache-off", DXDAY_PAGECACHE="0")
        year = json.loads(_get(on, "/api/v1/campaigns"))[0]["year"]
        activity = json.loads(_get(on, "/api/v1/activities?limit=1"))[0]["url"]
        pages = ["/", "/hoat-dong/", activity, "/outreach/"]
        reads = [f"/api/v1/campaigns/{year}", "/api/v1/activities"]
        targets: list[tuple[str, str, int, str]] = []  # (key, path, port, kind)
        sizes = {}
        for path in pages + reads:
            body = _get(on, path)
            assert body == _get(off, path) or path == "/outreach/", path
            sizes[path] = len(body)
            kind = "json" if path.startswith("/api/") else "bare"
            bare = f"/__bench/{kind}/{len(body)}"
            assert len(_get(on, bare)) == len(body)
            targets += [
                (f"{path} cached", path, on, "cached"),
                (f"{path} bare", bare, on, "bare"),
                (f"{path} uncached", path, off, "uncached"),
            ]
        log(f"  {len(targets)} targets, {args.rounds} rounds of {args.seconds} s each")
        rounds: list[dict[str, dict]] = []
        for r in range(args.rounds):
            shift = (r * 3) % len(targets)
            order = targets[shift:] + targets[:shift]
            got = {}
            for key, path, port, _kind in order:
                got[key] = wrk(port, path, seconds=args.seconds, connections=args.connections,
                               threads=args.threads)  # fmt: skip
            rounds.append(got)
            log(f"  round {r + 1}: " + ", ".join(
                f"{k} {v['rps']:.0f}/s" for k, v in got.items() if k.startswith("/ ")
            ))  # fmt: skip
        rows = []
        for path in pages + reads:
            per = {
                kind: [rd[f"{path} {kind}"]["rps"] for rd in rounds]
                for kind in ("cached", "bare", "uncached")
            }
            vs_bare = [c / b for c, b in zip(per["cached"], per["bare"], strict=True)]
            vs_off = [c / u for c, u in zip(per["cached"], per["uncached"], strict=True)]
            measure = "P3" if path.startswith("/api/") else "P1"
            rows.append({
                "path": path,
                "bytes": sizes[path],
                "cached_rps": statistics.median(per["cached"]),
                "bare_rps": statistics.median(per["bare"]),
                "uncached_rps": statistics.median(per["uncached"]),
                "ratio_vs_bare": statistics.median(vs_bare),
                "ratio_vs_bare_rounds": vs_bare,
                "ratio_vs_uncached": statistics.median(vs_off),
                "ratio_vs_uncached_rounds": vs_off,
                "measure_vs_bare": measure,
                "non_2xx": sum(rd[f"{path} {k}"]["non_2xx"] for rd in rounds
                               for k in ("cached", "bare", "uncached")),
                "cached_p99_ms": statistics.median(
                    rd[f"{path} cached"]["p99_ms"] or 0 for rd in rounds),
            })  # fmt: skip
        return {
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t_start)),
            "total_s": round(time.monotonic() - t_mono, 1),
            "database": "postgres" if args.postgres else "sqlite",
            "cache": "redis" if args.redis else "local memory",
            "gunicorn": "dxday/gunicorn_conf.py (2 workers x 4 threads, gthread)",
            "wrk": f"-t{args.threads} -c{args.connections} -d{args.seconds}s",
            "rounds": args.rounds,
            "load_before": load_before,
            "load_after": _load(),
            "rows": rows,
            "raw": rounds,
        }
    finally:
        servers.down()


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def table(result: dict) -> str:
    lines = [
        f"Run of {result['started']} ({result['total_s']:.0f} s), {result['database']}, cache in "
        f"{result['cache']}, wrk {result['wrk']}, {result['rounds']} rounds, load "
        f"{result['load_before']} → {result['load_after']}.",
        "",
        "| page or read | bytes | cached req/s | bare view req/s | cache off req/s | "
        "P1/P3 cached ÷ bare (goal) | P2 cached ÷ off (goal ≥ 10) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in result["rows"]:
        m = r["measure_vs_bare"]
        p2 = f"{r['ratio_vs_uncached']:.1f}" if m == "P1" else f"({r['ratio_vs_uncached']:.1f})"
        lines.append(
            f"| `{r['path']}` | {r['bytes']:,} | {r['cached_rps']:.0f} | {r['bare_rps']:.0f} | "
            f"{r['uncached_rps']:.0f} | {m} **{r['ratio_vs_bare']:.2f}** (≥ {GOALS[m]}) | {p2} |"
        )
    return "\n".join(lines) + "\n"


t_start = time.time()
t_mono = time.monotonic()
load_before = _load()


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.portal")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--postgres", action="store_true", help=f"a fresh database {PG_NAME}")
    parser.add_argument("--redis", default="", help="REDIS_URL (its db is flushed)")
    parser.add_argument("--table", action="store_true", help="print results-portal.json")
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args()
    if args.table:
        print(table(json.loads(Path(args.out).read_text())))
        return 0
    result = run(args)
    Path(args.out).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
