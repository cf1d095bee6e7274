"""Set-based SQL helpers of the check-in batch and the roll-ups (portable: SQLite ≥ 3.35 and
PostgreSQL both take multi-row VALUES, ON CONFLICT and RETURNING)."""

from __future__ import annotations

from django.db import connection


def quote_name(name: str) -> str:
    return connection.ops.quote_name(name)


def _chunks(rows: list, width: int):
    size = max(1, 30_000 // max(width, 1))
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def insert_rows(
    model, columns: list[str], rows: list[tuple], *, suffix: str = "", returning: str = ""
) -> list[tuple]:
    """A multi-row INSERT of database-ready values; the RETURNING rows, if asked for."""
    if not rows:
        return []
    table = quote_name(model._meta.db_table)
    cols = ", ".join(quote_name(c) for c in columns)
    tail = f" {suffix}" + (f" RETURNING {returning}" if returning else "")
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    out: list[tuple] = []
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, len(columns)):
            sql = f"INSERT INTO {table} ({cols}) VALUES {', '.join([one] * len(chunk))}{tail}"
            cursor.execute(sql, [v for r in chunk for v in r])
            if returning:
                out.extend(cursor.fetchall())
    return out


def upsert_add(model, columns: list[str], key: list[str], adds: list[str], rows) -> None:
    """`INSERT … ON CONFLICT (key) DO UPDATE SET c = c + excluded.c`: the database adds.
    Rows are sorted by key, so concurrent batches lock in one order (no deadlock)."""
    if not rows:
        return
    rows = sorted(rows, key=lambda r: tuple(str(v) for v in r[: len(key)]))
    table = quote_name(model._meta.db_table)
    sets = ", ".join(
        f"{quote_name(c)} = {table}.{quote_name(c)} + excluded.{quote_name(c)}" for c in adds
    )
    conflict = ", ".join(quote_name(c) for c in key)
    insert_rows(model, columns, rows, suffix=f"ON CONFLICT ({conflict}) DO UPDATE SET {sets}")


def db_uuid(value):
    return value if connection.features.has_native_uuid_field else value.hex


def db_datetime(value):
    return connection.ops.adapt_datetimefield_value(value)
