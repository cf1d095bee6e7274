"""Background work for plans (django-tasks). Each task takes plain values and calls a service."""

from __future__ import annotations

import datetime

from django_tasks import task


@task()
def reminders_daily(day: str) -> dict:
    """The daily run (enqueued by `dxday send-reminders` from cron or a systemd timer): mark
    overdue assignments late, then send the reminders due on `day` (ISO date)."""
    from .services import assignments_mark_late, reminders_send

    on = datetime.date.fromisoformat(day)
    late = assignments_mark_late(today=on)
    sent = reminders_send(day=on)
    return {"late": late, "sent": sent}


@task()
def reminders_send_manual(
    assignment_ids: list[int], day: str, user_id: int | None, membership_id: int | None
) -> int:
    """A coordinator's "Remind" for the chosen assignments."""
    from dxday.orgs.models import Membership, User
    from dxday.orgs.permissions import Actor

    from .services import reminders_send

    by = None
    if user_id:
        user = User.objects.get(pk=user_id)
        membership = Membership.objects.filter(pk=membership_id).first()
        by = Actor(user=user, membership=membership)
    return reminders_send(
        day=datetime.date.fromisoformat(day), assignment_ids=assignment_ids, by=by
    )
