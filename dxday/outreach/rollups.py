"""The roll-up tables: their incremental maintenance and their full rebuild, side by side.

`rollups_apply` adds a batch of freshly inserted sessions to every table (one additive upsert
per table, in the ingest's transaction); `team_counts_add` moves a commune's team and member
counts (called by the team services). `rollups_rebuild` recomputes every table from the raw
rows (repair, and after bulk loads) as one INSERT … SELECT … GROUP BY per table, run in the
database, holding the sessions table still while it runs. Both live in this one module so
that a change to a table's figures is made to both at once; the tests assert that the
incremental tables equal the rebuilt ones row for row.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from django.db import connection, transaction

from .models import (
    CommuneDayStat,
    CommuneDayTopicStat,
    CommuneStat,
    CommuneTeamStat,
    CommuneTopicStat,
    GuidanceSession,
    ProvinceDayStat,
    ProvinceDayTopicStat,
    TeamStat,
)
from .sql import upsert_add

if TYPE_CHECKING:
    from .ingest.context import Valid

ROLLUP_MODELS = [
    CommuneDayStat, CommuneDayTopicStat, CommuneTopicStat, CommuneStat, TeamStat,
    CommuneTeamStat, ProvinceDayStat, ProvinceDayTopicStat,
]  # fmt: skip

# The commune × topic table is the commune × day × topic one without the day (built first).
COMMUNE_TOPIC_SQL = """INSERT INTO outreach_communetopicstat (campaign_id, province_id,
        commune_id, topic_id, sessions, people_guided, outcome)
       SELECT campaign_id, province_id, commune_id, topic_id, SUM(sessions), SUM(people_guided),
        SUM(outcome)
       FROM outreach_communedaytopicstat GROUP BY campaign_id, province_id, commune_id, topic_id"""

# The province tables are sums of the commune tables (built first).
PROVINCE_SQL = [
    """INSERT INTO outreach_provincedaystat (campaign_id, province_id, day, sessions,
        households_visited, people_guided)
       SELECT campaign_id, province_id, day, SUM(sessions), SUM(households_visited),
        SUM(people_guided)
       FROM outreach_communedaystat GROUP BY campaign_id, province_id, day""",
    """INSERT INTO outreach_provincedaytopicstat (campaign_id, province_id, day, topic_id,
        sessions, people_guided, outcome)
       SELECT campaign_id, province_id, day, topic_id, SUM(sessions), SUM(people_guided),
        SUM(outcome)
       FROM outreach_communedaytopicstat GROUP BY campaign_id, province_id, day, topic_id""",
]

# Active teams of each commune, and active members of its teams (whether or not the team is).
# Every commune with a team has a row, as the services keep it (team_create writes the row).
TEAM_COUNTS_SQL = """
INSERT INTO outreach_communeteamstat (commune_id, province_id, teams, members)
SELECT t.commune_id, MIN(t.province_id),
       SUM(CASE WHEN t.is_active THEN 1 ELSE 0 END), SUM(COALESCE(m.n, 0))
FROM outreach_communityteam t
LEFT JOIN (SELECT team_id, COUNT(*) AS n FROM outreach_teammember WHERE is_active
           GROUP BY team_id) m ON m.team_id = t.id
