"""Reminders before and after a deadline (and a coordinator's "Remind"), and the unit's
in-app notifications."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxday.core.audit import audit
from dxday.core.errors import DomainError, NotFound
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import Actor, ensure_can

from ..models import Assignment, Campaign, Notification, Reminder
from ..selectors import assignment_list_for_subtree, chase_assignments_of_units
from .common import PENDING_STATUSES


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
def reminders_send(
    *,
    day: datetime.date,
    assignment_ids: Iterable[int] | None = None,
    by: Actor | None = None,
) -> int:
    """Send the reminders due on `day` (scheduled), or to `assignment_ids` (a coordinator's
    "Remind"). Each goes to the unit in the app and by email. The unique constraint on
    (assignment, kind, day) makes a repeated run send nothing twice. Returns how many were sent."""
    from django.db.models import Q

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
    # (an earlier or concurrent run); the rows stamped with this run's id are the ones to send.
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
    recipients = _unit_emails({a.organisation_id for a, _k in jobs})
    notifications = []
    emails: list[tuple[str, str, str, list[str]]] = []
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
        to = recipients.get(assignment.organisation_id, [])
        if to:
            emails.append((title, body, settings.DEFAULT_FROM_EMAIL, to))
    Notification.objects.bulk_create(notifications, batch_size=500)
    if emails:
        transaction.on_commit(lambda: _send_emails(emails))
    audit(
        Reminder.objects.filter(run=run).order_by("pk").first(),
        "plans.reminder.sent",
        by=by,
        changes={"count": [None, len(jobs)], "day": [None, day], "run": [None, str(run)]},
    )
    return len(jobs)


def _unit_emails(org_ids: set[int]) -> dict[int, list[str]]:
    from dxday.orgs.models import Membership

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


def _send_emails(emails) -> None:
    from django.core.mail import send_mass_mail

    send_mass_mail(emails, fail_silently=False)


def reminders_enqueue(*, assignments: Iterable[Assignment], by: Actor) -> int:
    """A coordinator's "Remind": check the units are in their subtree, then queue the work."""
    ids = []
    for assignment in assignments:
        ensure_can(by, "plans.chase", assignment.organisation)
        ids.append(assignment.pk)
    if not ids:
        raise DomainError(_("Hãy chọn ít nhất một đơn vị để nhắc."), code="nothing_selected")
    from ..tasks import reminders_send_manual

    day = timezone.localdate().isoformat()
    user_id = by.user.pk
    membership_id = by.membership.pk if by.membership else None
    transaction.on_commit(lambda: reminders_send_manual.enqueue(ids, day, user_id, membership_id))
    return len(ids)


def reminders_enqueue_for_units(
    *,
    by: Actor,
    organisation_ids: Iterable[int],
    campaign: Campaign | None = None,
    only_late: bool = False,
) -> tuple[int, int]:
    """The chase page's "Remind": the pending assignments of the chosen units (within the
    actor's reach), queued. Returns (units, assignments)."""
    chosen = list(
        chase_assignments_of_units(
            by, list(organisation_ids), campaign=campaign, only_late=only_late
        )
    )
    queued = reminders_enqueue(assignments=chosen, by=by)
    return len({a.organisation_id for a in chosen}), queued


def reminders_enqueue_ids(*, by: Actor, assignment_ids: Iterable[int]) -> int:
    """The API's "Remind": every id must be an assignment of the actor's subtree, else the
    whole request is "not found"."""
    wanted = set(assignment_ids)
    found = list(assignment_list_for_subtree(by).filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise NotFound()
    return reminders_enqueue(assignments=found, by=by)


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
