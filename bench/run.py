"""`python -m bench.run [--full | --sessions N] [--db sqlite|postgres|both]`

Builds the national world in a dedicated database (var/bench/*.sqlite3 or PostgreSQL
``dxday_bench``), generates sessions in bulk, and measures the five ratios of issue 4 and the
report ratio of issue 5, each against a baseline measured in the same run. Prints a table and
writes bench/results-<db>-<size>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from . import db

HERE = Path(__file__).resolve().parent

GOALS = {
    "1": ("ingest, batch endpoint over HTTP ÷ raw bulk insert (sessions/s)", 0.2, ">="),
    "2": ("batches of 500 ÷ single-session endpoint (sessions/s)", 20.0, ">="),
    "3": ("naive GROUP BY ÷ roll-up query (national view), × faster", 50.0, ">="),
    "4": ("p95 of dashboard endpoint at N ÷ at N/10", 1.5, "<="),
    "5": ("ingest with roll-ups on ÷ off (sessions/s)", 0.8, ">="),
    "R": ("national report ÷ reading its roll-ups (time)", 1.5, "<="),
    "R′": ("national report ÷ reading the rows of the tables it reads now (time)", 1.5, "<="),
}


def plan(args) -> dict:
    if args.sessions:
        n = args.sessions
        name = f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k"
    elif args.full:
        n, name = 10_000_000, "full"
    else:
        n, name = 100_000, "small"
    big = n >= 1_000_000
    return {
        "name": name,
        "sessions": n,
        "base": n // 10,
        "batches": 160 if big else 40,
        "singles": 2000 if big else 1500,
        "pairs": 20 if big else 10,
        "threads": 4,
        "naive_reps": 2 if big else 3,
        "rounds": 40,
        "report_reps": 9 if big else 15,
        "verify": n <= 200_000,
    }


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}Z] {msg}", flush=True)


def ok(key: str, value: float) -> bool:
    _label, goal, op = GOALS[key]
    return value >= goal if op == ">=" else value <= goal


def run_one(dbname: str, args) -> int:
    p = plan(args)
    size = p["name"]
    if dbname == "postgres":
        reason = db.postgres_reachable()
        if reason:
            print(f"PostgreSQL at {db.PG_ADMIN_URL} is unreachable ({reason}): skipped.")
            return 0
    log(f"{dbname}, {size}: {p['sessions']:,} sessions (p95 compared with {p['base']:,})")
    db.create_database(dbname, size)
    db.django_setup(dbname, size)
    env = db.server_env(dbname, size)

    from . import gen, measure
    from . import world as world_mod

    t_all = time.perf_counter()
    phases: dict[str, float] = {}

    def phase(name, t0):
        phases[name] = round(time.perf_counter() - t0, 2)
        log(f"  {name}: {phases[name]:.1f} s")

    t0 = time.perf_counter()
    world = world_mod.build(log=log)
    world_mod.issue_tokens(world, 64)
    phase("world", t0)

    sampler = gen.Sampler(world, seed=1)
    rollups = gen.Rollups(world)
    t0 = time.perf_counter()
    gen.generate(world, p["base"], sampler, rollups, log=log)
    rollups.write()
    db.analyze()
    phase(f"generate {p['base']:,}", t0)
    lat_base = measure.dashboard_latency(world, env, rounds=p["rounds"], tag=f"{dbname}-{size}")
    log(f"  p95 at {p['base']:,}: http {lat_base['http_p95_s'] * 1000:.1f} ms")

    t0 = time.perf_counter()
    gen.generate(world, p["sessions"] - p["base"], sampler, rollups, log=log)
    counts = rollups.write()
    db.analyze()
    phase(f"generate to {p['sessions']:,}", t0)
    log(f"  roll-up rows: {counts}")

    verify = None
    if p["verify"]:
        from dxday.outreach.rollups import rollups_rebuild, rollups_snapshot

        mine = rollups_snapshot()
        t0 = time.perf_counter()
        rollups_rebuild()
        rebuild_s = time.perf_counter() - t0
        verify = {"rollups_equal_rebuild": mine == rollups_snapshot(), "rebuild_s": rebuild_s}
        log(f"  generated roll-ups == rollups_rebuild(): {verify['rollups_equal_rebuild']}")

    lat_big = measure.dashboard_latency(world, env, rounds=p["rounds"], tag=f"{dbname}-{size}")
    log(f"  p95 at {p['sessions']:,}: http {lat_big['http_p95_s'] * 1000:.1f} ms")
    t0 = time.perf_counter()
    dash = measure.dashboards_vs_naive(world, naive_reps=p["naive_reps"])
    phase("dashboards vs naive", t0)
    t0 = time.perf_counter()
    report = measure.report_vs_rollups(world, reps=p["report_reps"])
    phase("report", t0)
    t0 = time.perf_counter()
    ingest = measure.ingest_http(
        world, sampler, env, n_batches=p["batches"], n_single=p["singles"],
        threads=p["threads"], tag=f"{dbname}-{size}",
    )  # fmt: skip
    phase("ingest over HTTP", t0)
    t0 = time.perf_counter()
    roll = measure.ingest_rollups(world, sampler, n_pairs=p["pairs"])
    phase("ingest roll-ups on/off", t0)
    t0 = time.perf_counter()
    prof = {
        "batch_endpoint": measure.profile_batch_endpoint(
            world, sampler, f"{dbname}-{size}-batch-endpoint"
        ),
        "report": measure.profile(lambda: _report(world), f"{dbname}-{size}-report"),
    }
    phase("profiles", t0)

    ratios = {
        "1": ingest["ratio1_batch_vs_raw"],
        "2": ingest["ratio2_batch_vs_single"],
        "3": dash["ratio3_national_speedup"],
        "4": lat_big["http_p95_s"] / lat_base["http_p95_s"],
        "5": roll["ratio5_on_vs_off"],
        "R": report["ratio_report_vs_rollup_reads"],
        "R′": report["ratio_report_vs_table_reads"],
    }
    result = {
        "db": dbname,
        "size": size,
        "sessions": p["sessions"],
        "p95_base_sessions": p["base"],
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "ratios": {
            k: {
                "value": v,
                "goal": f"{GOALS[k][2]} {GOALS[k][1]}",
                "met": ok(k, v),
                "measure": GOALS[k][0],
            }
            for k, v in ratios.items()
        },  # fmt: skip
        "ingest_http": ingest,
        "ingest_rollups": roll,
        "dashboards": dash,
        "latency_base": lat_base,
        "latency_big": lat_big,
        "selector_p95_ratio": lat_big["selector_p95_s"] / lat_base["selector_p95_s"],
        "report": report,
        "rollup_rows": counts,
        "verify": verify,
        "phases_s": phases,
        "profiles": prof,
        "total_s": round(time.perf_counter() - t_all, 1),
    }
    out = HERE / f"results-{dbname}-{size}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")
    print_table(result)
    log(f"written {out}")
    from django.db import connections

    connections.close_all()
    if not args.keep:
        db.drop_database(dbname, size)
    return 0


def _report(world):
    from dxday.orgs.models import Organisation
    from dxday.plans.models import Campaign
    from dxday.reports.selectors import report_figures

    report_figures(
        Organisation.objects.get(code="bo-khcn"), Campaign.objects.get(pk=world.campaign_id)
    )


def print_table(r: dict) -> None:
    print()
    print(f"dxday bench — {r['db']}, {r['sessions']:,} sessions ({r['size']})")
    print(f"{'#':<3}{'measure':<66}{'ratio':>10}  {'goal':<8}met")
    for k, v in r["ratios"].items():
        print(f"{k:<3}{v['measure']:<66}{v['value']:>10.2f}  {v['goal']:<8}"
              f"{'yes' if v['met'] else 'NO'}")  # fmt: skip
    i = r["ingest_http"]
    print(f"   batch {i['batch_sessions_per_s']:.0f}/s, raw {i['raw_sessions_per_s']:.0f}/s, "
          f"single {i['single_sessions_per_s']:.0f}/s; roll-ups on "
          f"{r['ingest_rollups']['on_sessions_per_s']:.0f}/s, off "
          f"{r['ingest_rollups']['off_sessions_per_s']:.0f}/s")  # fmt: skip
    print(f"   dashboard p95 http {r['latency_base']['http_p95_s'] * 1000:.1f} ms at "
          f"{r['p95_base_sessions']:,} → {r['latency_big']['http_p95_s'] * 1000:.1f} ms at "
          f"{r['sessions']:,}; report {r['report']['report_s'] * 1000:.0f} ms vs roll-up reads "
          f"{r['report']['rollup_reads_s'] * 1000:.0f} ms")  # fmt: skip
    print()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="10M sessions (national scale)")
    parser.add_argument("--sessions", type=int, help="a custom number of sessions")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL bench database")
    args = parser.parse_args(argv)
    if args.db != "both":
        return run_one(args.db, args)
    rest = [a for a in (argv if argv is not None else sys.argv[1:]) if not a.startswith("--db")]
    rest = [a for a in rest if a not in ("sqlite", "postgres", "both")]
    code = 0
    for name in ("sqlite", "postgres"):
        code |= subprocess.call([sys.executable, "-m", "bench.run", "--db", name, *rest])
    return code


if __name__ == "__main__":
    sys.exit(main())
