"""The measurements: each returns the figure and its baseline, measured side by side."""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import re
import statistics
import time
import uuid
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Count, Sum

from . import db
from .gen import SESSION_COLUMNS, SESSION_TABLE, TOPIC_COLUMNS, TOPIC_TABLE, Sampler
from .server import Gunicorn, get_latencies, post_all
from .world import World

PROFILES = Path(__file__).resolve().parent / "profiles"


def p95(values: list[float]) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]


def paired(fn_a, fn_b, reps: int, warm: int = 1) -> tuple[list[float], list[float]]:
    """Time two things alternately (a, b, b, a, …) so that the shared machine's load hits both."""
    for _ in range(warm):
        fn_a()
        fn_b()
    ta, tb = [], []
    for i in range(reps):
        pair = [(fn_a, ta), (fn_b, tb)]
        for fn, out in pair if i % 2 == 0 else reversed(pair):
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
    return ta, tb


def timed(fn, reps: int, warm: int = 1) -> list[float]:
    for _ in range(warm):
        fn()
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


# --- Sessions as the field app sends them ---------------------------------------------------


def api_sessions(sampler: Sampler, n: int) -> list[dict]:
    """n sessions as JSON dicts (fresh client ids), for the token's own team and member."""
    out = []
    for d in sampler.day_indexes(n):
        hh, people, topics, secs = sampler.values()
        day = sampler.days[d]
        out.append({
            "client_id": str(uuid.UUID(int=sampler.rng.getrandbits(128), version=4)),
            "occurred_at": f"{day.isoformat()}T{7 + secs // 3600:02d}:{secs // 60 % 60:02d}:"
                           f"{secs % 60:02d}+07:00",
            "households_visited": hh,
            "people_guided": people,
            "topics": [{"topic": c, "people_guided": tp, "outcome": o} for c, tp, o in topics],
        })  # fmt: skip
    return out


def batches(world: World, sampler: Sampler, n_batches: int, size: int = 500):
    """[(token dict, [session dicts])]: each batch from one phone, tokens in turn."""
    tokens = world.tokens
    return [(tokens[i % len(tokens)], api_sessions(sampler, size)) for i in range(n_batches)]


def raw_rows(world: World, batch_list, start_id: int, start_topic_id: int):
    """The same kind of sessions as table rows (what COPY / executemany writes)."""
    sfx = db.dt_suffix()
    now = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()) + sfx
    sessions, topics = [], []
    sid, tid = start_id, start_topic_id
    for token, items in batch_list:
        team = token["team"]
        for s in items:
            sid += 1
            day = s["occurred_at"][:10]
            hour = int(s["occurred_at"][11:13]) - 7
            occurred = f"{day} {hour:02d}{s['occurred_at'][13:19]}{sfx}"
            sessions.append((
                sid, uuid.UUID(s["client_id"]).hex, uuid.uuid4().hex * 2, world.campaign_id,
                team.id, token["member"], team.commune_id, team.province_id, occurred, day,
                s["households_visited"], s["people_guided"], "", "", token["user"], now,
            ))  # fmt: skip
            for t in s["topics"]:
                tid += 1
                topics.append(
                    (tid, sid, world.topics[t["topic"]], t["people_guided"], t["outcome"])
                )
    return sessions, topics


# --- 1, 2: ingest through HTTP vs raw bulk, batches vs single -----------------------------------


