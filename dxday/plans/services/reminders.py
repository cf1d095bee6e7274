"""Reminders before and after a deadline (and a coordinator's "Remind"): created with the unit's
in-app notification in one transaction, then e-mailed with retries; and the unit's inbox.

Creating and delivering are separate on purpose: a row exists (and the unit sees it in the app)
as soon as it is created, but it counts as e-mailed only once `sent_at` is set.
The queueing entry points (which enqueue django-tasks work) are in `remind.py`.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dxday.core.audit import audit
from dxday.core.errors import DomainError
from dxday.orgs.models import Membership, Organisation
from dxday.orgs.permissions import Actor, ensure_can

from ..models import Assignment, Notification, Reminder
from .common import PENDING_STATUSES

logger = logging.getLogger(__name__)


def reminder_offsets() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Days before and after a deadline on which reminders go out (settings, not constants)."""
    before = tuple(getattr(settings, "DXDAY_REMINDER_DAYS_BEFORE", (3, 1)))
    after = tuple(getattr(settings, "DXDAY_REMINDER_DAYS_AFTER", (1, 3, 7)))
    return before, after


def _reminder_text(assignment: Assignment, kind: str, day: datetime.date) -> tuple[str, str]:
    task = assignment.task
    deadline = assignment.deadline.strftime("%d/%m/%Y") if assignment.deadline else "—"
    if kind == Reminder.Kind.BEFORE:
        title = _("Sắp đến hạn báo cáo: %(task)s") % {"task": task.title}
        body = _(
            "Nhiệm vụ “%(task)s” có hạn báo cáo ngày %(deadline)s. Đề nghị đơn vị báo cáo đúng hạn."
        ) % {"task": task.title, "deadline": deadline}
    else:
        title = _("Đôn đốc báo cáo: %(task)s") % {"task": task.title}
        body = _(
            "Nhiệm vụ “%(task)s” đã quá hạn báo cáo (hạn %(deadline)s). "
            "Đề nghị đơn vị khẩn trương báo cáo."
        ) % {"task": task.title, "deadline": deadline}
    return title, body


@transaction.atomic
def reminders_create(
    *,
    day: datetime.date,
    assignment_ids: Iterable[int] | None = None,
    by: Actor | None = None,
) -> int:
    """Create the reminders due on `day` (scheduled), or for `assignment_ids` (a coordinator's
    "Remind"): one row and one in-app notification each, in this transaction. E-mail is
    delivered afterwards by `reminders_deliver` (through the `reminders_email` task), which
    records on each row when it went out. The unique constraint on (assignment, kind, day)
    makes a repeated run create nothing twice. Returns how many were created."""
    pending = Assignment.objects.filter(
        status__in=PENDING_STATUSES, first_reported_at__isnull=True
    ).select_related("task", "organisation")
    jobs: list[tuple[Assignment, str]] = []
    if assignment_ids is not None:
        jobs = [(a, Reminder.Kind.MANUAL) for a in pending.filter(pk__in=list(assignment_ids))]
    else:
        before, after = reminder_offsets()
        soon = [day + datetime.timedelta(days=d) for d in before]
        overdue = [day - datetime.timedelta(days=d) for d in after]
        for a in pending.filter(Q(deadline__in=soon) | Q(deadline__in=overdue)):
            kind = Reminder.Kind.BEFORE if a.deadline >= day else Reminder.Kind.AFTER
            jobs.append((a, kind))
    if not jobs:
        return 0
    # Insert every reminder in bulk, skipping the ones the unique constraint already holds
    # (an earlier or concurrent run); the rows stamped with this run's id are this run's.
    run = uuid.uuid4()
    sent_by = by.user if by is not None and by.user.pk else None
    Reminder.objects.bulk_create(
        [Reminder(assignment=a, kind=k, day=day, sent_by=sent_by, run=run) for a, k in jobs],
        batch_size=500,
        ignore_conflicts=True,
    )
    mine = set(Reminder.objects.filter(run=run).values_list("assignment_id", "kind"))
    jobs = [(a, k) for a, k in jobs if (a.pk, k) in mine]
    if not jobs:
        return 0
    notifications = []
    for assignment, kind in jobs:
        title, body = _reminder_text(assignment, kind, day)
        notifications.append(
            Notification(
                organisation_id=assignment.organisation_id,
                assignment=assignment,
                title=title[:300],
                body=body,
                url=f"/plans/nhiem-vu-cua-toi/#a{assignment.pk}",
            )
        )
    Notification.objects.bulk_create(notifications, batch_size=500)
    audit(
        Reminder.objects.filter(run=run).order_by("pk").first(),
        "plans.reminder.created",  # e-mail delivery is recorded on each row (`sent_at`)
        by=by,
        changes={"count": [None, len(jobs)], "day": [None, day], "run": [None, str(run)]},
    )
    return len(jobs)


