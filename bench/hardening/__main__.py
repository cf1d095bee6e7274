"""python -m bench.hardening [--only h1,h2,h3] [...]: see bench/README.md."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time

from ..db import PROJECT
from . import login, memory, scale
from .stack import Stack

RESULTS = PROJECT / "bench" / "results-hardening.json"
PROFILES = PROJECT / "bench" / "profiles"


def _log(msg: str) -> None:
    print(msg, flush=True)


def _context() -> dict:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT,
                            capture_output=True, text=True).stdout.strip()  # fmt: skip
    return {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "cpus": os.cpu_count(),
        "loadavg_start": list(os.getloadavg()),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.hardening", description=__doc__)
    ap.add_argument("--only", default="h1,h2,h3", help="which parts, comma-separated")
    ap.add_argument(
        "--h1-handler",
        default="redis",
        choices=["redis", "database", "both"],
        help="axes handler: Redis (production with REDIS_URL) or the database",
    )
    ap.add_argument(
        "--h1-profile",
        action="store_true",
        help="also cProfile 100 locked attempts in process per endpoint",
    )
    ap.add_argument("--h2-seconds", type=float, default=30, help="seconds per round")
    ap.add_argument("--h2-rounds", type=int, default=4, help="rounds per configuration")
    ap.add_argument("--h2-threads", type=int, default=8, help="client threads")
    ap.add_argument("--h2-workers", type=int, default=1, help="WEB_CONCURRENCY per server")
    ap.add_argument("--h2-batch", type=int, default=100, help="sessions per batch")
    ap.add_argument("--h3-seconds", type=float, default=600, help="duration of the mixed traffic")
    ap.add_argument(
        "--h3-max-requests",
        type=int,
        default=None,
        help="override gunicorn's max_requests (0: never recycle a worker)",
    )
    ap.add_argument("--h3-threads", type=int, default=4, help="client threads")
    ap.add_argument("--tokens", type=int, default=16, help="device tokens (one per team)")
    args = ap.parse_args(argv)  # fmt: skip
    parts = [p.strip().lower() for p in args.only.split(",") if p.strip()]

    try:
        results = json.loads(RESULTS.read_text())
    except (OSError, ValueError):
        results = {}
    t0 = time.monotonic()
    with Stack(tokens=args.tokens, log=_log) as stack:
        if "h1" in parts:
            handlers = ["redis", "database"] if args.h1_handler == "both" else [args.h1_handler]
            for handler in handlers:
                _log(f"H1 brute force, axes {handler} handler")
                ctx = _context()
                out = login.run(stack, handler=handler, log=_log)
                if args.h1_profile:
                    PROFILES.mkdir(exist_ok=True)
                    out["profile"] = login.profile(stack, handler=handler, out_dir=PROFILES,
                                                   log=_log)  # fmt: skip
                results[f"h1_{handler}"] = {**ctx, **out, "loadavg_end": list(os.getloadavg())}
                stack.flush_redis()
                _save(results)
        if "h2" in parts:
            _log(f"H2 ingest, 1 vs 2 app servers behind nginx ({args.h2_rounds} rounds of "
                 f"{args.h2_seconds:.0f} s each)")  # fmt: skip
            ctx = _context()
            out = scale.run(stack, seconds=args.h2_seconds, rounds=args.h2_rounds,
                            threads=args.h2_threads, size=args.h2_batch,
                            workers=args.h2_workers, log=_log)  # fmt: skip
            results["h2"] = {**ctx, **out, "loadavg_end": list(os.getloadavg())}
            _log(
                f"  1 server {out['one_server']['sessions_per_s']} sessions/s, 2 servers "
                f"{out['two_servers']['sessions_per_s']}: ratio {out['ratio_two_over_one']}"
            )
            stack.flush_redis()
            _save(results)
        if "h3" in parts:
            _log(f"H3 worker memory, mixed traffic for {args.h3_seconds:.0f} s")
            ctx = _context()
            out = memory.run(stack, seconds=args.h3_seconds, threads=args.h3_threads,
                             max_requests=args.h3_max_requests, log=_log)  # fmt: skip
            key = (
                "h3" if args.h3_max_requests is None else f"h3_max_requests_{args.h3_max_requests}"
            )
            results[key] = {**ctx, **out, "loadavg_end": list(os.getloadavg())}
            _log(
                f"  max RSS {out['max_rss_mb']} MB (limit {out['limit_mb']}), final "
                f"{out['final_rss_mb']}, workers seen {out['workers_seen']}"
            )
            _save(results)
    _log(f"done in {time.monotonic() - t0:.0f} s; {RESULTS.relative_to(PROJECT)}")
    return 0


def _save(results: dict) -> None:
    RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    sys.exit(main())
