"""P4 (issue 11): the open-data CSV and JSON of 100,000 published activities, streamed through a
real gunicorn (as `make serve`: dxday/gunicorn_conf.py, 2 workers × 4 threads), against the same
download at 10,000 in the same run. Memory must stay flat and the first byte come within 1 s.

    python -m bench.opendata [--db sqlite|postgres] [--small 10000] [--large 100000]

For each size, a fresh gunicorn is started (so a worker's peak RSS belongs to that size), warmed
with one small request, then each file is downloaded once over HTTP with a plain client reading
64 KiB at a time. The RSS of every worker is sampled every 20 ms from /proc during the download;
the figures are the peak over the idle RSS measured just before. Results: stdout and
bench/results-opendata-<db>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import shutil
import statistics
import subprocess
import threading
import time
import uuid

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

from .db import BENCH_VAR, PROJECT

PG_DB = os.environ.get("BENCH_OPENDATA_PG_DB", "dxday_h1")
PATHS = {"csv": "/du-lieu-mo/hoat-dong.csv", "json": "/du-lieu-mo/hoat-dong.json"}

WORLD = r"""
import datetime as dt
from dxday.orgs.models import Commune, Organisation, Province
from dxday.plans.models import Campaign, Indicator
p = Province.objects.create(code="38", name="Thanh Hóa", division_type="tinh", codename="th")
c = Commune.objects.create(code="16000", name="Phường Hạc Thành", division_type="phuong",
                           codename="hac_thanh", province=p)
root = Organisation.objects.add_root(create_kwargs={"code": "bo", "name": "Bộ", "kind": "national"})
Organisation.objects.add_child(root, create_kwargs={
    "code": "xa-16000", "name": "UBND phường Hạc Thành", "kind": "commune",
    "province": p, "commune": c})
Campaign.objects.create(year=2025, theme="Chuyển đổi số toàn dân, toàn diện, toàn trình")
for i, (code, name, unit) in enumerate([("bench-articles", "Tin, bài", "bài"),
                                        ("bench-reached", "Lượt tiếp cận", "lượt")]):
    Indicator.objects.update_or_create(code=code, defaults={"name": name, "unit": unit,
                                                            "order": 900 + i})
"""

ADD = r"""
import datetime as dt
from django.db import transaction
from dxday.activities.models import Activity, IndicatorValue
from dxday.orgs.models import Organisation
from dxday.plans.models import Campaign, Indicator
org = Organisation.objects.get(code="xa-16000")
camp = Campaign.objects.get(year=2025)
articles, reached = (Indicator.objects.get(code=c) for c in ("bench-articles", "bench-reached"))
start, count = {start}, {count}
types = ["communication", "event", "radio", "initiative"]
for base in range(start, start + count, 5000):
    n = min(5000, start + count - base)
    with transaction.atomic():
        rows = Activity.objects.bulk_create([Activity(
            campaign=camp, organisation=org, province_id="38", commune_id="16000",
            title=f"Tuyên truyền Ngày Chuyển đổi số quốc gia, đợt {{base + i}}",
            type=types[(base + i) % 4],
            starts_on=dt.date(2025, 10, 1) + dt.timedelta((base + i) % 10),
            ends_on=dt.date(2025, 10, 10), is_online=bool((base + i) % 2),
            description="Phát trên hệ thống truyền thanh cơ sở và trang thông tin của xã.",
            links="https://example.vn/tin-bai", status="accepted", is_published=True,
            search_key=f"tuyen truyen ngay chuyen doi so quoc gia dot {{base + i}}",
        ) for i in range(n)], batch_size=1000)
        values = []
        for a in rows:
            values.append(IndicatorValue(activity=a, indicator=articles, value=a.pk % 50))
            reach = None if a.pk % 7 == 0 else a.pk * 3  # some not reported
            values.append(IndicatorValue(activity=a, indicator=reached, value=reach))
        IndicatorValue.objects.bulk_create(values, batch_size=2000)
