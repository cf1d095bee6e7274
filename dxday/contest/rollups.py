"""Live counts per round, province, commune and organisation: kept by `rollups_attempt_started`
inside the start transaction, and recomputed from the attempts by `rollups_rebuild` (repair).
Both live here so a change to one is made to the other; the tests compare them row for row.

A participant counts once per round (when their first attempt starts); every start counts one
attempt. Abandoned attempts still count as attempts (the person came and began).
"""

from __future__ import annotations

from django.db import connection, transaction

from .models import Attempt, RoundCommuneStat, RoundOrgStat, RoundProvinceStat, RoundStat
from .sql import add_sets, execute_together, upsert_sql

ROLLUP_MODELS = [RoundStat, RoundProvinceStat, RoundCommuneStat, RoundOrgStat]


def rollups_attempt_started(*, attempt: Attempt) -> None:
    """Count the start in every table: one round trip on PostgreSQL (the four upserts as
    data-modifying CTEs), in a fixed table order so concurrent starts never deadlock."""
    p = attempt.participant
    new = 1 if attempt.number == 1 else 0
    r = attempt.round_id
    both = ["participants", "attempts"]
    tables = [
        (RoundStat, ["round_id", *both], ["round_id"], (r, new, 1)),
        (RoundProvinceStat, ["round_id", "province_id", *both], ["round_id", "province_id"],
         (r, p.province_id, new, 1)),
        (RoundCommuneStat, ["round_id", "commune_id", "province_id", *both],
         ["round_id", "commune_id"], (r, p.commune_id, p.province_id, new, 1)),
    ]  # fmt: skip
    if p.organisation_id:
        key = ["round_id", "organisation_id"]
        tables.append((RoundOrgStat, [*key, *both], key, (r, p.organisation_id, new, 1)))
    execute_together(
        [upsert_sql(m, cols, key, add_sets(m, both), [row]) for m, cols, key, row in tables]
    )


_A = "contest_attempt"
_P = "contest_participant"
REBUILD_SQL = [
    f"""INSERT INTO contest_roundstat (round_id, participants, attempts)
        SELECT round_id, COUNT(DISTINCT participant_id), COUNT(*) FROM {_A} GROUP BY round_id""",
    f"""INSERT INTO contest_roundprovincestat (round_id, province_id, participants, attempts)
        SELECT a.round_id, p.province_id, COUNT(DISTINCT a.participant_id), COUNT(*)
        FROM {_A} a JOIN {_P} p ON p.id = a.participant_id GROUP BY a.round_id, p.province_id""",
    f"""INSERT INTO contest_roundcommunestat (round_id, commune_id, province_id, participants,
        attempts)
        SELECT a.round_id, p.commune_id, MIN(p.province_id), COUNT(DISTINCT a.participant_id),
        COUNT(*)
        FROM {_A} a JOIN {_P} p ON p.id = a.participant_id GROUP BY a.round_id, p.commune_id""",
    f"""INSERT INTO contest_roundorgstat (round_id, organisation_id, participants, attempts)
        SELECT a.round_id, p.organisation_id, COUNT(DISTINCT a.participant_id), COUNT(*)
        FROM {_A} a JOIN {_P} p ON p.id = a.participant_id
        WHERE p.organisation_id IS NOT NULL GROUP BY a.round_id, p.organisation_id""",
]


@transaction.atomic
def rollups_rebuild() -> dict[str, int]:
    """Recompute every roll-up table from the attempts. Returns the row count of each."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {_A} IN SHARE ROW EXCLUSIVE MODE")
        for model in ROLLUP_MODELS:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
        for sql in REBUILD_SQL:
            cursor.execute(sql)
    return {m.__name__: m.objects.count() for m in ROLLUP_MODELS}


def rollups_snapshot() -> dict[str, list[tuple]]:
    out = {}
    for model in ROLLUP_MODELS:
        names = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        out[model.__name__] = sorted(
            tuple(str(v) for v in row) for row in model.objects.order_by().values_list(*names)
        )
    return out


def participants_in_round(round_id: int) -> int:
    """The real participant count of a round (the prediction's target), from the roll-up."""
    row = RoundStat.objects.filter(round_id=round_id).values_list("participants").first()
    return row[0] if row else 0
