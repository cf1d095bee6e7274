"""Reads of core's own: the state of the background queue, for /healthz and monitoring."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone


def oldest_queued_task_age() -> datetime.timedelta | None:
    """How long the oldest task that is due has been waiting for a worker (None: none waits).

    A worker that died leaves its queue growing: this age is the signal. The database backend
    and RQ are read directly; the immediate backend (tests) never queues."""
    backend = settings.TASKS["default"]["BACKEND"]
    now = timezone.now()
    if backend == "django_tasks_db.DatabaseBackend":
        from django.db.models import Min
        from django_tasks_db.models import DBTaskResult

        oldest = DBTaskResult.objects.ready().aggregate(Min("enqueued_at"))["enqueued_at__min"]
        return now - oldest if oldest else None
    if backend == "django_tasks_rq.RQBackend":
        import django_rq

        queue = django_rq.get_queue("default")
        ids = queue.get_job_ids(0, 1)
        job = queue.fetch_job(ids[0]) if ids else None
        if job is None or job.enqueued_at is None:
            return None
        enqueued = job.enqueued_at
        if timezone.is_naive(enqueued):
            enqueued = enqueued.replace(tzinfo=datetime.UTC)
        return now - enqueued
    return None


def queue_state() -> dict:
    """`ok`, or `stale` when the oldest due task has waited past DXDAY_QUEUE_STALE_SECONDS."""
    age = oldest_queued_task_age()
    limit = getattr(settings, "DXDAY_QUEUE_STALE_SECONDS", 600)
    seconds = round(age.total_seconds()) if age is not None else None
    return {
        "state": "stale" if seconds is not None and seconds > limit else "ok",
        "oldest_queued_s": seconds,
    }
