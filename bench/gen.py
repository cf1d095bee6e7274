"""Bulk generation of guidance sessions with a realistic skew, and their roll-ups.

- teams: activity is skewed (a lognormal weight per team; ~8% of teams log nothing, so the
  chase list has something to show);
- days: bursts (the opening day and the weekend are peaks) over the 10-day window;
- hours: 07:00–21:00 local time; 1–5 households, 1–3 topics per session (VNeID most often).

Sessions and their topic rows are written by COPY / executemany with explicit ids. The roll-ups
are aggregated here while generating (exactly what `rollups_rebuild` computes; the small run
checks that equality) and written in bulk.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db import transaction

from . import db
from .world import WINDOW, World

SESSION_TABLE = "outreach_guidancesession"
TOPIC_TABLE = "outreach_sessiontopic"
SESSION_COLUMNS = [
    "id", "client_id", "content_hash", "campaign_id", "team_id", "member_id", "commune_id",
    "province_id", "occurred_at", "day", "households_visited", "people_guided",
    "household_hash", "note", "submitted_by_id", "received_at",
]  # fmt: skip
TOPIC_COLUMNS = ["id", "session_id", "topic_id", "people_guided", "outcome"]
DAY_WEIGHTS = [3.0, 1.6, 1.3, 1.1, 1.8, 2.2, 1.2, 1.0, 1.1, 1.7]  # Oct 1 (Wed) … Oct 10
TOPIC_WEIGHTS = {"vneid": 10, "dich-vu-cong": 6, "thanh-toan": 5, "an-toan-so": 4,
                 "thuong-mai-dien-tu": 2, "binh-dan-hoc-vu-so": 2, "ai-co-ban": 1}  # fmt: skip


def days() -> list[dt.date]:
    start, end = WINDOW
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


class Sampler:
    """Draws sessions (as plain dicts of values) for teams of the world."""

    def __init__(self, world: World, seed: int):
        self.rng = random.Random(seed)
        self.world = world
        rng = random.Random(seed + 1)
        weights = [0.0 if rng.random() < 0.08 else rng.lognormvariate(0, 1.0) for _ in world.teams]
        acc, self.team_cum = 0.0, []
        for w in weights:
            acc += w
            self.team_cum.append(acc)
        self.days = days()
        acc, self.day_cum = 0.0, []
        for w in DAY_WEIGHTS[: len(self.days)]:
            acc += w
            self.day_cum.append(acc)
        codes = [c for c in TOPIC_WEIGHTS if c in world.topics]
        tw = [TOPIC_WEIGHTS[c] for c in codes]
        combos = []
        for _ in range(512):
            k = rng.choices((1, 2, 3), weights=(5, 3, 2))[0]
            picked: list[str] = []
            while len(picked) < k:
                c = rng.choices(codes, weights=tw)[0]
                if c not in picked:
                    picked.append(c)
            combos.append(tuple(picked))
        self.combos = combos

    def team_indexes(self, k: int) -> list[int]:
        return self.rng.choices(range(len(self.world.teams)), cum_weights=self.team_cum, k=k)

    def day_indexes(self, k: int) -> list[int]:
        return self.rng.choices(range(len(self.days)), cum_weights=self.day_cum, k=k)

    def values(self):
        """(households, people, [(code, people, outcome)], seconds since 07:00 local)."""
        r = self.rng
        hh = 1 + int(r.random() ** 2 * 5)
        people = hh + int(r.random() * 2 * hh)
        topics = []
        for code in self.combos[int(r.random() * 512)]:
            tp = 1 + int(r.random() * people)
            topics.append((code, tp, int(r.random() * (tp + 1))))
        return hh, people, topics, int(r.random() * 14 * 3600)


class Rollups:
    """The four roll-up tables, aggregated in memory from generated sessions."""

    def __init__(self, world: World):
        self.world = world
        self.cds = defaultdict(lambda: [0, 0, 0])  # (prov, comm, day) → sessions, hh, people
        self.cdts = defaultdict(lambda: [0, 0, 0])  # (prov, comm, day, topic) → n, people, outcome
        self.ts: dict[int, list] = {}  # team → sessions, hh, people, last occurred (text)

    def add(self, team, day, hh, people, topics, occurred):
        a = self.cds[(team.province_id, team.commune_id, day)]
        a[0] += 1
        a[1] += hh
        a[2] += people
        for topic_id, tp, out in topics:
            b = self.cdts[(team.province_id, team.commune_id, day, topic_id)]
            b[0] += 1
            b[1] += tp
            b[2] += out
        t = self.ts.get(team.id)
        if t is None:
            self.ts[team.id] = [1, hh, people, occurred]
        else:
            t[0] += 1
            t[1] += hh
            t[2] += people
            if occurred > t[3]:
                t[3] = occurred

    def write(self) -> dict[str, int]:
        """Replace the roll-up tables with these aggregates."""
        from dxday.outreach.models import (
            CommuneDayStat,
            CommuneDayTopicStat,
            CommuneStat,
            TeamStat,
        )

        camp = self.world.campaign_id
        act = self.world.activation_topics
        cs = defaultdict(lambda: [0, 0, 0, 0])
        for (prov, comm, _day), (n, hh, pp) in self.cds.items():
            c = cs[(prov, comm)]
            c[0] += n
            c[1] += hh
            c[2] += pp
        for (prov, comm, _day, topic), (_n, _pp, out) in self.cdts.items():
            if topic in act:
                cs[(prov, comm)][3] += out
        sfx = db.dt_suffix()
        with transaction.atomic():
            for model in (CommuneDayStat, CommuneDayTopicStat, CommuneStat, TeamStat):
                model.objects.all().delete()
            db.load_rows(
                "outreach_communedaystat",
                ["campaign_id", "province_id", "commune_id", "day", "sessions",
                 "households_visited", "people_guided"],
                ((camp, p, c, d, *v) for (p, c, d), v in self.cds.items()),
            )  # fmt: skip
            db.load_rows(
                "outreach_communedaytopicstat",
                ["campaign_id", "province_id", "commune_id", "day", "topic_id", "sessions",
                 "people_guided", "outcome"],
                ((camp, p, c, d, t, *v) for (p, c, d, t), v in self.cdts.items()),
            )  # fmt: skip
            db.load_rows(
                "outreach_communestat",
                ["campaign_id", "province_id", "commune_id", "sessions", "households_visited",
                 "people_guided", "accounts_activated"],
                ((camp, p, c, *v) for (p, c), v in cs.items()),
            )  # fmt: skip
            db.load_rows(
                "outreach_teamstat",
                ["campaign_id", "team_id", "sessions", "households_visited", "people_guided",
                 "last_occurred_at"],
                ((camp, t, n, hh, pp, last + sfx) for t, (n, hh, pp, last) in self.ts.items()),
            )  # fmt: skip
        for table in ("outreach_communedaystat", "outreach_communedaytopicstat",
                      "outreach_communestat", "outreach_teamstat"):  # fmt: skip
            db.reset_sequence(table)
        # Province × day tables (sums of the commune ones) and the team and member counts per
        # commune (from the teams the world loaded): the application's own rebuild statements.
        from django.db import connection

        from dxday.outreach.models import (
            CommuneTeamStat,
            CommuneTopicStat,
            ProvinceDayStat,
            ProvinceDayTopicStat,
        )
        from dxday.outreach.rollups import COMMUNE_TOPIC_SQL, PROVINCE_SQL, team_counts_rebuild

        with transaction.atomic():
            CommuneTopicStat.objects.all().delete()
            ProvinceDayStat.objects.all().delete()
            ProvinceDayTopicStat.objects.all().delete()
            with connection.cursor() as cursor:
                for sql in [COMMUNE_TOPIC_SQL, *PROVINCE_SQL]:
                    cursor.execute(sql)
            team_counts_rebuild()
        return {"CommuneDayStat": len(self.cds), "CommuneDayTopicStat": len(self.cdts),
                "CommuneStat": len(cs), "TeamStat": len(self.ts),
                "CommuneTeamStat": CommuneTeamStat.objects.count(),
                "CommuneTopicStat": CommuneTopicStat.objects.count(),
                "ProvinceDayStat": ProvinceDayStat.objects.count(),
                "ProvinceDayTopicStat": ProvinceDayTopicStat.objects.count()}  # fmt: skip


def generate(world: World, n: int, sampler: Sampler, rollups: Rollups, *, log=print,
             chunk: int = 50_000) -> None:  # fmt: skip
    """Append `n` sessions (and their topics) to the database, in bulk mode."""
    if n <= 0:
        return
    sid = db.max_id(SESSION_TABLE)
    tid = db.max_id(TOPIC_TABLE)
    sfx = db.dt_suffix()
    camp = world.campaign_id
    teams = world.teams
    topic_ids = world.topics
    received = "2025-10-11 01:00:00" + sfx
    day_text = [d.isoformat() for d in sampler.days]
    getrandbits = sampler.rng.getrandbits
    done = 0
    with db.bulk_mode([SESSION_TABLE, TOPIC_TABLE]):
        while done < n:
            k = min(chunk, n - done)
            t_idx = sampler.team_indexes(k)
            d_idx = sampler.day_indexes(k)
            sessions, topic_rows = [], []
            for i in range(k):
                team = teams[t_idx[i]]
                day = day_text[d_idx[i]]
                hh, people, topics, secs = sampler.values()
                sid += 1
                occurred = f"{day} {secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d}"
                sessions.append((
                    sid, f"{getrandbits(128):032x}", f"{getrandbits(256):064x}", camp, team.id,
                    team.members[getrandbits(16) % len(team.members)], team.commune_id,
                    team.province_id, occurred + sfx, day, hh, people, "", "", None, received,
                ))  # fmt: skip
                ts = []
                for code, tp, out in topics:
                    tid += 1
                    topic_rows.append((tid, sid, topic_ids[code], tp, out))
                    ts.append((topic_ids[code], tp, out))
                rollups.add(team, day, hh, people, ts, occurred)
            with transaction.atomic():
                db.load_rows(SESSION_TABLE, SESSION_COLUMNS, sessions)
                db.load_rows(TOPIC_TABLE, TOPIC_COLUMNS, topic_rows)
            done += k
            if done % 1_000_000 < chunk or done == n:
                log(f"    {done:,} / {n:,} sessions")
        log("    rebuilding indexes…")
    db.reset_sequence(SESSION_TABLE)
    db.reset_sequence(TOPIC_TABLE)
