"""Thin HTML views: parse input, call one service or selector, render."""

from functools import cache
from pathlib import Path

from django.db import DatabaseError
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.views.decorators.cache import never_cache

from .db import database_writable
from .selectors import queue_state


@never_cache
def healthz(request):
    """Liveness plus the database's state, for load balancers and monitoring: `ok`, `busy`
    (reachable, but a write could not start within a second: SQLite's write lock is held
    elsewhere) or `unreachable`; anything but `ok` answers 503. The task queue's state and the
    age of its oldest waiting task ride along: a stale queue (a dead worker) is for monitoring
    to alarm on, not a reason for the balancer to take this app server out (still 200)."""
    try:
        db = "ok" if database_writable(timeout=1.0) else "busy"
    except DatabaseError:
        db = "unreachable"
    status = 200 if db == "ok" else 503
    body = {"status": "ok" if db == "ok" else "error", "database": db, "writable": db == "ok"}
    if db != "unreachable":
        body["queue"] = queue_state()
    return JsonResponse(body, status=status)


@cache
def _favicon() -> bytes:
    return (Path(__file__).parent / "static" / "core" / "favicon.ico").read_bytes()


def favicon(request):
    """The icon browsers ask for at /favicon.ico, from the app's own static file."""
    response = HttpResponse(_favicon(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@never_cache
def csrf_token(request):
    """A CSRF token for the public forms of cached pages (registration, vote, contest sign-up).

    Public pages carry no token and set no cookie, so shared caches can keep them; a form that
    needs one is marked `data-dx-csrf` and `core/dxday.js` fetches the token from here (this
    answer sets the CSRF cookie and is never cached) and adds it to the form before it is sent.
    """
    return JsonResponse({"token": get_token(request)})
