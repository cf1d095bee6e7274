"""`python -m bench.learning [--db sqlite|postgres|both] [--checkins N]`: issue 12, L1–L3.

Each figure is a ratio against a baseline measured in the same run:

- L1  POST /api/v1/learning/checkins/batch end to end (real gunicorn, 4 client threads,
      batches of 500 signed tickets: HTTP, signature check, dedupe, roll-ups) ÷ the same number
      of check-in rows written raw into the same table (COPY / executemany). Goal ≥ 0.3×.
- L2  the attendance dashboard (selectors.attendance_totals by province, topic, kind,
      audience) from the roll-ups ÷ a naive GROUP BY over the check-ins, at N check-ins
      (× faster, goal ≥ 100×); and p95 of GET /api/v1/learning/totals at N ÷ at N/10
      (goal ≤ 1.3×).
- L3  POST /api/v1/learning/offerings/{id}/registrations (an offering with seats left, 16
      concurrent clients) ÷ a bare Django JSON view on the same server. Goal ≥ 0.3×, with 0
      overbooking (checked on a second offering with 100 seats and 400 requests).

Databases: var/bench/bench-learning.sqlite3, or PostgreSQL `dxday_bench` (bench/db.py).
Results: bench/results-learning-<db>-<size>.json and a table on stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from . import db
from .measure import p95
from .server import free_port, get_latencies, request

HERE = Path(__file__).resolve().parent
SIZE = "learning"
GOALS = {
    "L1": ("check-in batch over HTTP ÷ raw bulk insert (rows/s)", 0.3, ">="),
    "L2": ("naive GROUP BY ÷ roll-up dashboard (× faster)", 100.0, ">="),
    "L2p": ("p95 of totals endpoint at N ÷ at N/10", 1.3, "<="),
    "L3": ("registration endpoint ÷ bare Django JSON view (requests/s)", 0.3, ">="),
}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}Z] {msg}", flush=True)


class Server:
    """gunicorn as `make serve` runs it, on the bench WSGI module (dxday + one bare view)."""

    def __init__(self, env):
        self.port = free_port()
        self.env = {**os.environ, **env}
        self.log = db.BENCH_VAR / f"gunicorn-learning-{self.port}.log"

    def __enter__(self):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.proc = subprocess.Popen(
            [
                str(gunicorn),
                "bench.learning_wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--worker-class",
                "gthread",
                "--timeout",
                "120",
                "--keep-alive",
                "30",
            ],
            cwd=db.PROJECT,
            env=self.env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if request(self.port, "GET", "/bench/bare/")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer, see {self.log}")

    def __exit__(self, *exc):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(20)


def post_many(port, path, bodies: list[bytes], threads: int, headers: dict):
    lock = threading.Lock()
    queue = list(reversed(bodies))
    out: list[tuple[int, bytes]] = []

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            with lock:
                if not queue:
                    break
                body = queue.pop()
            status, data = request(port, "POST", path, body, headers, conn=conn)
            with lock:
                out.append((status, data))
        conn.close()

    t0 = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return time.perf_counter() - t0, out


# --- The world ---------------------------------------------------------------------------------


class World:
    def __init__(self, n_offerings: int):
        from django.core.management import call_command

        from dxday.orgs.areas import areas_load
        from dxday.orgs.models import Commune, Organisation
        from dxday.plans.models import Campaign

        call_command("migrate", verbosity=0)
        areas_load()
        root = Organisation.objects.add_root(
            create_kwargs={"code": "bo-khcn", "name": "Bộ KH&CN", "kind": "national"}
        )
        self.campaign = Campaign.objects.create(year=2025, theme="Bench")
        self.communes = list(Commune.objects.values_list("code", "province_id"))
        self.root = root
        rng = random.Random(12)
        from django.db import connection, transaction

        from dxday.learning.models import Offering

        kinds = ["class"] * 8 + ["training", "seminar"]
        rows, topic_rows = [], []
        start = dt.datetime(2025, 10, 10, 1, 0, tzinfo=dt.UTC)
        suffix = db.dt_suffix()
        for i in range(1, n_offerings + 1):
            commune, province = rng.choice(self.communes)
            kind = rng.choice(kinds)
            aud = "officials" if kind == "training" else rng.choice(["citizens", "all"])
            when = (start + dt.timedelta(hours=rng.randint(0, 10))).strftime(
                "%Y-%m-%d %H:%M:%S"
            ) + suffix
            rows.append(
                (
                    i,
                    when,
                    when,
                    self.campaign.pk,
                    kind,
                    "in_person",
                    f"Lớp {i}",
                    "",
                    root.pk,
                    province,
                    commune,
                    "Nhà văn hóa",
                    "",
                    when,
                    when,
                    None,
                    0,
                    aud,
                    None,
                    "",
                    "",
                    "",
                    False,
                    "",
                    True,
                    False,
                    "",
                    f"lop {i}",
                    0,
                    0,
                )
            )
            for t in rng.sample(
                ["vneid", "dich-vu-cong", "thanh-toan", "an-toan-so", "ai"], rng.randint(1, 2)
            ):
                topic_rows.append((len(topic_rows) + 1, i, t))
        cols = [
            "id",
            "created_at",
            "updated_at",
            "campaign_id",
            "kind",
            "format",
            "title",
            "description",
            "organiser_id",
            "province_id",
            "commune_id",
            "address",
            "online_link",
            "starts_at",
            "ends_at",
            "capacity",
            "seats_taken",
            "audience",
            "task_id",
            "speakers",
            "agenda",
            "livestream_url",
            "invitation_only",
            "invitation_code",
            "registration_open",
            "certificates_enabled",
            "attendance_code",
            "search_key",
            "checked_in",
            "walk_ins",
        ]
        with transaction.atomic():
            db.load_rows(Offering._meta.db_table, cols, rows)
            db.load_rows("learning_offeringtopic", ["id", "offering_id", "topic"], topic_rows)
        for table in (Offering._meta.db_table, "learning_offeringtopic"):
            db.reset_sequence(table)
        self.offerings = n_offerings
        self.reg_id = 0
        self.checkin_id = 0
        connection.close()

    def registrations(self, n: int) -> list[tuple[int, int]]:
        """n confirmed registrations spread over the offerings: [(id, offering_id)]."""
        from django.db import transaction

        rng = random.Random(self.reg_id)
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S") + db.dt_suffix()
        out = []

        def rows():
            for _ in range(n):
                self.reg_id += 1
                oid = rng.randint(1, self.offerings)
                out.append((self.reg_id, oid))
                yield (
                    self.reg_id,
                    now,
                    now,
                    oid,
                    f"R{self.reg_id:011d}",
                    "Nguyễn Văn An",
                    "nguyen van an",
                    f"n:nguyen van an{self.reg_id}",
                    None,
                    "",
                    None,
                    None,
                    None,
                    "confirmed",
                    None,
                    None,
                    None,
                )

        cols = [
            "id",
            "created_at",
            "updated_at",
            "offering_id",
            "code",
            "name",
            "name_key",
            "person_key",
            "commune_id",
            "contact",
            "contact_erased_at",
            "user_id",
            "organisation_id",
            "status",
            "hold_until",
            "cancelled_at",
            "notified_at",
        ]
        with db.bulk_mode(["learning_registration"]), transaction.atomic():
            db.load_rows("learning_registration", cols, rows())
        db.reset_sequence("learning_registration")
        return out

    def raw_checkins(self, regs: list[tuple[int, int]], walk_share: float = 0.1) -> int:
        """Check-in rows written raw (COPY / executemany), as a bulk loader would."""
        rng = random.Random(len(regs))
        self.checkin_id = db.max_id("learning_checkin")
        when = "2025-10-10 01:30:00" + db.dt_suffix()

        def rows():
            for rid, oid in regs:
                self.checkin_id += 1
                walk = rng.random() < walk_share
                yield (
                    self.checkin_id,
                    uuid.uuid4().hex if db.vendor() == "sqlite" else str(uuid.uuid4()),
                    "h",
                    oid,
                    None if walk else rid,
                    rng.randint(1, 4) if walk else None,
                    "",
                    True,
                    when,
                    "bench",
                    None,
                    when,
                )

        cols = [
            "id",
            "nonce",
            "content_hash",
            "offering_id",
            "registration_id",
            "walk_ins",
            "age_group",
            "counted",
            "scanned_at",
            "device",
            "staff_id",
            "received_at",
        ]
        return db.load_rows("learning_checkin", cols, rows())


# --- L2 ----------------------------------------------------------------------------------------


def naive(campaign_id: int):
    from django.db.models import Count, Sum

    from dxday.learning.models import CheckIn

    qs = CheckIn.objects.filter(counted=True, offering__campaign_id=campaign_id)
    out = []
    for key in ("offering__province_id", "offering__kind", "offering__audience"):
        out.append(list(qs.values(key).annotate(r=Count("registration_id"), w=Sum("walk_ins"))))
    out.append(
        list(
            qs.values("offering__topics__topic").annotate(
                r=Count("registration_id"), w=Sum("walk_ins")
            )
        )
    )
    return out


def rolled(campaign):
    from dxday.learning.selectors import attendance_totals

    return [
        attendance_totals(campaign=campaign, by=b)
        for b in ("province", "topic", "kind", "audience")
    ]


def timed(fn, reps):
    fn()
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def dashboard_p95(port, rounds=40) -> float:
    paths = [
        f"/api/v1/learning/totals?campaign=2025&by={b}"
        for b in ("province", "topic", "kind", "audience")
    ] + ["/api/v1/learning/totals?campaign=2025&province=01&by=commune"]
    return p95(get_latencies(port, paths, rounds))


# --- The run -----------------------------------------------------------------------------------


def run(dbname: str, n: int, offerings: int) -> dict:
    if dbname == "postgres" and db.postgres_reachable():
        log("PostgreSQL unreachable: skipped")
        return {}
    log(f"{dbname}: {offerings:,} offerings, {n:,} check-ins (p95 vs {n // 10:,})")
    db.create_database(dbname, SIZE)
    env = {
        **db.server_env(dbname, SIZE),
        "DXDAY_LEARNING_RATE": "1000000000/60",
        "DXDAY_LEARNING_REGISTRATION_RATE": "1000000000/60",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection, transaction

    from dxday.learning.models import CheckIn, Offering, Registration
    from dxday.learning.rollups import rollups_rebuild
    from dxday.learning.tickets import ticket_payload
    from dxday.orgs.auth import token_generate
    from dxday.orgs.models import ApiToken, Membership, User

    world = World(offerings)
    res: dict = {"db": dbname, "checkins": n, "offerings": offerings}

    # L2 at N/10, then at N (same run).
    def load(count):
        regs = world.registrations(count)
        with db.bulk_mode(["learning_checkin"]), transaction.atomic():
            world.raw_checkins(regs)
        db.reset_sequence("learning_checkin")
        t0 = time.perf_counter()
        rollups_rebuild()
        db.analyze()
        return time.perf_counter() - t0

    log("L2: loading N/10")
    res["rebuild_small_s"] = load(n // 10)
    with Server(env) as srv:
        res["p95_small_ms"] = 1000 * dashboard_p95(srv.port)
    log("L2: loading the rest up to N")
    res["rebuild_big_s"] = load(n - n // 10)
    from dxday.plans.models import Campaign

    campaign = Campaign.objects.get(year=2025)
    naive_t = timed(lambda: naive(campaign.pk), 2)
    rolled_t = timed(lambda: rolled(campaign), 10)
    res["naive_s"], res["rolled_ms"] = min(naive_t), 1000 * min(rolled_t)
    res["L2"] = min(naive_t) / min(rolled_t)
    with Server(env) as srv:
        res["p95_big_ms"] = 1000 * dashboard_p95(srv.port)
    res["L2p"] = res["p95_big_ms"] / res["p95_small_ms"]
    log(f"L2 {res['L2']:.0f}× faster; p95 {res['p95_small_ms']:.1f} → {res['p95_big_ms']:.1f} ms")

    # L1: the batch endpoint vs raw rows, each on fresh registrations.
    user = User.objects.create(username="bench-staff", is_superuser=False)
    Membership.objects.create(user=user, organisation=world.root, role="coordinator")
    raw_token, key_hash = token_generate()
    ApiToken.objects.create(user=user, key_hash=key_hash, prefix=raw_token[:8])
    batches, size = 40, 500
    api_regs = world.registrations(batches * size)
    raw_regs = world.registrations(batches * size)
    connection.close()
    bodies = []
    for b in range(batches):
        chunk = api_regs[b * size : (b + 1) * size]
        bodies.append(
            json.dumps(
                {
                    "checkins": [
                        {
                            "nonce": str(uuid.uuid4()),
                            "offering": oid,
                            "ticket": ticket_payload(oid, rid),
                            "scanned_at": "2025-10-10T08:30:00+07:00",
                            "device": "bench",
                        }
                        for rid, oid in chunk
                    ]
                }
            ).encode()
        )
    headers = {"Authorization": f"Bearer {raw_token}", "Content-Type": "application/json"}
    before = CheckIn.objects.count()
    with Server(env) as srv:
        post_many(srv.port, "/api/v1/learning/checkins/batch", bodies[:2], 2, headers)  # warm
        secs, out = post_many(srv.port, "/api/v1/learning/checkins/batch", bodies[2:], 4, headers)
    accepted = sum(json.loads(d)["accepted"] for s, d in out if s == 200)
    assert all(s == 200 for s, _ in out), {s for s, _ in out}
    assert CheckIn.objects.count() - before == batches * size
    api_rate = accepted / secs
    t0 = time.perf_counter()
    with transaction.atomic():
        world.raw_checkins(raw_regs[:accepted], walk_share=0.0)
    raw_secs = time.perf_counter() - t0
    raw_rate = accepted / raw_secs
    res.update(api_rows_s=api_rate, raw_rows_s=raw_rate, L1=api_rate / raw_rate)
    log(f"L1 {api_rate:,.0f} rows/s over HTTP vs {raw_rate:,.0f} raw: {res['L1']:.2f}×")

    # L3: registrations vs a bare view; then the overbooking check.
    open_offering = Offering.objects.order_by("id").first()
    Offering.objects.filter(pk=open_offering.pk).update(
        capacity=None, ends_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
    )
    tight = Offering.objects.order_by("id")[1]
    Offering.objects.filter(pk=tight.pk).update(
        capacity=100, seats_taken=0, ends_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
    )
    connection.close()
    body = json.dumps({"name": "Nguyễn Thị Bench", "commune": None, "contact": ""}).encode()
    json_headers = {"Content-Type": "application/json"}
    reqs = 1600
    with Server(env) as srv:
        path = f"/api/v1/learning/offerings/{open_offering.pk}/registrations"
        post_many(srv.port, path, [body] * 32, 16, json_headers)
        post_many(srv.port, "/bench/bare/", [body] * 32, 16, json_headers)
        rates = {"reg": [], "bare": []}
        for i in range(4):  # interleaved, so the machine's drift hits both
            for name, p in (("reg", path), ("bare", "/bench/bare/"))[:: 1 if i % 2 == 0 else -1]:
                secs, out = post_many(srv.port, p, [body] * (reqs // 4), 16, json_headers)
                assert all(s in (200, 201) for s, _ in out), {s for s, _ in out}
                rates[name].append(len(out) / secs)
        tpath = f"/api/v1/learning/offerings/{tight.pk}/registrations"
        _secs, out = post_many(srv.port, tpath, [body] * 400, 16, json_headers)
    statuses = [json.loads(d)["status"] for s, d in out if s == 201]
    # Only the 400 registrations sent now (the loader's rows are spread over every offering).
    confirmed = Registration.objects.filter(
        offering_id=tight.pk, status="confirmed", name="Nguyễn Thị Bench"
    ).count()
    res.update(
        reg_rps=sum(rates["reg"]) / 4,
        bare_rps=sum(rates["bare"]) / 4,
        overbooking_confirmed=confirmed,
        overbooking_answers=statuses.count("confirmed"),
    )
    res["L3"] = res["reg_rps"] / res["bare_rps"]
    tight.refresh_from_db()
    res["overbooked"] = max(0, confirmed - 100) + max(0, tight.seats_taken - 100)
    log(
        f"L3 {res['reg_rps']:.0f} vs {res['bare_rps']:.0f} req/s: {res['L3']:.2f}×; "
        f"{confirmed} confirmed of 100 seats"
    )
    db.drop_database(dbname, SIZE)
    return res


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="both", choices=["sqlite", "postgres", "both"])
    parser.add_argument("--checkins", type=int, default=500_000)
    parser.add_argument("--offerings", type=int, default=20_000)
    args = parser.parse_args()
    if args.db == "both":  # one process per database (Django is set up once per process)
        code = 0
        for name in ("sqlite", "postgres"):
            code |= subprocess.call(
                [
                    sys.executable,
                    "-m",
                    "bench.learning",
                    "--db",
                    name,
                    "--checkins",
                    str(args.checkins),
                    "--offerings",
                    str(args.offerings),
                ],
                cwd=db.PROJECT,
            )
        return code
    res = run(args.db, args.checkins, args.offerings)
    if not res:
        return 0
    name = (
        f"{args.checkins // 1000}k"
        if args.checkins < 1_000_000
        else (f"{args.checkins // 1_000_000}M")
    )
    out = HERE / f"results-learning-{args.db}-{name}.json"
    out.write_text(json.dumps(res, indent=2))
    for key, (label, goal, op) in GOALS.items():
        value = res[key]
        met = value >= goal if op == ">=" else value <= goal
        print(f"| {key} | {label} | {value:.2f} | {op} {goal} | {'met' if met else 'MISSED'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