def ingest_http(world: World, sampler: Sampler, env: dict, *, n_batches: int, n_single: int,
                threads: int, tag: str) -> dict:  # fmt: skip
    work = batches(world, sampler, n_batches)
    jobs = [(tok["raw"], json.dumps({"sessions": items}).encode()) for tok, items in work]
    singles = [
        (world.tokens[i % len(world.tokens)]["raw"], json.dumps(s).encode())
        for i, s in enumerate(api_sessions(sampler, n_single))
    ]
    # The raw baseline: as many fresh sessions, prepared in memory before the clock starts.
    base_work = batches(world, sampler, n_batches)
    with Gunicorn(env, tag=tag) as server:
        # warm the workers (imports, connections) with one batch each way
        warm = batches(world, sampler, 2, size=50)
        warm_jobs = [(t["raw"], json.dumps({"sessions": s}).encode()) for t, s in warm]
        post_all(server.port, "/api/v1/outreach/sessions/batch", warm_jobs, 2)
        secs_batch, responses = post_all(
            server.port, "/api/v1/outreach/sessions/batch", jobs, threads
        )
        bad = [r for r in responses if r[0] != 200]
        accepted = sum(r[1]["accepted"] for r in responses if r[0] == 200)
        if bad:
            raise RuntimeError(f"batch endpoint: {len(bad)} failures, first: {bad[0][:2]}")
        secs_single, single_resp = post_all(
            server.port, "/api/v1/outreach/sessions", singles, threads
        )
        bad = [r for r in single_resp if r[0] not in (200, 201)]
        if bad:
            raise RuntimeError(f"single endpoint: {len(bad)} failures, first: {bad[0][:2]}")
        batch_lat = [r[2] for r in responses]

    sent = n_batches * 500
    # Raw bulk load of the same number of sessions into the same tables with the same indexes.
    t0 = time.perf_counter()
    with transaction.atomic():
        sid, tid = db.max_id(SESSION_TABLE), db.max_id(TOPIC_TABLE)
        s_rows, t_rows = raw_rows(world, base_work, sid, tid)
        prep = time.perf_counter() - t0
        t1 = time.perf_counter()
        db.load_rows(SESSION_TABLE, SESSION_COLUMNS, s_rows)
        db.load_rows(TOPIC_TABLE, TOPIC_COLUMNS, t_rows)
    secs_raw = time.perf_counter() - t1
    db.reset_sequence(SESSION_TABLE)
    db.reset_sequence(TOPIC_TABLE)
    batch_rate = accepted / secs_batch
    raw_rate = len(s_rows) / secs_raw
    single_rate = len(singles) / secs_single
    return {
        "sessions_sent": sent,
        "accepted": accepted,
        "threads": threads,
        "batch_seconds": secs_batch,
        "batch_sessions_per_s": batch_rate,
        "batch_p95_latency_s": p95(batch_lat),
        "raw_seconds": secs_raw,
        "raw_prepare_seconds_excluded": prep,
        "raw_sessions_per_s": raw_rate,
        "single_sessions": len(singles),
        "single_seconds": secs_single,
        "single_sessions_per_s": single_rate,
        "ratio1_batch_vs_raw": batch_rate / raw_rate,
        "ratio2_batch_vs_single": batch_rate / single_rate,
    }


# --- 5: roll-up maintenance on vs off (in process, interleaved) ------------------------------


class StatementTimer:
    """Time per kind of SQL statement (verb + table), and of COMMIT, while installed."""

    PATTERN = re.compile(r'(INSERT INTO|UPDATE|DELETE FROM|FROM) "(\w+)"')

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self.count: dict[str, int] = defaultdict(int)
        self.active = True

    def __call__(self, execute, sql, params, many, context):
        if not self.active:
            return execute(sql, params, many, context)
        m = self.PATTERN.search(sql)
        kind = f"{m.group(1).split()[0]} {m.group(2)}" if m else sql.split(None, 1)[0]
        if "ON CONFLICT" in sql and "DO UPDATE" in sql:
            kind += " (upsert)"
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds[kind] += time.perf_counter() - t0
            self.count[kind] += 1

    @contextmanager
    def commits(self):
        original = connection._commit

        def timed_commit():
            t0 = time.perf_counter()
            try:
                return original()
            finally:
                if self.active:
                    self.seconds["COMMIT"] += time.perf_counter() - t0
                    self.count["COMMIT"] += 1

        connection._commit = timed_commit
        try:
            yield
        finally:
            del connection._commit

    def as_dict(self) -> dict:
        return {k: {"s": round(v, 4), "n": self.count[k]}
                for k, v in sorted(self.seconds.items(), key=lambda kv: -kv[1])}  # fmt: skip


