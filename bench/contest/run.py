"""Contest bench C1–C5 (issue 13), PostgreSQL + Redis, every figure a ratio against a baseline
measured in the same run.

    .venv/bin/python -m bench.contest [--people 3000] [--spike 2000] [--big 1000000]

- a fresh database `dxday_bench_contest` (BENCH_PG_URL), Redis db 8 (BENCH_REDIS_URL), flushed;
- one gunicorn as `make run` starts it (gunicorn_conf: 2 workers × 4 threads, gthread), with
  `bench.contest.settings` (dxday's settings + a bare JSON view at /bench/bare, the baseline);
- the load generator: Python threads with keep-alive connections; its own CPU share is
  reported (process CPU time / wall time / cores) so a saturated client shows.
Results: JSON on stdout and bench/contest/results.json (the runs quoted in bench/README.md are
kept as results-run1.json and results-run2.json).
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
DB = "dxday_bench_contest"
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
RESULTS = Path(__file__).with_name("results.json")
ENV = {
    "DATABASE_URL": f"{PG}/{DB}",
    "REDIS_URL": REDIS,
    "DJANGO_SETTINGS_MODULE": "bench.contest.settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-contest-secret-key-0123456789abcdefghijklmnop",
    "HOUSEHOLD_SALT": "bench-contest-household-salt",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DXDAY_CONTEST_RATE": "1000000000/1000000000",
}


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))] if s else float("nan")


# --- world ---------------------------------------------------------------------------------


def fresh_database() -> None:
    import psycopg
    import redis

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')
    redis.Redis.from_url(REDIS).flushdb()


def django_setup() -> None:
    os.environ.update(ENV)
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()


def seed(people: int) -> dict:
    """Tuyên Quang, 50 communes with committees, a contest, 80 approved questions, one open
    round (20 questions by topic quotas, 15 minutes, 1 attempt) and `people` participants with
    identity tokens."""
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from dxday.contest import services
    from dxday.orgs.models import Commune, Organisation, Province
    from dxday.plans.models import Campaign

    call_command("migrate", verbosity=0)
    p = Province.objects.create(code="08", name="Tuyên Quang", division_type="tinh",
                                codename="tq")  # fmt: skip
    root = Organisation.objects.add_root(
        create_kwargs={"code": "bo", "name": "Bộ", "kind": "national"}
    )
    prov = Organisation.objects.add_child(
        root,
        create_kwargs={
            "code": "tinh-08",
            "name": "UBND tỉnh Tuyên Quang",
            "kind": "province",
            "province": p,
        },
    )
    for i in range(50):
        c = Commune.objects.create(code=f"{2000 + i:05d}", name=f"Xã {i}", division_type="xa",
                                   codename=f"xa{i}", province=p)  # fmt: skip
        prov.refresh_from_db()
        Organisation.objects.add_child(prov, create_kwargs={
            "code": f"xa-{c.code}", "name": f"UBND xã {i}", "kind": "commune", "province": p,
            "commune": c})  # fmt: skip
    camp = Campaign.objects.create(year=2025, theme="Thử")
    contest = services.contest_create(actor=None, campaign=camp, organiser=prov, title="Thi")
    for topic in ("dx", "government", "skills", "safety"):
        for i in range(20):
            services.question_create(
                actor=None, contest=contest, topic=topic, status="approved", audit_it=False,
                text=f"Câu hỏi {topic} số {i}: nội dung đủ dài như một câu hỏi thật?",
                options=[(f"Phương án đúng {i}", True), (f"Phương án sai {i}a", False),
                         (f"Phương án sai {i}b", False), (f"Phương án sai {i}c", False)],
            )  # fmt: skip
    now = timezone.now()
    rnd = services.round_create(
        actor=None, contest=contest, number=1, opens_at=now - dt.timedelta(minutes=1),
        closes_at=now + dt.timedelta(hours=6), questions_per_attempt=20, time_limit_s=900,
        attempts_allowed=1, quotas={"dx": 5, "government": 5, "skills": 5, "safety": 5},
    )  # fmt: skip
    tokens = add_people(contest, people, offset=0)
    return {"contest": contest.pk, "round": rnd.pk, "tokens": tokens}


def add_people(contest, n: int, *, offset: int) -> list[str]:
    from django.db import connection
    from django.utils import timezone

    from dxday.contest.models import Participant
    from dxday.identity.models import Identity, IdentityToken
    from dxday.orgs.models import Organisation

    committees = list(
        Organisation.objects.filter(kind="commune").values_list("pk", "commune_id", "province_id")
    )
    now = timezone.now()
    ids = Identity.objects.bulk_create([
        Identity(kind="email", contact_hash=f"bench-{offset + i}", contact_masked="b***@x.vn",
                 verified_at=now) for i in range(n)], batch_size=5000)  # fmt: skip
    raws = [f"idt_bench_{offset + i}_{os.getpid()}" for i in range(n)]
    IdentityToken.objects.bulk_create([
        IdentityToken(key_hash=hashlib.sha256(r.encode()).hexdigest(), identity=ident,
                      purpose="contest") for r, ident in zip(raws, ids, strict=True)
    ], batch_size=5000)  # fmt: skip
    Participant.objects.bulk_create([
        Participant(contest=contest, identity=ident, full_name=f"Nguyễn Văn Thị Bench {i}",
                    birth_year=1990, province_id=committees[i % 50][2],
                    commune_id=committees[i % 50][1],
                    kind="official" if i % 3 == 0 else "citizen",
                    organisation_id=committees[i % 50][0] if i % 3 == 0 else None)
        for i, ident in enumerate(ids)
    ], batch_size=5000)  # fmt: skip
    connection.close()
    return raws


# --- server and client ---------------------------------------------------------------------


class Server:
    def __init__(self):
        self.port = _free_port()
        self.log = PROJECT / "var" / "bench" / "contest-gunicorn.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)

    def __enter__(self):
        env = {**os.environ, **ENV, "DXDAY_BIND": f"127.0.0.1:{self.port}"}
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.proc = subprocess.Popen(
            [str(gunicorn), "-c", "python:dxday.gunicorn_conf", "dxday.wsgi:application",
             "--access-logfile", "/dev/null"],
            cwd=PROJECT, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if Client(self.port).get("/bench/bare")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not start, see {self.log}")

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(30)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method: str, path: str, token: str | None = None, body=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None if body is None else json.dumps(body)
        try:
            self.conn.request(method, path, body=data, headers=headers)
            r = self.conn.getresponse()
            raw = r.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            raise
        return r.status, raw

    def get(self, path: str):
        return self.call("GET", path)


def run_threads(port: int, jobs: list, threads: int) -> dict:
    """Run `jobs` (callables taking a Client, returning a status) on `threads` threads;
    requests per second, latencies, errors and the client's CPU share."""
    lock = threading.Lock()
    it = iter(jobs)
    lat: list[float] = []
    errors: list = []

    def work():
        client = Client(port)
        while True:
            with lock:
                job = next(it, None)
            if job is None:
                return
            t0 = time.perf_counter()
            try:
                status = job(client)
            except Exception as exc:  # noqa: BLE001 — counted as an error
                status = repr(exc)
                client = Client(port)
            dt = time.perf_counter() - t0
            with lock:
                lat.append(dt)
                if not (isinstance(status, int) and status < 400):
                    errors.append(status)

    cpu0, t0 = time.process_time(), time.perf_counter()
    ts = [threading.Thread(target=work) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    return {
        "n": len(lat), "wall_s": wall, "rps": len(lat) / wall, "errors": len(errors),
        "error_sample": [str(e) for e in errors[:5]], "p50_ms": 1000 * pct(lat, 50),
        "p95_ms": 1000 * pct(lat, 95), "p99_ms": 1000 * pct(lat, 99),
        "client_cpu_share": cpu / wall / (os.cpu_count() or 1),
    }  # fmt: skip


# --- C1 / C3 -------------------------------------------------------------------------------


def c1_c3(port: int, world: dict, threads: int, c3_attempts: int) -> dict:
    rnd = world["round"]
    bare_n = len(world["tokens"])
    started: dict[str, dict] = {}

    def bare(c):
        return c.get("/bench/bare")[0]

    def start(token):
        def job(c):
            status, raw = c.call("POST", f"/api/v1/contest/rounds/{rnd}/attempts", token)
            if status in (200, 201):
                started[token] = json.loads(raw)
            return status

        return job

    out = {"bare_before": run_threads(port, [bare] * bare_n, threads)}
    out["start"] = run_threads(port, [start(t) for t in world["tokens"]], threads)
    out["bare_after"] = run_threads(port, [bare] * bare_n, threads)
    bare_rps = (out["bare_before"]["rps"] + out["bare_after"]["rps"]) / 2
    out["C1_ratio"] = out["start"]["rps"] / bare_rps

    chosen = list(started.items())[:c3_attempts]
    save_jobs, submit_jobs = [], []
    for token, s in chosen:
        aid = s["attempt"]
        for q in s["questions"]:
            body = {"answers": [{"question": q["id"], "options": [q["options"][0]["id"]]}]}
            save_jobs.append(lambda c, a=aid, b=body, t=token: c.call(
                "PUT", f"/api/v1/contest/attempts/{a}/answers", t, b)[0])  # fmt: skip
        submit_jobs.append(lambda c, a=aid, t=token: c.call(
            "POST", f"/api/v1/contest/attempts/{a}/submit", t)[0])  # fmt: skip
    out["save"] = run_threads(port, save_jobs, threads)
    out["submit"] = run_threads(port, submit_jobs, threads)
    out["bare_c3"] = run_threads(port, [bare] * len(save_jobs), threads)
    out["C3_save_ratio"] = out["save"]["rps"] / out["bare_c3"]["rps"]
    out["C3_submit_ratio"] = out["submit"]["rps"] / out["bare_c3"]["rps"]
    return out


# --- C2 ------------------------------------------------------------------------------------


def c2_spike(port: int, world: dict, tokens: list[str], seconds: float = 10.0) -> dict:
    """`len(tokens)` participants start within `seconds` (uniform arrivals), 10 % of them
    double-click. Latency is counted from each one's scheduled arrival (client queueing
    included, so it can only overstate)."""
    rnd = world["round"]
    n = len(tokens)
    schedule = [(i * seconds / n, t, i % 10 == 0) for i, t in enumerate(tokens)]
    lock = threading.Lock()
    it = iter(schedule)
    lat, errors, doubles = [], [], []
    t_start = time.perf_counter() + 0.5

    def work():
        client = Client(port)
        while True:
            with lock:
                item = next(it, None)
            if item is None:
                return
            at, token, double = item
            delay = t_start + at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            ids = []
            for _ in range(2 if double else 1):
                try:
                    status, raw = client.call(
                        "POST", f"/api/v1/contest/rounds/{rnd}/attempts", token)  # fmt: skip
                except Exception as exc:  # noqa: BLE001
                    status, raw = repr(exc), b""
                    client = Client(port)
                if isinstance(status, int) and status in (200, 201):
                    ids.append(json.loads(raw)["attempt"])
                else:
                    with lock:
                        errors.append(status)
            done = time.perf_counter() - (t_start + at)
            with lock:
                lat.append(done)
                if len(set(ids)) > 1:
                    doubles.append(ids)

    cpu0 = time.process_time()
    ts = [threading.Thread(target=work) for _ in range(200)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    wall = time.perf_counter() - t_start
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT COUNT(*) FROM (SELECT participant_id FROM contest_attempt WHERE round_id = %s"
            " GROUP BY participant_id HAVING COUNT(*) > 1) x", [rnd])  # fmt: skip
        db_doubles = cur.fetchone()[0]
    connection.close()
    return {
        "participants": n, "errors": len(errors), "error_sample": [str(e) for e in errors[:5]],
        "double_attempts_api": len(doubles), "double_attempts_db": db_doubles,
        "p50_s": pct(lat, 50), "p95_s": pct(lat, 95), "p99_s": pct(lat, 99), "wall_s": wall,
        "client_cpu_share": (time.process_time() - cpu0) / wall / (os.cpu_count() or 1),
    }  # fmt: skip


# --- C4 / C5 -------------------------------------------------------------------------------


def big_round(contest_id: int, total: int, have: int) -> int:
    """Grow a closed round to `total` finished attempts (one per participant), by SQL."""
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from dxday.contest.models import Round
    from dxday.contest.rollups import rollups_rebuild

    rnd = Round.objects.filter(contest_id=contest_id, number=9).first()
    if rnd is None:
        now = timezone.now()
        rnd = Round.objects.create(
            contest_id=contest_id, number=9, opens_at=now - dt.timedelta(days=8),
            closes_at=now - dt.timedelta(days=1), questions_per_attempt=20, time_limit_s=900,
        )  # fmt: skip
    n = total - have
    with connection.cursor() as cur:
        cur.execute(
            """INSERT INTO identity_identity (kind, contact_hash, contact_masked, verified_at,
                created_at, created_from)
               SELECT 'phone', 'big-' || g, 'x', now(), now(), ''
               FROM generate_series(%s, %s) g""", [have + 1, total])  # fmt: skip
        cur.execute(
            """WITH c AS (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, commune_id,
                               province_id FROM orgs_organisation WHERE kind = 'commune')
               INSERT INTO contest_participant (contest_id, identity_id, full_name, birth_year,
                 province_id, commune_id, kind, organisation_id, created_at)
               SELECT %s, i.id, 'Nguyễn Văn Thị Lớn ' || i.id, 1990, c.province_id,
                      c.commune_id, CASE WHEN i.id %% 3 = 0 THEN 'official' ELSE 'citizen' END,
                      CASE WHEN i.id %% 3 = 0 THEN c.id END, now()
               FROM identity_identity i JOIN c ON c.k = i.id %% 50
               WHERE i.contact_hash LIKE 'big-%%'
                 AND NOT EXISTS (SELECT 1 FROM contest_participant p WHERE p.identity_id = i.id)
            """, [contest_id])  # fmt: skip
        cur.execute(
            """INSERT INTO contest_attempt (round_id, participant_id, number, state, started_at,
                 deadline, finished_at, score, max_score, time_taken_ms, prediction, origin_key)
               SELECT %s, p.id, 1, 'finished', now() - interval '3 days',
                      now() - interval '3 days' + interval '15 minutes',
                      now() - interval '3 days' + (p.id %% 900) * interval '1 second',
                      (p.id * 7) %% 21, 20, (p.id %% 900) * 1000, (p.id * 13) %% 5000, ''
               FROM contest_participant p
               WHERE p.full_name LIKE 'Nguyễn Văn Thị Lớn %%'
                 AND NOT EXISTS (SELECT 1 FROM contest_attempt a
                                 WHERE a.round_id = %s AND a.participant_id = p.id)
            """, [rnd.pk, rnd.pk])  # fmt: skip
        cur.execute("ANALYZE")
    rollups_rebuild()
    return rnd.pk, n


NAIVE_ORG = """SELECT p.organisation_id, COUNT(DISTINCT a.participant_id) AS n, COUNT(*)
  FROM contest_attempt a JOIN contest_participant p ON p.id = a.participant_id
  WHERE a.round_id = %s AND p.organisation_id IS NOT NULL
  GROUP BY p.organisation_id ORDER BY n DESC LIMIT 100"""
NAIVE_PROVINCE = """SELECT p.province_id, COUNT(DISTINCT a.participant_id) AS n, COUNT(*)
  FROM contest_attempt a JOIN contest_participant p ON p.id = a.participant_id
  WHERE a.round_id = %s GROUP BY p.province_id ORDER BY n DESC LIMIT 100"""
PLAIN_ORDER = """SELECT id, participant_id, score, prediction, time_taken_ms, finished_at
  FROM contest_attempt WHERE round_id = %s AND state = 'finished'
  ORDER BY score DESC, prediction, time_taken_ms, finished_at, id"""


def timed(fn, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def c4_c5(contest_id: int, small: int, big: int) -> dict:
    from django.db import connection

    from dxday.contest import selectors
    from dxday.contest.models import Round

    def boards(rid):
        rnd = Round.objects.get(pk=rid)
        return lambda: (selectors.organisation_board(rnd), selectors.province_board(rnd),
                        selectors.participants_in_round(rid))  # fmt: skip

    def naive(rid):
        def run():
            with connection.cursor() as cur:
                for sql in (NAIVE_ORG, NAIVE_PROVINCE):
                    cur.execute(sql, [rid])
                    cur.fetchall()

        return run

    def ranking(rid):
        def run():
            n = selectors.participants_in_round(rid)
            with connection.cursor() as cur:
                cur.execute(selectors.RANKING_SQL,
                            {"n": n, "round": rid, "limit": 10**9, "offset": 0})  # fmt: skip
                return len(cur.fetchall())

        return run

    def plain(rid):
        def run():
            with connection.cursor() as cur:
                cur.execute(PLAIN_ORDER, [rid])
                return len(cur.fetchall())

        return run

    out = {}
    rid, _ = big_round(contest_id, small, 0)
    small_boards = timed(boards(rid), 40)
    small_naive = timed(naive(rid), 5)
    rid, _ = big_round(contest_id, big, small)
    big_boards = timed(boards(rid), 40)
    big_naive = timed(naive(rid), 5)
    out["C4"] = {
        "rollup_p95_ms_small": 1000 * pct(small_boards, 95),
        "rollup_p95_ms_big": 1000 * pct(big_boards, 95),
        "naive_median_ms_big": 1000 * statistics.median(big_naive),
        "naive_median_ms_small": 1000 * statistics.median(small_naive),
        "speedup_big": statistics.median(big_naive) / statistics.median(big_boards),
        "p95_growth": pct(big_boards, 95) / pct(small_boards, 95),
        "sizes": [small, big],
    }  # fmt: skip
    rank_t, plain_t = [], []
    for _ in range(3):  # interleaved, so drift hits both
        rank_t += timed(ranking(rid), 1)
        plain_t += timed(plain(rid), 1)
    out["C5"] = {
        "ranking_median_s": statistics.median(rank_t),
        "plain_median_s": statistics.median(plain_t),
        "ratio": statistics.median(rank_t) / statistics.median(plain_t),
        "attempts": big,
    }  # fmt: skip
    connection.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=3000)
    ap.add_argument("--spike", type=int, default=2000)
    ap.add_argument("--c3-attempts", type=int, default=600)
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--small", type=int, default=100_000)
    ap.add_argument("--big", type=int, default=1_000_000)
    ap.add_argument("--only", default="c1,c2,c3,c4,c5")
    args = ap.parse_args()
    only = set(args.only.split(","))
    fresh_database()
    django_setup()
    world = seed(args.people)
    from dxday.contest.models import Contest

    spike_tokens = add_people(Contest.objects.get(pk=world["contest"]), args.spike,
                              offset=args.people)  # fmt: skip
    results: dict = {"args": vars(args), "cores": os.cpu_count()}
    with Server() as server:
        if only & {"c1", "c3"}:
            results["C1_C3"] = c1_c3(server.port, world, args.threads, args.c3_attempts)
        if "c2" in only:
            results["C2"] = c2_spike(server.port, world, spike_tokens)
    if only & {"c4", "c5"}:
        results.update(c4_c5(world["contest"], args.small, args.big))
    RESULTS.write_text(json.dumps(results, indent=2, default=str))
    print(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
