"""The two set-based statements the contest writes with: an additive upsert for the roll-ups and
an insert-or-replace for answers. Both are one `INSERT … ON CONFLICT … DO UPDATE` (SQLite ≥ 3.24
and PostgreSQL), so concurrent writers never read-then-write.
"""

from __future__ import annotations

import datetime

from django.db import connection


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def upsert_sql(model, columns: list[str], key: list[str], sets: list[str], rows: list[tuple]):
    """The statement and parameters of `upsert`, to run alone or joined with others."""
    table = _q(model._meta.db_table)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = (
        f"INSERT INTO {table} ({', '.join(_q(c) for c in columns)}) "
        f"VALUES {', '.join([one] * len(rows))} "
        f"ON CONFLICT ({', '.join(_q(k) for k in key)}) DO UPDATE SET {', '.join(sets)}"
    )
    return sql, [_db_value(v) for r in rows for v in r]


def _db_value(value):
    """Datetimes as the backend stores them (SQLite: naive UTC text, as the ORM writes), so
    raw rows compare correctly with ORM-written ones."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def upsert(model, columns: list[str], key: list[str], sets: list[str], rows: list[tuple]):
    """INSERT rows; on a key conflict run `sets` (SQL fragments using `excluded`)."""
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.execute(*upsert_sql(model, columns, key, sets, rows))


def add_sets(model, adds: list[str]) -> list[str]:
    table = _q(model._meta.db_table)
    return [f"{_q(c)} = {table}.{_q(c)} + excluded.{_q(c)}" for c in adds]


def execute_together(statements: list[tuple[str, list]]) -> None:
    """Several INSERT … ON CONFLICT statements in one round trip: data-modifying CTEs on
    PostgreSQL (one statement), one after the other elsewhere."""
    if not statements:
        return
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql" or len(statements) == 1:
            for sql, params in statements:
                cursor.execute(sql, params)
            return
        *first, (last_sql, last_params) = statements
        ctes = ", ".join(f"s{i} AS ({sql})" for i, (sql, _p) in enumerate(first))
        params = [v for _s, p in first for v in p] + list(last_params)
        cursor.execute(f"WITH {ctes} {last_sql}", params)


def upsert_add(model, columns: list[str], key: list[str], adds: list[str], rows: list[tuple]):
    """`c = c + excluded.c` for each of `adds`; rows sorted so concurrent transactions lock the
    roll-up rows in one order (no deadlock)."""
    upsert(
        model, columns, key, add_sets(model, adds), sorted(rows, key=lambda r: tuple(map(str, r)))
    )


def upsert_replace(model, columns: list[str], key: list[str], replace: list[str], rows):
    """Insert-or-replace: the new values of `replace` win."""
    upsert(model, columns, key, [f"{_q(c)} = excluded.{_q(c)}" for c in replace], rows)
