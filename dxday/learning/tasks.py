"""Background work of the learning festival (django-tasks). Each task calls one function.

Expired holds and contacts past their retention are handled by `dxday learning-housekeeping`
(cron or a systemd timer every few minutes), which calls the services directly.
"""

from __future__ import annotations

from django_tasks import task


@task()
def registration_notify_promoted(registration_id: int) -> None:
    """Tell the person a seat was given to that it is held for them."""
    from .notices import registration_notify_promoted as notify

    notify(registration_id=registration_id)
