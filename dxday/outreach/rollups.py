"""Full rebuild of the roll-up tables from the raw sessions (repair, and after bulk loads).

The incremental path (ingest.rollups_apply) and this rebuild must agree row for row; the tests
compare them. The rebuild groups in the database (one GROUP BY per table) and writes the
aggregated rows in bulk, holding the sessions table still while it runs.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Count, Max, Sum

from .models import (
    CommuneDayStat,
    CommuneDayTopicStat,
    CommuneStat,
    CommuneTeamStat,
    GuidanceSession,
    ProvinceDayStat,
    ProvinceDayTopicStat,
    SessionTopic,
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
BATCH = 5_000

# Active teams of each commune, and active members of its teams (whether or not the team is).
# Every commune with a team has a row, as the services keep it (team_create writes the row).
TEAM_COUNTS_SQL = """
INSERT INTO outreach_communeteamstat (commune_id, province_id, teams, members)
SELECT t.commune_id, MIN(t.province_id),
       SUM(CASE WHEN t.is_active THEN 1 ELSE 0 END),
       (SELECT COUNT(*) FROM outreach_teammember m
        JOIN outreach_communityteam t2 ON t2.id = m.team_id
        WHERE t2.commune_id = t.commune_id AND m.is_active)
FROM outreach_communityteam t GROUP BY t.commune_id"""


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


@transaction.atomic
def rollups_rebuild() -> dict[str, int]:
    """Recompute every roll-up table from scratch. Returns the row count of each."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Ingest waits (it does not fail) while the totals are recomputed.
            cursor.execute(
                f"LOCK TABLE {GuidanceSession._meta.db_table} IN SHARE ROW EXCLUSIVE MODE"
            )
    for model in ROLLUP_MODELS:
        model.objects.all().delete()

    day_rows = (
        GuidanceSession.objects.values("campaign_id", "province_id", "commune_id", "day")
        .annotate(n=Count("id"), hh=Sum("households_visited"), pp=Sum("people_guided"))
        .order_by()
    )
    CommuneDayStat.objects.bulk_create(
        (
            CommuneDayStat(
                campaign_id=r["campaign_id"], province_id=r["province_id"],
                commune_id=r["commune_id"], day=r["day"], sessions=r["n"],
                households_visited=r["hh"], people_guided=r["pp"],
            )
            for r in day_rows.iterator(chunk_size=BATCH)
        ),
        batch_size=BATCH,
    )  # fmt: skip

    topic_rows = (
        SessionTopic.objects.values(
            "session__campaign_id", "session__province_id", "session__commune_id",
            "session__day", "topic_id",
        )
        .annotate(n=Count("id"), pp=Sum("people_guided"), out=Sum("outcome"))
        .order_by()
    )  # fmt: skip
    CommuneDayTopicStat.objects.bulk_create(
        (
            CommuneDayTopicStat(
                campaign_id=r["session__campaign_id"], province_id=r["session__province_id"],
                commune_id=r["session__commune_id"], day=r["session__day"],
                topic_id=r["topic_id"], sessions=r["n"], people_guided=r["pp"],
                outcome=r["out"],
            )
            for r in topic_rows.iterator(chunk_size=BATCH)
        ),
        batch_size=BATCH,
    )  # fmt: skip

    # Commune totals from the two tables just built (thousands of rows, not millions).
    activated = {
        (r["campaign_id"], r["commune_id"]): r["out"]
        for r in CommuneDayTopicStat.objects.filter(topic__counts_as_activation=True)
        .values("campaign_id", "commune_id")
        .annotate(out=Sum("outcome"))
        .order_by()
    }
    commune_rows = (
        CommuneDayStat.objects.values("campaign_id", "province_id", "commune_id")
        .annotate(n=Sum("sessions"), hh=Sum("households_visited"), pp=Sum("people_guided"))
        .order_by()
    )
    CommuneStat.objects.bulk_create(
        (
            CommuneStat(
                campaign_id=r["campaign_id"], province_id=r["province_id"],
                commune_id=r["commune_id"], sessions=r["n"], households_visited=r["hh"],
                people_guided=r["pp"],
                accounts_activated=activated.get((r["campaign_id"], r["commune_id"]), 0),
            )
            for r in commune_rows.iterator(chunk_size=BATCH)
        ),
        batch_size=BATCH,
    )  # fmt: skip

    team_rows = (
        GuidanceSession.objects.values("campaign_id", "team_id")
        .annotate(
            n=Count("id"), hh=Sum("households_visited"), pp=Sum("people_guided"),
            last=Max("occurred_at"),
        )
        .order_by()
    )  # fmt: skip
    TeamStat.objects.bulk_create(
        (
            TeamStat(
                campaign_id=r["campaign_id"], team_id=r["team_id"], sessions=r["n"],
                households_visited=r["hh"], people_guided=r["pp"], last_occurred_at=r["last"],
            )
            for r in team_rows.iterator(chunk_size=BATCH)
        ),
        batch_size=BATCH,
    )  # fmt: skip
    with connection.cursor() as cursor:
        for sql in PROVINCE_SQL:
            cursor.execute(sql)
    team_counts_rebuild()
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
