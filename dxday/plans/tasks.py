"""Background work for plans (django-tasks). Each task takes plain values and calls a service.

The tasks import the services' modules (`services.reminders`, `services.assignments`), never the
`services` package, whose `remind` module enqueues these tasks: the import graph runs one way.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task


@task()
def reminders_daily(day: str) -> dict:
    """The daily run (enqueued by `dxday send-reminders` from cron or a systemd timer): mark
    overdue assignments late, create the reminders due on `day` (ISO date), then deliver every
    reminder e-mail still due, including earlier ones whose retries ran out of time."""
    from .services.assignments import assignments_mark_late
    from .services.reminders import reminders_create

    on = datetime.date.fromisoformat(day)
    late = assignments_mark_late(today=on)
    sent = reminders_create(day=on)
    reminders_email.enqueue()
    notifications_email.enqueue()
    return {"late": late, "sent": sent}


@task()
def reminders_send_manual(
    assignment_ids: list[int], day: str, user_id: int | None, membership_id: int | None
) -> int:
    """A coordinator's "Remind" for the chosen assignments, then their e-mails."""
    from dxday.orgs.models import Membership, User
    from dxday.orgs.permissions import Actor

    from .services.reminders import reminders_create

    by = None
    if user_id:
        user = User.objects.get(pk=user_id)
        membership = Membership.objects.filter(pk=membership_id).first()
        by = Actor(user=user, membership=membership)
    created = reminders_create(
        day=datetime.date.fromisoformat(day), assignment_ids=assignment_ids, by=by
    )
    if created:
        reminders_email.enqueue()
    return created


@task()
def reminders_email(attempt: int = 1) -> dict:
    """E-mail the reminders that are due. When some failed, run again later (after the retry
    delay, where the backend can defer) up to the attempt limit; each row also carries its own
    attempt count, so retries stay bounded however many passes run."""
    from .services.reminders import email_attempts_max, reminders_deliver, retry_delay

    result = reminders_deliver()
    if result["failed"] and attempt < email_attempts_max():
        delay = retry_delay(attempt)
        again = reminders_email
        if delay and again.get_backend().supports_defer:
            again = again.using(run_after=timezone.now() + delay)
        again.enqueue(attempt + 1)
    return result


@task()
def notifications_email(attempt: int = 1) -> dict:
    """E-mail the event notifications that are due (returned, accepted, assigned, cascaded),
    retried like the reminders' e-mails."""
    from .services.notify import notifications_deliver
    from .services.reminders import email_attempts_max, retry_delay

    result = notifications_deliver()
    if result["failed"] and attempt < email_attempts_max():
        delay = retry_delay(attempt)
        again = notifications_email
        if delay and again.get_backend().supports_defer:
            again = again.using(run_after=timezone.now() + delay)
        again.enqueue(attempt + 1)
    return result