print("ACTIVITIES=" + str(Activity.objects.filter(is_published=True).count()))
"""


def _log(msg: str) -> None:
    print(msg, flush=True)


def rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def workers_of(master: int) -> list[int]:
    try:
        with open(f"/proc/{master}/task/{master}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


class Server:
    def __init__(self, env: dict, log_path):
        self.port = free_port()
        argv = [str(BIN / "gunicorn"), "-c", "python:dxday.gunicorn_conf", "dxday.wsgi:application"]
        child = {**env, "DXDAY_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": "2"}
        with open(log_path, "ab") as log:
            self.proc = subprocess.Popen(
                argv, cwd=ROOT, env=child, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        wait_port(self.port, "gunicorn")
        time.sleep(1.0)  # both workers booted

    def stop(self) -> None:
        os.killpg(self.proc.pid, 15)
        self.proc.wait(timeout=30)


def warm(port: int) -> None:
    """Both workers past their first request (imports, database connection, templates): eight
    connections at once, each asking for an empty download of each format."""

    def one():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for path in PATHS.values():
            conn.request("GET", path + "?nam=2001")
            conn.getresponse().read()
        conn.close()

    threads = [threading.Thread(target=one) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def download(port: int, path: str, workers: list[int]) -> dict:
    """One GET read 64 KiB at a time: first-byte time, total time, size, peak RSS of workers."""
    idle = {pid: rss_mb(pid) or 0.0 for pid in workers}
    peak = dict(idle)
    done = threading.Event()

    def sample():
        while not done.is_set():
            for pid in workers:
                mb = rss_mb(pid)
                if mb is not None and mb > peak[pid]:
                    peak[pid] = mb
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    t0 = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    first = response.read1(65536)
    t_first = time.perf_counter() - t0
    size, lines = len(first), first.count(b"\n")
    t_row = t_first if lines >= 2 else None  # the header (CSV) or "[" (JSON), then a row
    while chunk := response.read1(65536):
        size += len(chunk)
        lines += chunk.count(b"\n")
        if t_row is None and lines >= 2:
            t_row = time.perf_counter() - t0
    total = time.perf_counter() - t0
    done.set()
    sampler.join()
    conn.close()
    growth = {pid: peak[pid] - idle[pid] for pid in workers}
    served_by = max(growth, key=growth.get)
    return {
        "status": response.status,
        "streamed": response.getheader("Content-Length") is None,
        "first_byte_s": round(t_first, 3),
        "first_row_s": round(t_row or total, 3),
        "total_s": round(total, 2),
        "mb": round(size / 1e6, 1),
        "lines": lines,
        "rows_per_s": round(lines / total),
        "worker_idle_mb": round(idle[served_by], 1),
        "worker_peak_mb": round(peak[served_by], 1),
        "worker_growth_mb": round(growth[served_by], 1),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.opendata", description=__doc__)
    ap.add_argument("--db", default="sqlite", choices=["sqlite", "postgres"])
    ap.add_argument("--small", type=int, default=10_000)
    ap.add_argument("--large", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3, help="downloads of each file per size")
    args = ap.parse_args(argv)

    tmp = BENCH_VAR / "opendata"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    env = child_env(
        DXDAY_VAR_DIR=str(tmp / "var"),
        SECRET_KEY="bench-opendata-" + uuid.uuid4().hex,
        HOUSEHOLD_SALT="bench-household-" + uuid.uuid4().hex,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DXDAY_THREADS="4",
    )
    env.pop("REDIS_URL", None)
    if args.db == "postgres":
        env["DATABASE_URL"] = fresh_pg_database(PG_DB)
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'opendata.sqlite3'}"
    result = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT, capture_output=True, text=True
        ).stdout.strip(),  # fmt: skip
        "db": args.db,
        "loadavg_start": list(os.getloadavg()),
        "sizes": {},
    }
    try:
        manage(env, "migrate", "-v0")
        manage(env, "shell", stdin=WORLD)
        have = 0
        for size in (args.small, args.large):
            t0 = time.monotonic()
            out = manage(
                env, "shell", stdin=ADD.format(start=have, count=size - have), timeout=3600
            )
            have = size
            _log(f"{size:,} activities ready ({out.strip().splitlines()[-1]}) "
                 f"in {time.monotonic() - t0:.0f} s")  # fmt: skip
            server = Server(env, tmp / "gunicorn.log")
            try:
                warm(server.port)
                workers = workers_of(server.proc.pid)
                row = {}
                for fmt, path in PATHS.items():
                    # Three downloads, interleaved with nothing else: the median time and
                    # first row (the machine is shared), the largest memory growth.
                    runs = [download(server.port, path, workers) for _ in range(args.repeat)]
                    for r in runs:
                        _log(f"  {fmt}: {r}")
                    row[fmt] = {
                        **sorted(runs, key=lambda r: r["total_s"])[len(runs) // 2],
                        "first_byte_s": statistics.median(r["first_byte_s"] for r in runs),
                        "first_row_s": statistics.median(r["first_row_s"] for r in runs),
                        "worker_growth_mb": max(r["worker_growth_mb"] for r in runs),
                        "runs": runs,
                    }
                result["sizes"][str(size)] = row
            finally:
                server.stop()
    finally:
        if args.db == "postgres":
            drop_pg_database(PG_DB)
    small, large = result["sizes"][str(args.small)], result["sizes"][str(args.large)]
    result["ratios"] = {
        fmt: {
            "peak_growth_mb": [small[fmt]["worker_growth_mb"], large[fmt]["worker_growth_mb"]],
            "first_byte_s": [small[fmt]["first_byte_s"], large[fmt]["first_byte_s"]],
            "first_row_s": [small[fmt]["first_row_s"], large[fmt]["first_row_s"]],
            "total_s": [small[fmt]["total_s"], large[fmt]["total_s"]],
            "time_ratio": round(large[fmt]["total_s"] / small[fmt]["total_s"], 2),
            "first_byte_met": large[fmt]["first_row_s"] <= 1.0,
        }
        for fmt in PATHS
    }
    result["loadavg_end"] = list(os.getloadavg())
    out = PROJECT / "bench" / f"results-opendata-{args.db}.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    _log(json.dumps(result["ratios"], indent=1))
    _log(f"written {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
