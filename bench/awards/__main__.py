"""python -m bench.awards: A1 (automatic jury assignment at scale), A2 (vote endpoint throughput
against a bare Django JSON view, over HTTP with wrk) and A3 (a vote storm over HTTP). See
bench/README.md, "Awards (issue 14)"."""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import threading
import time
from pathlib import Path

from dxday.core.tests.servers import (
    child_env,
    drop_pg_database,
    free_port,
    fresh_pg_database,
    manage,
    wait_port,
)

from ..db import BENCH_VAR, PROJECT
from ..server import request

HERE = Path(__file__).resolve().parent
RESULTS = PROJECT / "bench" / "results-awards.json"
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")

A1_SCRIPT = r"""
import json, random, time
from django.utils import timezone
from dxday.awards import services
from dxday.awards.models import *
from dxday.identity.models import Identity
from dxday.orgs.models import Organisation, User
from dxday.orgs.permissions import Actor
root = Organisation.add_root(code="bo-khcn", name="Bộ KH&CN", kind="national")
boss = User.objects.create(username="boss", is_superuser=True)
by = Actor(user=boss, membership=None)
now = timezone.now()
p = Programme.objects.create(kind="award", year=2024, name="A1", organiser=root,
    organiser_label="A1", entries_open=now, entries_close=now + timezone.timedelta(days=1),
    jurors_per_entry=3, max_load=110, phase="screening")
cats = [Category.objects.create(programme=p, code=str(i), name=f"Hạng mục {i}") for i in range(5)]
panel = Panel.objects.create(programme=p, name="Tất cả")
panel.categories.set(cats)
rng = random.Random(14)
orgs = [f"Cơ quan {i}" for i in range(25)]
jurors = []
for i in range(60):
    u = User.objects.create(username=f"j{i}")
    j = Juror.objects.create(programme=p, user=u, name=f"GK {i}", affiliation=rng.choice(orgs))
    j.panels.add(panel)
    jurors.append(j)
ids = Identity.objects.bulk_create([Identity(kind="email", contact_hash=f"{i:064d}",
    contact_masked="x", verified_at=now) for i in range(2000)])
apps = Applicant.objects.bulk_create([Applicant(identity=ids[i], kind="organisation",
    name=f"Công ty {i}", org_type="enterprise") for i in range(2000)])
Entry.objects.bulk_create([Entry(programme=p, category=cats[i % 5], applicant=apps[i],
    title=f"Hồ sơ {i}", status="eligible") for i in range(2000)])
from dxday.core.text import search_key
Conflict.objects.bulk_create([Conflict(juror=rng.choice(jurors), organisation_name=n,
    organisation_key=search_key(n), relation="employment", declared_by="juror")
    for n in (f"Công ty {rng.randrange(2000)}" for _ in range(300))])
t0 = time.perf_counter()
out = services.assignments_auto(by=by, programme=p)
seconds = time.perf_counter() - t0
per_entry, load, bad = {}, {}, 0
for a in Assignment.objects.select_related("entry__applicant", "juror"):
    per_entry[a.entry_id] = per_entry.get(a.entry_id, 0) + 1
    load[a.juror_id] = load.get(a.juror_id, 0) + 1
keys = {}
for c in Conflict.objects.all():
    keys.setdefault(c.juror_id, set()).add(c.organisation_key)
for a in Assignment.objects.select_related("entry__applicant"):
    if search_key(a.entry.applicant.name) in keys.get(a.juror_id, set()):
        bad += 1
print("A1JSON" + json.dumps({"seconds": round(seconds, 2), "created": out["created"],
    "short": len(out["short_entries"]),
    "entries_with_k": sum(1 for v in per_entry.values() if v == 3),
    "max_load": max(load.values()), "limit": p.max_load, "conflicted_pairs": bad,
    "conflicts": Conflict.objects.count()}))
"""

A2_SEED = r"""
import hashlib, secrets
from django.utils import timezone
from dxday.awards.models import Candidate, Programme
from dxday.identity.models import Identity, IdentityToken
from dxday.orgs.models import Organisation
now = timezone.now()
root = Organisation.add_root(code="bo-khcn", name="Bộ KH&CN", kind="national")
p = Programme.objects.create(kind="honours", year=2024, name="A2", organiser=root,
    organiser_label="A2", entries_open=now - timezone.timedelta(days=2),
    entries_close=now - timezone.timedelta(days=1), votes_open=now - timezone.timedelta(days=1),
    votes_close=now + timezone.timedelta(days=1), votes_per_person=3)
cs = Candidate.objects.bulk_create([Candidate(programme=p, kind="app", name=f"Ứng dụng {i}",
    description="x", nominated_by=root, status="shortlisted") for i in range(10)])
N = __VOTERS__
ids = Identity.objects.bulk_create([Identity(kind="email", contact_hash=f"{i:064d}",
    contact_masked="x", verified_at=now) for i in range(N)], batch_size=2000)
raws = ["idt_" + secrets.token_urlsafe(24) for _ in range(N)]
IdentityToken.objects.bulk_create([IdentityToken(key_hash=hashlib.sha256(r.encode()).hexdigest(),
    identity=i, purpose="bench", last_used_at=now) for r, i in zip(raws, ids)],
    batch_size=2000)
open("__TOKENS__", "w").write("\n".join(raws) + "\n")
print("CANDIDATES " + ",".join(str(c.pk) for c in cs))
"""


def _log(msg: str) -> None:
    print(msg, flush=True)