def actor_for_token(token: dict):
    from dxday.orgs.models import Membership
    from dxday.orgs.permissions import Actor

    m = Membership.objects.select_related("organisation", "user").get(pk=token["membership"])
    return Actor(user=m.user, membership=m)


def ingest_rollups(world: World, sampler: Sampler, *, n_pairs: int) -> dict:
    import os

    from dxday.outreach.services import sessions_ingest

    actors = {t["membership"]: actor_for_token(t) for t in world.tokens}
    work = batches(world, sampler, 2 * n_pairs)
    times = {"on": [], "off": []}
    accepted = {"on": 0, "off": 0}
    # on, off, off, on, on, off…: interleaved so the shared machine's drift hits both alike
    order = ["on", "off", "off", "on"] * (n_pairs // 2 + 1)
    timer = StatementTimer()  # where an ingest batch spends its time (roll-ups on)
    try:
        with connection.execute_wrapper(timer), timer.commits():
            for i, (token, items) in enumerate(work):
                mode = order[i]
                timer.active = mode == "on"
                os.environ["DXDAY_OUTREACH_ROLLUPS"] = mode
                t0 = time.perf_counter()
                r = sessions_ingest(actor=actors[token["membership"]], sessions=items)
                times[mode].append(time.perf_counter() - t0)
                accepted[mode] += r.accepted
    finally:
        os.environ.pop("DXDAY_OUTREACH_ROLLUPS", None)
    on = accepted["on"] / sum(times["on"])
    off = accepted["off"] / sum(times["off"])
    return {
        "batches_each": len(times["on"]),
        "on_sessions_per_s": on,
        "off_sessions_per_s": off,
        "on_batch_median_s": statistics.median(times["on"]),
        "off_batch_median_s": statistics.median(times["off"]),
        "ratio5_on_vs_off": on / off,
        "on_total_s": sum(times["on"]),
        "on_sql_breakdown": timer.as_dict(),
    }


# --- 3, 4: dashboards from the roll-ups vs a naive GROUP BY -----------------------------------


def dashboard_queries(world: World):
    """[(name, roll-up fn, naive fn, endpoint path)] for the national view and drill-downs."""
    from dxday.outreach.models import CommuneStat, GuidanceSession, SessionTopic
    from dxday.outreach.selectors import session_totals
    from dxday.plans.models import Campaign

    campaign = Campaign.objects.get(pk=world.campaign_id)
    top = (
        CommuneStat.objects.filter(campaign=campaign)
        .values("province_id")
        .annotate(n=Sum("sessions"))
        .order_by("-n")
        .first()
    )
    province = top["province_id"]
    commune = (
        CommuneStat.objects.filter(campaign=campaign, province_id=province)
        .order_by("-sessions")
        .values_list("commune_id", flat=True)
        .first()
    )
    sessions = GuidanceSession.objects.filter(campaign=campaign)
    topics = SessionTopic.objects.filter(session__campaign=campaign)
    activated = topics.filter(topic__counts_as_activation=True)

    def naive_by(field, qs=sessions, act=activated, act_field=None):
        rows = list(
            qs.values(field)
            .annotate(n=Count("id"), hh=Sum("households_visited"), pp=Sum("people_guided"))
            .order_by(field)
        )
        if act_field:
            list(act.values(act_field).annotate(out=Sum("outcome")).order_by())
        return rows

    def naive_topic(qs=topics):
        return list(
            qs.values("topic_id")
            .annotate(n=Count("id"), pp=Sum("people_guided"), out=Sum("outcome"))
            .order_by()  # fmt: skip
        )

    y = 2025
    return [
        ("national by province",
         lambda: session_totals(campaign=campaign, by="province"),
         lambda: naive_by("province_id", act_field="session__province_id"),
         f"/api/v1/outreach/totals?campaign={y}&by=province"),
        ("national by topic",
         lambda: session_totals(campaign=campaign, by="topic"),
         naive_topic,
         f"/api/v1/outreach/totals?campaign={y}&by=topic"),
        ("national by day",
         lambda: session_totals(campaign=campaign, by="day"),
         lambda: naive_by("day"),
         f"/api/v1/outreach/totals?campaign={y}&by=day"),
        (f"province {province} by commune",
         lambda: session_totals(campaign=campaign, by="commune", province=province),
         lambda: naive_by("commune_id", qs=sessions.filter(province_id=province),
                          act=activated.filter(session__province_id=province),
                          act_field="session__commune_id"),
         f"/api/v1/outreach/totals?campaign={y}&by=commune&province={province}"),
        (f"commune {commune} by topic",
         lambda: session_totals(campaign=campaign, by="topic", commune=commune),
         lambda: naive_topic(topics.filter(session__commune_id=commune)),
         f"/api/v1/outreach/totals?campaign={y}&by=topic&commune={commune}"),
    ]  # fmt: skip


def dashboards_vs_naive(world: World, *, naive_reps: int) -> dict:
    rows = []
    for name, rollup, naive, _path in dashboard_queries(world):
        rollup()
        t_naive, t_rollup = paired(naive, rollup, naive_reps, warm=0)
        r = statistics.median(t_rollup + timed(rollup, 9, warm=0))
        n = min(t_naive)
        rows.append({"query": name, "rollup_s": r, "naive_s": n, "speedup": n / r})
    national = [x for x in rows if x["query"].startswith("national")]
    nat_r = sum(x["rollup_s"] for x in national)
    nat_n = sum(x["naive_s"] for x in national)
    return {
        "queries": rows,
        "national_rollup_s": nat_r,
        "national_naive_s": nat_n,
        "ratio3_national_speedup": nat_n / nat_r,
        "ratio3_min_speedup": min(x["speedup"] for x in rows),
    }


def dashboard_latency(world: World, env: dict, *, rounds: int, tag: str) -> dict:
    """p95 of the totals endpoint over HTTP, and of the selectors in process."""
    queries = dashboard_queries(world)
    in_proc = []
    for _ in range(rounds):
        for _name, rollup, _naive, _path in queries:
            t0 = time.perf_counter()
            rollup()
            in_proc.append(time.perf_counter() - t0)
    with Gunicorn(env, tag=tag) as server:
        paths = [q[3] for q in queries]
        get_latencies(server.port, paths, 2)  # warm both workers
        http = get_latencies(server.port, paths, rounds)
    return {
        "requests": len(http),
        "http_p95_s": p95(http),
        "http_median_s": statistics.median(http),
        "selector_p95_s": p95(in_proc),
        "selector_median_s": statistics.median(in_proc),
    }


# --- The national report vs reading its roll-ups --------------------------------------------


ROLLUP_READS = [
    "SELECT commune_id, sessions, households_visited, people_guided, accounts_activated "
    "FROM outreach_communestat WHERE campaign_id = %s",
    "SELECT commune_id, topic_id, SUM(people_guided), SUM(outcome) "
    "FROM outreach_communedaytopicstat WHERE campaign_id = %s GROUP BY commune_id, topic_id",
    "SELECT commune_id, households, accounts FROM outreach_communetarget WHERE campaign_id = %s",
]


# The rows of the tables the report reads today, without any grouping: the commune × topic
# table has replaced the day-grain sum (issue 11). R′ compares the report with these.
TABLE_READS = [
    ROLLUP_READS[0],
    "SELECT commune_id, topic_id, people_guided, outcome "
    "FROM outreach_communetopicstat WHERE campaign_id = %s",
    ROLLUP_READS[2],
]


def rollup_reads(campaign_id: int, statements=ROLLUP_READS) -> int:
    n = 0
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, [campaign_id])
            n += len(cursor.fetchall())
    return n