def _unit_emails(org_ids: set[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for org_id, email in Organisation.objects.filter(pk__in=org_ids).values_list("pk", "email"):
        if email:
            out.setdefault(org_id, []).append(email)
    members = Membership.objects.filter(
        organisation_id__in=org_ids, user__is_active=True, role__in=["coordinator", "reporter"]
    ).values_list("organisation_id", "user__email")
    for org_id, email in members:
        if email and email not in out.get(org_id, []):
            out.setdefault(org_id, []).append(email)
    return out


def _retry_minutes() -> tuple[int, ...]:
    return tuple(getattr(settings, "DXDAY_REMINDER_RETRY_MINUTES", (5, 30, 120, 480))) or (0,)


def email_attempts_max() -> int:
    """How many times one reminder's e-mail is tried before it is left to the operator."""
    return int(getattr(settings, "DXDAY_REMINDER_EMAIL_ATTEMPTS", 5))


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long after its `attempts`-th failed try a reminder's e-mail is due again."""
    minutes = _retry_minutes()
    return datetime.timedelta(minutes=minutes[min(max(attempts, 1), len(minutes)) - 1])


def _due_q(now: datetime.datetime) -> Q:
    """Reminders whose e-mail has not gone out and whose next try is due: never tried, or the
    last try failed long enough ago (a try in flight is not due, so two passes do not race)."""
    due = Q(attempts=0)
    for n in range(1, email_attempts_max()):
        due |= Q(attempts=n, last_attempt_at__lte=now - retry_delay(n))
    return Q(sent_at__isnull=True) & due


def reminders_undelivered() -> int:
    """Reminders whose e-mail has not gone out yet (pending or given up)."""
    return Reminder.objects.filter(sent_at__isnull=True).count()


def _send_one(connection, title: str, body: str, to: list[str]) -> str:
    """Send one message; the error as text when the mail server refused it, else ""."""
    message = EmailMessage(title, body, settings.DEFAULT_FROM_EMAIL, to, connection=connection)
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("reminder e-mail to %s failed: %s", to, exc)
        _close(connection)  # the next message opens a fresh connection
        return f"{type(exc).__name__}: {exc}"
    return ""


def _close(connection) -> None:
    try:
        connection.close()
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("closing the mail connection failed: %s", exc)


def reminders_deliver(*, now: datetime.datetime | None = None, limit: int = 5000) -> dict:
    """E-mail the reminders that are due (see `_due_q`) and record the outcome on each row:
    `sent_at` when the mail server accepted it, else `attempts`, `last_attempt_at` and
    `last_error`, so a failed e-mail is tried again and never counts as sent.

    Each row is claimed before its message goes out (`attempts` compared and incremented in one
    UPDATE), so two passes never both send it. A unit without an e-mail address has had its
    reminder in the app since creation: the row is marked delivered with no message.
    Returns {"sent": n, "failed": m}.
    """
    now = now or timezone.now()
    due = list(
        Reminder.objects.filter(_due_q(now))
        .select_related("assignment__task", "assignment__organisation")
        .order_by("pk")[:limit]
    )
    if not due:
        return {"sent": 0, "failed": 0}
    recipients = _unit_emails({r.assignment.organisation_id for r in due})
    sent = failed = 0
    connection = get_connection(fail_silently=False)
    try:
        for reminder in due:
            claimed = Reminder.objects.filter(
                pk=reminder.pk, sent_at=None, attempts=reminder.attempts
            ).update(attempts=F("attempts") + 1, last_attempt_at=timezone.now())
            if not claimed:
                continue  # another pass took it
            to = recipients.get(reminder.assignment.organisation_id, [])
            error = ""
            if to:
                title, body = _reminder_text(reminder.assignment, reminder.kind, reminder.day)
                error = _send_one(connection, title, body, to)
            if error:
                Reminder.objects.filter(pk=reminder.pk).update(last_error=error[:300])
                failed += 1
            else:
                Reminder.objects.filter(pk=reminder.pk).update(
                    sent_at=timezone.now(), last_error=""
                )
                sent += 1
    finally:
        _close(connection)
    return {"sent": sent, "failed": failed}


@transaction.atomic
def notifications_mark_read(*, organisation: Organisation, by: Actor | None) -> int:
    """Mark a unit's notifications read. A person marks only the inbox of the unit they act
    for: another unit is "not found" outside their subtree and forbidden inside it."""
    if by is not None and by.organisation_id != organisation.pk:
        ensure_can(by, "orgs.view", organisation)
        raise DomainError(
            _("Bạn chỉ đánh dấu đã đọc được thông báo của đơn vị mình."),
            code="not_own_notifications",
            status=403,
        )
    return Notification.objects.filter(organisation=organisation, read_at=None).update(
        read_at=timezone.now()
    )