GROUP BY t.commune_id"""


def team_counts_add(*, commune_id: int, province_id: int, teams: int = 0, members: int = 0):
    """Move a commune's team and member counts (called inside the services' transaction)."""
    upsert_add(
        CommuneTeamStat,
        ["commune_id", "province_id", "teams", "members"],
        ["commune_id"],
        ["teams", "members"],
        [(commune_id, province_id, teams, members)],
    )


def team_counts_rebuild() -> None:
    CommuneTeamStat.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(TEAM_COUNTS_SQL)


# --- Incremental: the sessions of one batch -------------------------------------------------


def rollups_apply(valids: list[Valid]) -> None:
    """Add the sessions just inserted to every roll-up table (set-based upserts, one per table;
    called by the ingest inside its transaction). Each table's increment here and its
    INSERT … SELECT in REBUILD_SQL below must agree row for row (tests compare them)."""
    cds: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    cdts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    cs: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    ts: dict[tuple, list] = {}
    for v in valids:
        r = v.row
        camp, prov, comm, day = r["campaign_id"], r["province_id"], r["commune_id"], r["day"]
        hh, pp = r["households_visited"], r["people_guided"]
        a = cds[(camp, prov, comm, day)]
        a[0] += 1
        a[1] += hh
        a[2] += pp
        for topic_id, t_people, outcome in v.topics:
            b = cdts[(camp, prov, comm, day, topic_id)]
            b[0] += 1
            b[1] += t_people
            b[2] += outcome
        c = cs[(camp, prov, comm)]
        c[0] += 1
        c[1] += hh
        c[2] += pp
        c[3] += v.activation
        t = ts.get((camp, r["team_id"]))
        if t is None:
            ts[(camp, r["team_id"])] = [1, hh, pp, r["occurred_at"]]
        else:
            t[0] += 1
            t[1] += hh
            t[2] += pp
            t[3] = max(t[3], r["occurred_at"])
    upsert_add(
        CommuneDayStat,
        ["campaign_id", "province_id", "commune_id", "day", "sessions", "households_visited",
         "people_guided"],
        ["campaign_id", "commune_id", "day"],
        ["sessions", "households_visited", "people_guided"],
        [(*k, *v) for k, v in cds.items()],
    )  # fmt: skip
    upsert_add(
        CommuneDayTopicStat,
        ["campaign_id", "province_id", "commune_id", "day", "topic_id", "sessions",
         "people_guided", "outcome"],
        ["campaign_id", "commune_id", "day", "topic_id"],
        ["sessions", "people_guided", "outcome"],
        [(*k, *v) for k, v in cdts.items()],
    )  # fmt: skip
    cts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (camp, prov, comm, _day, topic_id), v in cdts.items():
        c = cts[(camp, prov, comm, topic_id)]
        for i in range(3):
            c[i] += v[i]
    upsert_add(
        CommuneTopicStat,
        ["campaign_id", "province_id", "commune_id", "topic_id", "sessions", "people_guided",
         "outcome"],
        ["campaign_id", "commune_id", "topic_id"],
        ["sessions", "people_guided", "outcome"],
        [(*k, *v) for k, v in cts.items()],
    )  # fmt: skip
    pds: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (camp, prov, _comm, day), v in cds.items():
        p = pds[(camp, prov, day)]
        for i in range(3):
            p[i] += v[i]
    pdts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (camp, prov, _comm, day, topic_id), v in cdts.items():
        p = pdts[(camp, prov, day, topic_id)]
        for i in range(3):
            p[i] += v[i]
    upsert_add(
        ProvinceDayStat,
        ["campaign_id", "province_id", "day", "sessions", "households_visited", "people_guided"],
        ["campaign_id", "province_id", "day"],
        ["sessions", "households_visited", "people_guided"],
        [(*k, *v) for k, v in pds.items()],
    )
    upsert_add(
        ProvinceDayTopicStat,
        ["campaign_id", "province_id", "day", "topic_id", "sessions", "people_guided", "outcome"],
        ["campaign_id", "province_id", "day", "topic_id"],
        ["sessions", "people_guided", "outcome"],
        [(*k, *v) for k, v in pdts.items()],
    )
    upsert_add(
        CommuneStat,
        ["campaign_id", "province_id", "commune_id", "sessions", "households_visited",
         "people_guided", "accounts_activated"],
        ["campaign_id", "commune_id"],
        ["sessions", "households_visited", "people_guided", "accounts_activated"],
        [(*k, *v) for k, v in cs.items()],
    )  # fmt: skip
    upsert_add(
        TeamStat,
        ["campaign_id", "team_id", "sessions", "households_visited", "people_guided",
         "last_occurred_at"],
        ["campaign_id", "team_id"],
        ["sessions", "households_visited", "people_guided"],
        [(*k, *v) for k, v in ts.items()],
        greatest="last_occurred_at",
    )  # fmt: skip


# --- Rebuild: every table from the raw rows ---------------------------------------------------

# The commune and team tables from the raw sessions, in the order they depend on each other
# (CommuneStat reads CommuneDayStat and CommuneDayTopicStat; the province tables read the
# commune ones). Plain INSERT … SELECT … GROUP BY: portable across SQLite and PostgreSQL, and
# nothing travels through Python.
REBUILD_SQL = [
    """INSERT INTO outreach_communedaystat (campaign_id, province_id, commune_id, day, sessions,
        households_visited, people_guided)
       SELECT campaign_id, province_id, commune_id, day, COUNT(*), SUM(households_visited),
        SUM(people_guided)
       FROM outreach_guidancesession GROUP BY campaign_id, province_id, commune_id, day""",
    """INSERT INTO outreach_communedaytopicstat (campaign_id, province_id, commune_id, day,
        topic_id, sessions, people_guided, outcome)
       SELECT s.campaign_id, s.province_id, s.commune_id, s.day, t.topic_id, COUNT(*),
        SUM(t.people_guided), SUM(t.outcome)
       FROM outreach_sessiontopic t JOIN outreach_guidancesession s ON s.id = t.session_id
       GROUP BY s.campaign_id, s.province_id, s.commune_id, s.day, t.topic_id""",
    COMMUNE_TOPIC_SQL,
    """INSERT INTO outreach_communestat (campaign_id, province_id, commune_id, sessions,
        households_visited, people_guided, accounts_activated)
       SELECT d.campaign_id, d.province_id, d.commune_id, SUM(d.sessions),
        SUM(d.households_visited), SUM(d.people_guided),
        COALESCE((SELECT SUM(x.outcome) FROM outreach_communedaytopicstat x
                  JOIN outreach_topic tp ON tp.id = x.topic_id
                  WHERE tp.counts_as_activation AND x.campaign_id = d.campaign_id
                  AND x.commune_id = d.commune_id), 0)
       FROM outreach_communedaystat d GROUP BY d.campaign_id, d.province_id, d.commune_id""",
    """INSERT INTO outreach_teamstat (campaign_id, team_id, sessions, households_visited,
        people_guided, last_occurred_at)
       SELECT campaign_id, team_id, COUNT(*), SUM(households_visited), SUM(people_guided),
        MAX(occurred_at)
       FROM outreach_guidancesession GROUP BY campaign_id, team_id""",
    *PROVINCE_SQL,
    TEAM_COUNTS_SQL,
]


@transaction.atomic
def rollups_rebuild() -> dict[str, int]:
    """Recompute every roll-up table from scratch. Returns the row count of each."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Ingest waits (it does not fail) while the totals are recomputed.
            cursor.execute(
                f"LOCK TABLE {GuidanceSession._meta.db_table} IN SHARE ROW EXCLUSIVE MODE"
            )
        for model in ROLLUP_MODELS:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
        for sql in REBUILD_SQL:
            cursor.execute(sql)
    return {m.__name__: m.objects.count() for m in ROLLUP_MODELS}


def rollups_snapshot() -> dict[str, list[tuple]]:
    """Every roll-up row as a sorted tuple list, to compare incremental with rebuilt."""
    out = {}
    for model in ROLLUP_MODELS:
        names = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        out[model.__name__] = sorted(
            tuple(str(v) for v in row) for row in model.objects.values_list(*names)
        )
    return out