def report_vs_rollups(world: World, *, reps: int) -> dict:
    from django.test.utils import CaptureQueriesContext

    from dxday.core.report_sections import Scope, registered_sections
    from dxday.orgs.models import Organisation
    from dxday.plans.models import Campaign
    from dxday.reports.selectors import report_figures, report_units

    org = Organisation.objects.get(code="bo-khcn")
    campaign = Campaign.objects.get(pk=world.campaign_id)
    t_report, t_reads, t_table = [], [], []
    fns = [
        (t_report, lambda: report_figures(org, campaign)),
        (t_reads, lambda: rollup_reads(world.campaign_id)),
        (t_table, lambda: rollup_reads(world.campaign_id, TABLE_READS)),
    ]
    for _, fn in fns:
        fn()  # warm
    for i in range(reps):  # rotated, so the machine's drift hits all three
        for out, fn in fns[i % 3 :] + fns[: i % 3]:
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
    figures = report_figures(org, campaign)
    # Where the time goes: each section, and each SQL statement replayed alone.
    units = report_units(org)
    scope = Scope(organisation=org, campaign=campaign, period=None, units=units)
    sections = {}
    for s in registered_sections():
        sections[s.code] = statistics.median(timed(lambda s=s: s.compute(scope), reps, warm=0))
    with CaptureQueriesContext(connection) as ctx:
        report_figures(org, campaign)
    replay = []
    with connection.cursor() as cursor:
        for q in ctx.captured_queries:
            sql = q["sql"]
            t0 = time.perf_counter()
            try:
                cursor.execute(sql)
                cursor.fetchall()
            except Exception:  # noqa: BLE001 - a statement that does not replay as text
                continue
            replay.append((time.perf_counter() - t0, sql[:240]))
    replay.sort(reverse=True)
    n_figures = sum(len(g["figures"]) for s in figures["sections"] for g in s["groups"])
    report_s = statistics.median(t_report)
    reads_s = statistics.median(t_reads)
    table_s = statistics.median(t_table)
    return {
        "units_total": world.units,
        "report_units_rows": len(figures["units"]),
        "figures": n_figures,
        "report_s": report_s,
        "rollup_reads_s": reads_s,
        "ratio_report_vs_rollup_reads": report_s / reads_s,
        "table_reads_s": table_s,
        "ratio_report_vs_table_reads": report_s / table_s,
        "sections_s": sections,
        "queries": len(ctx.captured_queries),
        "sql_replay_total_s": sum(t for t, _ in replay),
        "slowest_sql": [{"s": t, "sql": s} for t, s in replay[:6]],
    }


# --- Profiles ------------------------------------------------------------------------------


def profile(fn, name: str, top: int = 30) -> str:
    PROFILES.mkdir(exist_ok=True)
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    text = buf.getvalue().replace(str(Path.cwd()) + "/", "")
    (PROFILES / f"{name}.txt").write_text(text)
    return str(PROFILES / f"{name}.txt")


def profile_batch_endpoint(world: World, sampler: Sampler, name: str, n: int = 4) -> str:
    """cProfile of the whole request path in process (middleware, auth, ninja, service)."""
    from django.test import Client

    work = batches(world, sampler, n + 1)
    client = Client()
    token, items = work.pop()  # the first request imports and compiles; not profiled
    client.post(
        "/api/v1/outreach/sessions/batch",
        data=json.dumps({"sessions": items}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token['raw']}"},
    )

    def run():
        for token, items in work:
            resp = client.post(
                "/api/v1/outreach/sessions/batch",
                data=json.dumps({"sessions": items}),
                content_type="application/json",
                headers={"Authorization": f"Bearer {token['raw']}"},
            )
            assert resp.status_code == 200, resp.content[:300]

    return profile(run, name)
