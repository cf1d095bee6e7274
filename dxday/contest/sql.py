"""The two set-based statements the contest writes with: an additive upsert for the roll-ups and
an insert-or-replace for answers. Both are one `INSERT … ON CONFLICT … DO UPDATE` (SQLite ≥ 3.24
and PostgreSQL), so concurrent writers never read-then-write.
"""

from __future__ import annotations

from django.db import connection


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def upsert(model, columns: list[str], key: list[str], sets: list[str], rows: list[tuple]):
    """INSERT rows; on a key conflict run `sets` (SQL fragments using `excluded`)."""
    if not rows:
        return
    table = _q(model._meta.db_table)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = (
        f"INSERT INTO {table} ({', '.join(_q(c) for c in columns)}) "
        f"VALUES {', '.join([one] * len(rows))} "
        f"ON CONFLICT ({', '.join(_q(k) for k in key)}) DO UPDATE SET {', '.join(sets)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [v for r in rows for v in r])


def upsert_add(model, columns: list[str], key: list[str], adds: list[str], rows: list[tuple]):
    """`c = c + excluded.c` for each of `adds`; rows sorted so concurrent transactions lock the
    roll-up rows in one order (no deadlock)."""
    table = _q(model._meta.db_table)
    sets = [f"{_q(c)} = {table}.{_q(c)} + excluded.{_q(c)}" for c in adds]
    upsert(model, columns, key, sets, sorted(rows, key=lambda r: tuple(map(str, r))))


def upsert_replace(model, columns: list[str], key: list[str], replace: list[str], rows):
    """Insert-or-replace: the new values of `replace` win."""
    upsert(model, columns, key, [f"{_q(c)} = excluded.{_q(c)}" for c in replace], rows)
