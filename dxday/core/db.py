"""Database failures that are not bugs, turned into the one DomainError.

- A unique constraint another request won a moment earlier (a check-then-write race) is a
  conflict the caller can act on, not a 500: `integrity_as_domain` wraps the write in a
  savepoint and re-raises the IntegrityError as a DomainError (409 by default). The API handler
  and the page middleware turn any IntegrityError that still escapes into the same 409
  `conflict` (`integrity_error`), as a last resort.
- SQLite answers "database is locked" when another process holds the write lock past the
  busy timeout: that is a busy server, answered 503 `database_busy` with Retry-After
  (`busy_error`), never a 500.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils.translation import gettext as _

from .errors import DomainError

# Seconds a client should wait before retrying when the database is busy.
BUSY_RETRY_AFTER = 5


@contextmanager
def integrity_as_domain(
    message: str, *, code: str = "conflict", field: str | None = None, status: int = 409
):
    """Run the block in a savepoint; a constraint it violates becomes `DomainError(message)`.

    Use it around the write that a `.exists()` check guards, so two requests racing past the
    check get the same sentence the check gives. Works as a decorator too.
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise DomainError(str(message), code=code, field=field, status=status) from exc


def is_constraint_race(exc: BaseException) -> bool:
    """An IntegrityError from a constraint (unique, foreign key, check, not null): what a race
    produces. SQLite also raises IntegrityError for "datatype mismatch" (an integer past 64 bits):
    that is a bug in the caller, left a 500 so it is found."""
    if not isinstance(exc, IntegrityError):
        return False
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    if sqlstate is not None:  # PostgreSQL: class 23, integrity constraint violation
        return sqlstate.startswith("23")
    return "constraint failed" in str(exc).lower()


def integrity_error() -> DomainError:
    """The generic conflict for an IntegrityError no service translated."""
    return DomainError(
        _(
            "Dữ liệu này vừa được người khác tạo hoặc thay đổi nên không lưu được. "
            "Hãy tải lại trang rồi thử lại."
        ),
        code="conflict",
        status=409,
    )


def is_busy(exc: BaseException) -> bool:
    """SQLite's write lock held by another connection past the busy timeout."""
    return isinstance(exc, OperationalError) and "database is locked" in str(exc).lower()


def busy_error() -> DomainError:
    return DomainError(
        _("Hệ thống đang bận ghi dữ liệu. Hãy thử lại sau %(s)s giây.") % {"s": BUSY_RETRY_AFTER},
        code="database_busy",
        status=503,
    )


def database_writable(timeout: float = 1.0) -> bool:
    """Whether a write could start now. On SQLite, take the write lock for an instant
    (BEGIN IMMEDIATE with a short busy timeout); elsewhere a connection that answers is enough
    (PostgreSQL has no database-wide write lock)."""
    if connection.vendor != "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True
    connection.ensure_connection()
    raw = connection.connection
    if raw.in_transaction:  # inside a test's transaction: we hold the lock already
        return True
    cursor = raw.cursor()
    cursor.execute("PRAGMA busy_timeout")
    (before,) = cursor.fetchone()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        cursor.execute("BEGIN IMMEDIATE")
        cursor.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:  # the raw driver's "database is locked"
        return False
    finally:
        cursor.execute(f"PRAGMA busy_timeout = {int(before)}")
        cursor.close()
