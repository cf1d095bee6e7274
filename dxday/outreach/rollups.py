"""Full rebuild of the roll-up tables from the raw sessions (repair, and after bulk loads).

The incremental path (ingest.rollups_apply) and this rebuild must agree row for row; the tests
compare them. The rebuild is one INSERT … SELECT … GROUP BY per table, run in the database,
holding the sessions table still while it runs.
"""

from __future__ import annotations

from django.db import connection, transaction

from .models import (
    CommuneDayStat,
    CommuneDayTopicStat,
    CommuneStat,
    CommuneTeamStat,
    GuidanceSession,
    ProvinceDayStat,
    ProvinceDayTopicStat,
    TeamStat,
)

ROLLUP_MODELS = [
    CommuneDayStat, CommuneDayTopicStat, CommuneStat, TeamStat, CommuneTeamStat,
    ProvinceDayStat, ProvinceDayTopicStat,
]  # fmt: skip

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
    from .ingest import _upsert

    _upsert(
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
