"""Thin HTML views: parse input, call one service or selector, render."""

from django.db import DatabaseError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .db import database_writable


@never_cache
def healthz(request):
    """Liveness plus the database's state, for load balancers and monitoring: `ok`, `busy`
    (reachable, but a write could not start within a second: SQLite's write lock is held
    elsewhere) or `unreachable`. Anything but `ok` answers 503."""
    try:
        db = "ok" if database_writable(timeout=1.0) else "busy"
    except DatabaseError:
        db = "unreachable"
    status = 200 if db == "ok" else 503
    return JsonResponse(
        {"status": "ok" if db == "ok" else "error", "database": db, "writable": db == "ok"},
        status=status,
    )
