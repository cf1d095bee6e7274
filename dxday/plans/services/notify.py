"""Event notifications for a unit, in the app and by e-mail: a report returned (with the
reason) or accepted, a new assignment, a plan cascaded to the unit.

The in-app rows are written in the caller's transaction; the e-mails are queued once that
transaction commits (the `notifications_committed` signal, whose receiver queues the
`notifications_email` task), and each row is claimed before its message goes
out, as reminders are (`reminders.reminders_deliver`), so a row is e-mailed once, and a refused
message is tried again up to the same limit.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import Assignment, Notification
from ..signals import notifications_committed
from .reminders import _close, _due_q, _send_one, _unit_emails, get_connection


@dataclass(frozen=True)
class Note:
    organisation_id: int
    title: str
    body: str
    url: str = ""
    assignment_id: int | None = None


def notifications_send(*, kind: str, notes: list[Note]) -> int:
    """Write one in-app notification per note (e-mail wanted), and queue their e-mails when the
    surrounding transaction commits. A new-assignment note for an assignment already notified
    is skipped (unique per assignment), so an expansion run twice notifies once."""
    if not notes:
        return 0
    rows = [
        Notification(
            kind=kind,
            organisation_id=n.organisation_id,
            assignment_id=n.assignment_id,
            title=n.title[:300],
            body=n.body,
            url=n.url[:300],
            email_wanted=True,
        )
        for n in notes
    ]
    Notification.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    transaction.on_commit(lambda: notifications_committed.send(sender=Notification))
    return len(rows)


def _deadline(d: datetime.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else _("không có hạn")


def notify_assigned(assignments: list[Assignment]) -> int:
    """Tell each unit about its new assignments (one notification each)."""
    with translation.override(settings.LANGUAGE_CODE):  # stored text: the units' language
        return notifications_send(kind=Notification.Kind.ASSIGNED, notes=_assigned(assignments))


def _assigned(assignments: list[Assignment]) -> list[Note]:
    notes = []
    for a in assignments:
        task = a.task
        notes.append(
            Note(
                organisation_id=a.organisation_id,
                assignment_id=a.pk,
                title=_("Nhiệm vụ mới: %(task)s") % {"task": task.title},
                body=_(
                    "%(issuer)s giao cho đơn vị nhiệm vụ “%(task)s” (%(role)s), hạn báo cáo "
                    "%(deadline)s."
                )
                % {
                    "issuer": task.plan.organisation.name,
                    "task": task.title,
                    "role": a.get_role_display().lower(),
                    "deadline": _deadline(a.deadline),
                },
                url=f"/activities/bao-cao/?phan_cong={a.pk}",
            )
        )
    return notes


def notify_cascaded(*, plan, counts: dict[int, int]) -> int:
    """Tell each unit that received tasks from a cascaded plan: one notification per unit."""
    with translation.override(settings.LANGUAGE_CODE):
        return notifications_send(
            kind=Notification.Kind.CASCADED, notes=_cascaded(plan=plan, counts=counts)
        )


def _cascaded(*, plan, counts: dict[int, int]) -> list[Note]:
    return [
        Note(
            organisation_id=org_id,
            title=_("Kế hoạch mới từ cấp trên: %(plan)s") % {"plan": plan.title},
            body=_(
                "%(issuer)s đã cụ thể hóa kế hoạch và giao cho đơn vị %(n)s nhiệm vụ. "
                "Xem và báo cáo trong mục Việc cần làm."
            )
            % {"issuer": plan.organisation.name, "n": n},
            url="/plans/nhiem-vu-cua-toi/",
        )
        for org_id, n in sorted(counts.items())
    ]


def notifications_deliver(*, now: datetime.datetime | None = None, limit: int = 5000) -> dict:
    """E-mail the event notifications that are due, as `reminders_deliver` does for reminders:
    claim the row, send, record `sent_at` or the error. Returns {"sent": n, "failed": m}."""
    now = now or timezone.now()
    due = list(
        Notification.objects.filter(_due_q(now), email_wanted=True)
        .only("pk", "attempts", "organisation_id", "title", "body", "url")
        .order_by("pk")[:limit]
    )
    if not due:
        return {"sent": 0, "failed": 0}
    recipients = _unit_emails({n.organisation_id for n in due})
    sent = failed = 0
    connection = get_connection(fail_silently=False)
    try:
        for note in due:
            claimed = Notification.objects.filter(
                pk=note.pk, sent_at=None, attempts=note.attempts
            ).update(attempts=F("attempts") + 1, last_attempt_at=timezone.now())
            if not claimed:
                continue  # another pass took it
            to = recipients.get(note.organisation_id, [])
            error = _send_one(connection, note.title, _mail_body(note), to) if to else ""
            if error:
                Notification.objects.filter(pk=note.pk).update(last_error=error[:300])
                failed += 1
            else:
                Notification.objects.filter(pk=note.pk).update(
                    sent_at=timezone.now(), last_error=""
                )
                sent += 1
    finally:
        _close(connection)
    return {"sent": sent, "failed": failed}


def _mail_body(note: Notification) -> str:
    if not note.url:
        return note.body
    site = settings.PUBLIC_URL  # e-mails are read away from any request
    return f"{note.body}\n\n{_('Xem chi tiết:')} {site}{note.url}"
