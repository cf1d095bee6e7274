"""The attendance roll-ups: their incremental maintenance and their full rebuild, side by side.

`rollups_apply` adds the check-ins a batch counted (called by `checkins_ingest` inside its
transaction); `rollups_rebuild` recomputes every table from the raw check-ins as one
INSERT … SELECT … GROUP BY per table (`dxday learning-rebuild-rollups`, and
`dxday rebuild-rollups --learning`). Tests assert that both give the same rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction

from .models import (
    AreaStat,
    AreaTopicStat,
    CheckIn,
    Offering,
    ProvinceStat,
    ProvinceTopicStat,
    TrainedOfficial,
    UnitTrainingStat,
)
from .sql import insert_rows, quote_name, upsert_add

ROLLUP_MODELS = [
    AreaStat, AreaTopicStat, ProvinceStat, ProvinceTopicStat, TrainedOfficial, UnitTrainingStat,
]  # fmt: skip


@dataclass(frozen=True)
class Counted:
    """One counted check-in, as the roll-ups need it."""

    offering_id: int
    registration_id: int | None
    walk_ins: int
    organisation_id: int | None = None
    person_key: str = ""


def rollups_apply(counted: list[Counted], offerings: dict[int, Offering], topics) -> None:
    """Add counted check-ins to the offering counters and every roll-up table.

    `offerings` maps id → Offering (campaign, kind, audience, place); `topics` maps offering
    id → its topic codes.
    """
    if not counted:
        return
    per_offering: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    area: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    area_topic: dict[tuple, list[int]] = defaultdict(lambda: [0])
    officials: set[tuple] = set()
    for c in counted:
        o = offerings[c.offering_id]
        place = (o.campaign_id, o.province_id or "", o.commune_id or "")
        n = c.walk_ins if c.registration_id is None else 1
        if c.registration_id is None:
            per_offering[o.pk][1] += n
            area[(*place, o.kind, o.audience)][1] += n
        else:
            per_offering[o.pk][0] += 1
            area[(*place, o.kind, o.audience)][0] += 1
            if c.organisation_id:
                officials.add((o.campaign_id, c.organisation_id, c.person_key))
        for topic in topics.get(o.pk, ()):
            area_topic[(*place, topic)][0] += n
    _offerings_add(per_offering)
    upsert_add(
        AreaStat,
        ["campaign_id", "province_code", "commune_code", "kind", "audience", "registrants",
         "walk_ins"],
        ["campaign_id", "province_code", "commune_code", "kind", "audience"],
        ["registrants", "walk_ins"],
        [(*k, *v) for k, v in area.items()],
    )  # fmt: skip
    upsert_add(
        AreaTopicStat,
        ["campaign_id", "province_code", "commune_code", "topic", "attendance"],
        ["campaign_id", "province_code", "commune_code", "topic"],
        ["attendance"],
        [(*k, *v) for k, v in area_topic.items()],
    )
    province: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for (camp, prov, _comm, kind, audience), (regs, walk) in area.items():
        p = province[(camp, prov, kind, audience)]
        p[0] += regs
        p[1] += walk
    upsert_add(
        ProvinceStat,
        ["campaign_id", "province_code", "kind", "audience", "registrants", "walk_ins"],
        ["campaign_id", "province_code", "kind", "audience"],
        ["registrants", "walk_ins"],
        [(*k, *v) for k, v in province.items()],
    )
    province_topic: dict[tuple, list[int]] = defaultdict(lambda: [0])
    for (camp, prov, _comm, topic), (n,) in area_topic.items():
        province_topic[(camp, prov, topic)][0] += n
    upsert_add(
        ProvinceTopicStat,
        ["campaign_id", "province_code", "topic", "attendance"],
        ["campaign_id", "province_code", "topic"],
        ["attendance"],
        [(*k, *v) for k, v in province_topic.items()],
    )
    if officials:
        new = insert_rows(
            TrainedOfficial,
            ["campaign_id", "organisation_id", "person_key"],
            sorted(officials),
            suffix="ON CONFLICT DO NOTHING",
            returning=f"{quote_name('campaign_id')}, {quote_name('organisation_id')}",
        )
        units: dict[tuple, list[int]] = defaultdict(lambda: [0])
        for campaign_id, org_id in new:
            units[(campaign_id, org_id)][0] += 1
        upsert_add(
            UnitTrainingStat,
            ["campaign_id", "organisation_id", "trained"],
            ["campaign_id", "organisation_id"],
            ["trained"],
            [(*k, *v) for k, v in units.items()],
        )


def _offerings_add(per_offering: dict[int, list[int]]) -> None:
    """One `UPDATE … FROM (VALUES …)` for every offering of the batch (SQLite ≥ 3.33 and
    PostgreSQL; a VALUES list names its columns column1, column2… in both), in id order so
    concurrent batches lock the rows alike."""
    table = quote_name(Offering._meta.db_table)
    rows = sorted(per_offering.items())
    for i in range(0, len(rows), 1000):
        chunk = rows[i : i + 1000]
        values = ", ".join(["(%s, %s, %s)"] * len(chunk))
        params = [v for pk, (regs, walk) in chunk for v in (pk, regs, walk)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET checked_in = {table}.checked_in + v.column2, "
                f"walk_ins = {table}.walk_ins + v.column3 "
                f"FROM (VALUES {values}) AS v WHERE {table}.id = v.column1",
                params,
            )


REBUILD_SQL = [
    """UPDATE learning_offering SET
        checked_in = (SELECT COUNT(*) FROM learning_checkin c WHERE c.offering_id =
            learning_offering.id AND c.counted AND c.registration_id IS NOT NULL),
        walk_ins = (SELECT COALESCE(SUM(c.walk_ins), 0) FROM learning_checkin c WHERE
            c.offering_id = learning_offering.id AND c.registration_id IS NULL)""",
    """INSERT INTO learning_areastat (campaign_id, province_code, commune_code, kind, audience,
        registrants, walk_ins)
       SELECT o.campaign_id, COALESCE(o.province_id, ''), COALESCE(o.commune_id, ''), o.kind,
        o.audience, SUM(CASE WHEN c.registration_id IS NULL THEN 0 ELSE 1 END),
        SUM(COALESCE(c.walk_ins, 0))
       FROM learning_checkin c JOIN learning_offering o ON o.id = c.offering_id
       WHERE c.counted
       GROUP BY o.campaign_id, COALESCE(o.province_id, ''), COALESCE(o.commune_id, ''),
        o.kind, o.audience""",
    """INSERT INTO learning_areatopicstat (campaign_id, province_code, commune_code, topic,
        attendance)
       SELECT o.campaign_id, COALESCE(o.province_id, ''), COALESCE(o.commune_id, ''), t.topic,
        SUM(COALESCE(c.walk_ins, 1))
       FROM learning_checkin c JOIN learning_offering o ON o.id = c.offering_id
       JOIN learning_offeringtopic t ON t.offering_id = o.id
       WHERE c.counted
       GROUP BY o.campaign_id, COALESCE(o.province_id, ''), COALESCE(o.commune_id, ''),
        t.topic""",
    """INSERT INTO learning_provincestat (campaign_id, province_code, kind, audience,
        registrants, walk_ins)
       SELECT campaign_id, province_code, kind, audience, SUM(registrants), SUM(walk_ins)
       FROM learning_areastat GROUP BY campaign_id, province_code, kind, audience""",
    """INSERT INTO learning_provincetopicstat (campaign_id, province_code, topic, attendance)
       SELECT campaign_id, province_code, topic, SUM(attendance)
       FROM learning_areatopicstat GROUP BY campaign_id, province_code, topic""",
    """INSERT INTO learning_trainedofficial (campaign_id, organisation_id, person_key)
       SELECT DISTINCT o.campaign_id, r.organisation_id, r.person_key
       FROM learning_checkin c JOIN learning_registration r ON r.id = c.registration_id
       JOIN learning_offering o ON o.id = c.offering_id
       WHERE c.counted AND r.organisation_id IS NOT NULL""",
    """INSERT INTO learning_unittrainingstat (campaign_id, organisation_id, trained)
       SELECT campaign_id, organisation_id, COUNT(*) FROM learning_trainedofficial
       GROUP BY campaign_id, organisation_id""",
]


@transaction.atomic
def rollups_rebuild() -> dict[str, int]:
    """Recompute the offering counters and every roll-up table from the raw check-ins."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Check-ins wait (they do not fail) while the totals are recomputed.
            cursor.execute(f"LOCK TABLE {CheckIn._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
        for model in ROLLUP_MODELS:
            cursor.execute(f"DELETE FROM {quote_name(model._meta.db_table)}")
        for sql in REBUILD_SQL:
            cursor.execute(sql)
    return {m.__name__: m.objects.count() for m in ROLLUP_MODELS}


def rollups_snapshot() -> dict[str, list[tuple]]:
    """Every roll-up row (and the offering counters) as sorted tuples, to compare."""
    out = {}
    for model in ROLLUP_MODELS:
        names = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        out[model.__name__] = sorted(
            tuple(str(v) for v in row) for row in model.objects.values_list(*names)
        )
    out["Offering"] = sorted(Offering.objects.values_list("id", "checked_in", "walk_ins"))
    return out
