"""The bench databases (never the development or test ones) and fast bulk loading.

SQLite: a file under var/bench/. PostgreSQL: a database named ``dxday_bench`` that the bench
drops and creates. Django is configured for exactly one of them per process.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
BENCH_VAR = PROJECT / "var" / "bench"
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_NAME = os.environ.get("BENCH_PG_NAME", "dxday_bench")  # another name on a shared server


def sqlite_path(size: str) -> Path:
    return BENCH_VAR / f"bench-{size}.sqlite3"


def database_url(db: str, size: str) -> str:
    if db == "sqlite":
        return f"sqlite:///{sqlite_path(size)}"
    return f"{PG_ADMIN_URL}/{PG_NAME}"


def postgres_reachable() -> str | None:
    """None when PostgreSQL answers, else the reason."""
    try:
        import psycopg

        with psycopg.connect(f"{PG_ADMIN_URL}/postgres", connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "skip"
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return None


def create_database(db: str, size: str) -> None:
    """A fresh, empty bench database."""
    if db == "sqlite":
        BENCH_VAR.mkdir(parents=True, exist_ok=True)
        path = sqlite_path(size)
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{path}{suffix}").unlink()
        return
    import psycopg

    with psycopg.connect(f"{PG_ADMIN_URL}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_NAME}")


def drop_database(db: str, size: str) -> None:
    if db == "sqlite":
        return  # kept under var/bench for inspection; recreated on the next run
    import psycopg

    with psycopg.connect(f"{PG_ADMIN_URL}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")


def server_env(db: str, size: str) -> dict[str, str]:
    """Environment for this process and for the gunicorn it starts."""
    return {
        "DJANGO_SETTINGS_MODULE": "dxday.settings",
        "DATABASE_URL": database_url(db, size),
        # A limit far above what the bench sends: rate limiting must not shape the figures.
        "DXDAY_OUTREACH_RATE": "1000000000/60",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DEBUG": "0",
        # Production settings refuse the development secrets; the bench has its own.
        "SECRET_KEY": "bench-only-secret-key-never-used-in-production-0123456789",
        "HOUSEHOLD_SALT": "bench-only-household-salt",
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "REDIS_URL": "",
    }


def django_setup(db: str, size: str) -> None:
    os.environ.update(server_env(db, size))
    import django

    django.setup()


# --- Bulk loading ------------------------------------------------------------------------------


def vendor() -> str:
    from django.db import connection

    return connection.vendor


def dt_suffix() -> str:
    """Datetimes are written as text: UTC, with an explicit offset on PostgreSQL."""
    return "+00" if vendor() == "postgresql" else ""


def load_rows(table: str, columns: list[str], rows) -> int:
    """COPY (PostgreSQL) or executemany in the current transaction (SQLite). Values must be
    ready for the database: str/int/bool/None, datetimes as text in UTC (see dt_suffix)."""
    from django.db import connection

    n = 0
    cols = ", ".join(f'"{c}"' for c in columns)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
        return n
    marks = ", ".join(["?"] * len(columns))
    connection.ensure_connection()
    raw = connection.connection
    counted = _Counter(rows)
    raw.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', counted)
    return counted.n


class _Counter:
    def __init__(self, rows):
        self.rows = iter(rows)
        self.n = 0

    def __iter__(self):
        return self

    def __next__(self):
        row = next(self.rows)
        self.n += 1
        return row


def reset_sequence(table: str) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)'
        )


def max_id(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
        return int(cursor.fetchone()[0])


def secondary_indexes(tables: list[str]) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the plain (non-unique) indexes of `tables`."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                "AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
                [tables],
            )
        else:
            marks = ", ".join(["%s"] * len(tables))
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND tbl_name IN ({marks}) AND sql NOT LIKE 'CREATE UNIQUE%%'",
                tables,
            )
        return list(cursor.fetchall())


@contextlib.contextmanager
def bulk_mode(tables: list[str]):
    """Drop plain indexes and skip FK triggers while bulk loading; rebuild after.

    The unique indexes (primary keys, client_id, the roll-up keys) stay in place.
    """
    from django.db import connection

    indexes = secondary_indexes(tables)
    with connection.cursor() as cursor:
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA cache_size = -400000")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = origin")
                cursor.execute("SET maintenance_work_mem = '512MB'")
            else:
                cursor.execute("PRAGMA synchronous = NORMAL")
            for _name, sql in indexes:
                cursor.execute(sql)
            if connection.vendor == "postgresql":
                cursor.execute("RESET maintenance_work_mem")
            else:
                cursor.execute("PRAGMA foreign_keys = ON")


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
