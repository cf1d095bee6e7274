"""Thin HTML views: parse input, call one service or selector, render."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """Liveness plus database reachability, for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        db = "ok"
    except Exception:  # noqa: BLE001 — any failure to reach the database means "down"
        db = "unreachable"
    status = 200 if db == "ok" else 503
    return JsonResponse({"status": "ok" if db == "ok" else "error", "database": db}, status=status)