def a1() -> dict:
    name = "dxday_bench_awards_a1"
    env = child_env(DATABASE_URL=fresh_pg_database(name), SECRET_KEY="bench", HOUSEHOLD_SALT="b")
    try:
        manage(env, "migrate", "--noinput", "-v0")
        out = manage(env, "shell", stdin=A1_SCRIPT, timeout=1200)
    finally:
        drop_pg_database(name)
    return json.loads(out.split("A1JSON", 1)[1].strip().splitlines()[0])


def _wrk(port: int, script: Path, args: list[str], seconds: int, connections: int) -> dict:
    done = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script),
         f"http://127.0.0.1:{port}", "--", *args],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    text = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", text)
    scale = {"us": 0.001, "ms": 1, "s": 1000}
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    return {
        "requests": requests,
        "rps": rps,
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "p99_ms": round(float(p99.group(1)) * scale[p99.group(2)], 1) if p99 else None,
    }


class Server:
    def __init__(self, env: dict):
        self.port = free_port()
        self.env = {**env, "DXDAY_BIND": f"127.0.0.1:{self.port}"}
        self.log = BENCH_VAR / "awards-gunicorn.log"

    def __enter__(self):
        BENCH_VAR.mkdir(parents=True, exist_ok=True)
        gunicorn = Path(os.sys.executable).with_name("gunicorn")
        self.proc = subprocess.Popen(
            [str(gunicorn), "-c", "python:dxday.gunicorn_conf", "dxday.wsgi:application"],
            cwd=PROJECT, env=self.env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_port(self.port, "gunicorn")
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(30)


def a2_a3(seconds: int, rounds: int, connections: int, voters: int) -> dict:
    name = "dxday_bench_awards_a2"
    tokens = BENCH_VAR / "awards-tokens.txt"
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    env = child_env(
        DATABASE_URL=fresh_pg_database(name), REDIS_URL=REDIS, SECRET_KEY="bench-awards",
        HOUSEHOLD_SALT="bench", DJANGO_SETTINGS_MODULE="bench.awards.settings",
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )  # fmt: skip
    try:
        manage(env, "migrate", "--noinput", "-v0")
        out = manage(
            env,
            "shell",
            stdin=A2_SEED.replace("__VOTERS__", str(voters)).replace("__TOKENS__", str(tokens)),
        )
        candidates = out.split("CANDIDATES ", 1)[1].split()[0]
        subprocess.run(["redis-cli", "-u", REDIS, "flushdb"], capture_output=True, check=False)
        results = {"votes": [], "bare": []}
        with Server(env) as server:
            request(server.port, "GET", "/api/v1/awards/programmes")  # warm both workers
            _wrk(server.port, HERE / "bare.lua", [], 2, connections)
            used = 0
            for _ in range(rounds):
                run = _wrk(
                    server.port,
                    HERE / "vote.lua",
                    [str(tokens), candidates, "2", str(used)],
                    seconds,
                    connections,
                )
                used += int(run["requests"] / 3) + 100  # fresh voters for the next round
                results["votes"].append(run)  # fmt: skip
                results["bare"].append(_wrk(server.port, HERE / "bare.lua", [], seconds,
                                            connections))  # fmt: skip
            storm = _storm(server.port, tokens, candidates.split(","))
        ratios = [
            v["rps"] / b["rps"] for v, b in zip(results["votes"], results["bare"], strict=True)
        ]
        return {
            "a2": {**results, "ratio_median": round(statistics.median(ratios), 3),
                   "ratios": [round(r, 3) for r in ratios]},
            "a3": storm,
        }  # fmt: skip
    finally:
        drop_pg_database(name)


def _storm(port: int, tokens: Path, candidates: list[str]) -> dict:
    """A3 over HTTP: 500 concurrent requests from 100 fresh voters across 10 candidates."""
    raws = tokens.read_text().split()[-100:]  # voters the wrk rounds have not reached
    import random

    rng = random.Random(3)
    plan = [(rng.choice(raws), rng.choice(candidates)) for _ in range(500)]
    statuses: list[int] = []
    lock = threading.Lock()

    def worker(chunk):
        for raw, cid in chunk:
            status, _ = request(port, "POST", f"/api/v1/honours/candidates/{cid}/votes",
                                headers={"Authorization": f"Bearer {raw}"})  # fmt: skip
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=worker, args=(plan[i::50],)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    pairs: dict[str, set[str]] = {}
    for raw, cid in plan:
        pairs.setdefault(raw, set()).add(cid)
    expected = sum(min(3, len(c)) for c in pairs.values())
    return {
        "requests": len(plan),
        "created": statuses.count(201),
        "expected_votes": expected,
        "refused_409": statuses.count(409),
        "server_errors": sum(1 for s in statuses if s >= 500),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.awards", description=__doc__)
    ap.add_argument("--only", default="a1,a2", help="a1, a2 (A2 runs A3 after it)")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--voters", type=int, default=40000)
    args = ap.parse_args(argv)
    out: dict = {"started": time.strftime("%Y-%m-%dT%H:%M:%S"), "cpus": os.cpu_count(),
                 "loadavg_start": list(os.getloadavg())}  # fmt: skip
    if "a1" in args.only:
        _log("A1: automatic assignment, 2,000 entries × 60 jurors × 300 conflicts …")
        out["a1"] = a1()
        _log(json.dumps(out["a1"], ensure_ascii=False))
    if "a2" in args.only:
        _log("A2/A3: vote endpoint vs bare view (wrk), then the storm …")
        out.update(a2_a3(args.seconds, args.rounds, args.connections, args.voters))
        _log(json.dumps({k: out[k] for k in ("a2", "a3")}, ensure_ascii=False))
    out["loadavg_end"] = list(os.getloadavg())
    RESULTS.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
