"""Set-based SQL helpers of the door-to-door campaign: multi-row INSERT (an array per column
on PostgreSQL, multi-row VALUES on SQLite), additive upserts for the roll-up tables, and the
Python → database value converters a raw bulk load needs.

Shared by the ingest (`outreach.ingest`), the roll-ups (`outreach.rollups`) and bench/.
"""

from __future__ import annotations

from django.db import connection

__all__ = [
    "chunks", "db_converters", "db_row", "insert_rows", "max_params", "pg_cursor", "quote_name",
    "upsert_add",
]  # fmt: skip


def quote_name(name: str) -> str:
    return connection.ops.quote_name(name)


def max_params() -> int:
    return 30_000 if connection.vendor == "sqlite" else 60_000


def chunks(rows: list, width: int):
    size = max(1, max_params() // max(width, 1))
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def pg_cursor():
    """A server-side-binding psycopg cursor on Django's own connection (same transaction).

    Django's default client-side binding quotes every array element in Python, which showed
    up as the largest client cost of a batch; with server-side binding the arrays travel as
    parameters. Used only for the few fixed statements of the ingest.
    """
    import psycopg

    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


def insert_rows(
    model, columns: list[str], rows: list[tuple], suffix: str = "", returning: str = ""
):
    """A multi-row INSERT of already-prepared values; returns the RETURNING rows, if any.

    On PostgreSQL the rows travel as one array per column (`INSERT … SELECT * FROM
    unnest(%s::uuid[], …)`): the statement text is the same whatever the batch size, so the
    driver does not re-parse thousands of placeholders (the top cost in the profile of the
    VALUES form) and the server plans it once. SQLite gets a multi-row VALUES.
    """
    if not rows:
        return []
    table = quote_name(model._meta.db_table)
    cols = ", ".join(quote_name(c) for c in columns)
    tail = f" {suffix}" + (f" RETURNING {returning}" if returning else "")
    out = []
    if connection.vendor == "postgresql":
        fields = {f.attname: f for f in model._meta.concrete_fields}
        casts = ", ".join(f"%s::{fields[c].db_type(connection)}[]" for c in columns)
        sql = f"INSERT INTO {table} ({cols}) SELECT * FROM unnest({casts}){tail}"
        with pg_cursor() as cursor:
            cursor.execute(sql, [list(col) for col in zip(*rows, strict=True)])
            return cursor.fetchall() if returning else []
    with connection.cursor() as cursor:
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        for chunk in chunks(rows, len(columns)):
            sql = f"INSERT INTO {table} ({cols}) VALUES {', '.join([one] * len(chunk))}{tail}"
            cursor.execute(sql, [v for r in chunk for v in r])
            if returning:
                out.extend(cursor.fetchall())
    return out


def db_converters(model, columns: list[str]):
    """One converter per column (Python value → DB value), None where the value passes as is.

    Field.get_db_prep_save per value costs a connection-proxy lookup each time, which was the
    largest single cost of a batch in the profile; integers and strings need no conversion.
    """
    from django.db import connections
    from django.db.models import DateField, DateTimeField, UUIDField

    conn = connections["default"]
    fields = {f.attname: f for f in model._meta.concrete_fields}
    out = []
    for c in columns:
        f = fields[c]
        if isinstance(f, UUIDField):
            out.append((lambda v: v) if conn.features.has_native_uuid_field else (lambda v: v.hex))
        elif isinstance(f, DateTimeField):
            out.append(conn.ops.adapt_datetimefield_value)
        elif isinstance(f, DateField):
            out.append(conn.ops.adapt_datefield_value)
        else:
            out.append(None)
    return out


def db_row(converters, values) -> tuple:
    return tuple(
        v if fn is None or v is None else fn(v) for fn, v in zip(converters, values, strict=True)
    )


def upsert_add(
    model, columns: list[str], key: list[str], adds: list[str], rows, greatest: str = ""
):
    """`INSERT … ON CONFLICT (key) DO UPDATE SET c = c + excluded.c` for each of `adds` (and
    `greatest` kept as the larger of old and new): the database adds, no read-modify-write."""
    if not rows:
        return
    table = quote_name(model._meta.db_table)
    sets = [f"{quote_name(c)} = {table}.{quote_name(c)} + excluded.{quote_name(c)}" for c in adds]
    if greatest:
        fn = "GREATEST" if connection.vendor == "postgresql" else "MAX"
        g = quote_name(greatest)
        sets.append(f"{g} = {fn}({table}.{g}, excluded.{g})")
    suffix = (
        f"ON CONFLICT ({', '.join(quote_name(k) for k in key)}) DO UPDATE SET {', '.join(sets)}"
    )
    fields = db_converters(model, columns)
    # Sorted, so that concurrent transactions lock roll-up rows in the same order.
    prepared = [db_row(fields, r) for r in sorted(rows, key=lambda r: tuple(map(str, r)))]
    insert_rows(model, columns, prepared, suffix)
