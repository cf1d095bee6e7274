"""Fixed-window rate limits shared by every app process: one atomic increment per hit, in
Redis when REDIS_URL is set (INCR) and otherwise in the database (an upsert that returns the
new count), never in a per-process memory cache."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection, transaction


def rate_hit(key: str, *, limit: int, window: int) -> int | None:
    """Count one hit on `key`; the seconds to wait when it is over `limit`, else None."""
    now = int(time.time())
    start = now - now % window
    count = _incr_redis(key, start, window) if settings.REDIS_URL else _incr_database(key, start)
    if count > limit:
        return max(1, start + window - now)
    return None


def _incr_redis(key: str, start: int, window: int) -> int:
    from django.core.cache import cache

    name = f"rate:{key}:{start}"
    cache.add(name, 0, timeout=window + 5)
    try:
        return cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=window + 5)
        return 1


def _incr_database(key: str, start: int) -> int:
    from .models import RateCounter

    table = connection.ops.quote_name(RateCounter._meta.db_table)
    # SQLite >= 3.35 and PostgreSQL both upsert and return the row in one statement, so two
    # processes racing for the same window each see their own increment.
    sql = (
        f"INSERT INTO {table} (name, window_start, hits) VALUES (%s, %s, 1) "
        f"ON CONFLICT (name, window_start) DO UPDATE SET hits = {table}.hits + 1 RETURNING hits"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [key[:200], start])
        count = cursor.fetchone()[0]
        if count == 1:  # a new window: forget this key's older ones
            RateCounter.objects.filter(name=key[:200], window_start__lt=start).delete()
    return count
