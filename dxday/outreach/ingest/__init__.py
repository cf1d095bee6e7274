"""`sessions_ingest`: the platform's hottest path, set-based from end to end.

The package: `validation` (one session, field group by field group), `batch` (dedupe,
insert, the transaction); the roll-up statements live beside their rebuild in
`outreach.rollups`, and the SQL helpers in `outreach.sql`.

One batch costs a fixed number of queries whatever its size (≈ 10 for 500 sessions):

1. load what validation needs: the teams named in the batch, their members, the topic
   catalogue, the door-to-door windows (4 small queries);
2. validate every session in Python, with field-level Vietnamese messages; compute a
   content hash of each normalised session;
3. dedupe: one SELECT of the client_ids already stored (same hash → duplicate, different →
   rejected with code ``conflict``);
4. in ONE transaction: a multi-row ``INSERT … ON CONFLICT (client_id) DO NOTHING RETURNING id,
   client_id`` (sorted by client_id, so that concurrent batches lock in the same order), a
   multi-row INSERT of the per-topic rows of the sessions actually inserted, and one
   ``INSERT … ON CONFLICT DO UPDATE SET x = x + excluded.x`` per roll-up table.

Exact under concurrency: only the rows the INSERT *returned* feed the roll-ups, and the
unique index on client_id decides who inserted a row (on PostgreSQL the second writer waits
for the first to commit and then inserts nothing; on SQLite IMMEDIATE transactions queue).
The increments are done by the database in one statement, so there is no read-modify-write.
A session that lost such a race is classified after the INSERT (duplicate or conflict).

For bench/ (and bulk loads):
- `sessions_ingest(actor=..., sessions=[...])` is the whole path minus HTTP; an operator actor
  (`Actor(user=<superuser>, membership=None)`) may log for any team when each session names
  its `team` and `member`;
- roll-up maintenance is switched off with settings.DXDAY["OUTREACH_INCREMENTAL_ROLLUPS"] =
  False or the environment variable DXDAY_OUTREACH_ROLLUPS=off (then `rollups_rebuild()`,
  or `dxday rebuild-rollups`);
- the rate limit of the HTTP endpoints is DXDAY_OUTREACH_RATE="<requests>/<seconds>";
- a raw baseline into the same table: `SESSION_COLUMNS` and `db_converters` / `db_row` give
  the column list and the DB values a plain executemany or COPY needs.
"""

from __future__ import annotations

from ..rollups import rollups_apply
from ..sql import db_converters, db_row
from .batch import SESSION_COLUMNS, IngestResult, sessions_ingest
from .context import FUTURE_SKEW, MAX_HOUSEHOLDS, MAX_PEOPLE, NOTE_MAX

__all__ = [
    "FUTURE_SKEW", "MAX_HOUSEHOLDS", "MAX_PEOPLE", "NOTE_MAX", "SESSION_COLUMNS", "IngestResult",
    "db_converters", "db_row", "rollups_apply", "sessions_ingest",
]  # fmt: skip
