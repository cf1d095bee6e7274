"""Background work of the contest (django-tasks): each task only calls a service."""

from __future__ import annotations

from django_tasks import task


@task()
def attempts_sweep_task() -> int:
    """Close the attempts past their deadline (finish time = deadline). Run every minute by
    `dxday contest_sweep --loop` or a systemd timer enqueueing it."""
    from .services.attempts import attempts_sweep

    return attempts_sweep()
