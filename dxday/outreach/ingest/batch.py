"""The batch: dedupe by client_id, insert in one transaction, feed the roll-ups."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils.translation import gettext as _

from dxday.orgs.permissions import Actor

from .. import conf
from ..models import GuidanceSession, SessionTopic
from ..rollups import rollups_apply
from ..sql import db_converters, db_row, insert_rows, pg_cursor, quote_name
from .context import Context, Valid, error
from .validation import validate_session

SESSION_COLUMNS = [
    "client_id", "content_hash", "campaign_id", "team_id", "member_id", "commune_id",
    "province_id", "occurred_at", "day", "households_visited", "people_guided",
    "household_hash", "note", "submitted_by_id", "received_at",
]  # fmt: skip


@dataclass
class IngestResult:
    accepted: int = 0
    duplicates: int = 0
    rejected: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"accepted": self.accepted, "duplicates": self.duplicates, "rejected": self.rejected}


def _stored_hashes(client_ids) -> dict[uuid.UUID, str]:
    client_ids = list(client_ids)
    if not client_ids:
        return {}
    if connection.vendor == "postgresql":
        table = quote_name(GuidanceSession._meta.db_table)
        with pg_cursor() as cursor:
            cursor.execute(
                f"SELECT client_id, content_hash FROM {table} WHERE client_id = ANY(%s)",
                [client_ids],
            )
            return dict(cursor.fetchall())
    return dict(
        GuidanceSession.objects.filter(client_id__in=list(client_ids)).values_list(
            "client_id", "content_hash"
        )
    )


def _conflict(v: Valid) -> dict:
    return {
        "index": v.index,
        "client_id": str(v.client_id),
        "errors": [
            error(
                "client_id",
                "conflict",
                _(
                    "Mã lượt này đã được gửi trước đó với nội dung khác; lượt mới không được ghi nhận."  # noqa: E501
                ),
            )
        ],
    }


def sessions_ingest(*, actor: Actor, sessions: list[dict]) -> IngestResult:
    """Validate, dedupe and store a batch of guidance sessions; keep roll-ups current.

    Valid sessions are saved even when others are rejected; a resent client_id with the same
    content counts as a duplicate, with different content it is rejected (code ``conflict``).
    """
    result = IngestResult()
    ctx = Context(actor, sessions)
    valids: dict[uuid.UUID, Valid] = {}
    for index, data in enumerate(sessions):
        valid, errors, raw_id = validate_session(ctx, index, data)
        if valid is None:
            result.rejected.append({"index": index, "client_id": raw_id, "errors": errors})
            continue
        earlier = valids.get(valid.client_id)
        if earlier is not None:  # the same client_id twice in one batch
            if earlier.content_hash == valid.content_hash:
                result.duplicates += 1
            else:
                result.rejected.append(_conflict(valid))
            continue
        valids[valid.client_id] = valid

    stored = _stored_hashes(valids.keys())
    fresh: list[Valid] = []
    for cid, v in valids.items():
        if cid in stored:
            if stored[cid] == v.content_hash:
                result.duplicates += 1
            else:
                result.rejected.append(_conflict(v))
        else:
            fresh.append(v)
    if fresh:
        fresh.sort(key=lambda v: v.client_id.hex)
        with transaction.atomic():
            inserted = _store(fresh)
        lost = [v for v in fresh if v.client_id not in inserted]
        result.accepted += len(fresh) - len(lost)
        if lost:  # another request stored them between our SELECT and our INSERT
            stored = _stored_hashes(v.client_id for v in lost)
            for v in lost:
                if stored.get(v.client_id) == v.content_hash:
                    result.duplicates += 1
                else:
                    result.rejected.append(_conflict(v))
    result.rejected.sort(key=lambda r: r["index"])
    return result


def _store(fresh: list[Valid]) -> set[uuid.UUID]:
    """Insert the sessions (ignoring client_ids already there), their topics and roll-ups.

    Returns the client_ids this call actually inserted.
    """
    fields = db_converters(GuidanceSession, SESSION_COLUMNS)
    rows = [db_row(fields, [v.row[c] for c in SESSION_COLUMNS]) for v in fresh]
    returned = insert_rows(
        GuidanceSession,
        SESSION_COLUMNS,
        rows,
        suffix=f"ON CONFLICT ({quote_name('client_id')}) DO NOTHING",
        returning=f"{quote_name('id')}, {quote_name('client_id')}",
    )
    ids = {}
    for pk, cid in returned:
        ids[cid if isinstance(cid, uuid.UUID) else uuid.UUID(str(cid))] = pk
    inserted = [v for v in fresh if v.client_id in ids]
    topic_rows = [
        (ids[v.client_id], topic_id, t_people, outcome)
        for v in inserted
        for topic_id, t_people, outcome in v.topics
    ]
    insert_rows(SessionTopic, ["session_id", "topic_id", "people_guided", "outcome"], topic_rows)
    if conf.incremental_rollups():
        rollups_apply(inserted)
    return set(ids)
