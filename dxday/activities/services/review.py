"""Review and publishing: a coordinator above the unit accepts (locks and publishes) or returns
a submitted report with a reason; moderators and reviewers unpublish. Who may review is the
policy's `dxday.activities.permissions.ensure_reviewer`."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dxday.core.audit import audit
from dxday.core.errors import DomainError
from dxday.core.text import nfc
from dxday.orgs.permissions import Actor
from dxday.plans.models import Assignment, Notification
from dxday.plans.services import Note, assignment_status_set, notifications_send

from ..models import Activity
from ..permissions import ensure_publisher, ensure_reviewer


@transaction.atomic
def activity_accept(*, activity: Activity, by: Actor) -> Activity:
    """Accept a submitted report: it is locked and published on the portal."""
    ensure_reviewer(by, activity.organisation)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status != Activity.Status.SUBMITTED:
        raise DomainError(
            _("Chỉ duyệt được báo cáo đang chờ duyệt."), code="not_submitted", status=409
        )
    now = timezone.now()
    activity.status = Activity.Status.ACCEPTED
    activity.return_reason = ""
    activity.reviewed_at = now
    activity.reviewed_by = by.user
    activity.is_published = True
    activity.published_at = now
    activity.save(
        update_fields=[
            "status", "return_reason", "reviewed_at", "reviewed_by", "is_published",
            "published_at", "updated_at",
        ]
    )  # fmt: skip
    audit(
        activity,
        "activities.activity.accepted",
        by=by,
        changes={"status": ["submitted", "accepted"]},
    )
    if activity.assignment_id:
        assignment_status_set(
            assignment=activity.assignment, status=Assignment.Status.ACCEPTED, by=by
        )
    with translation.override(settings.LANGUAGE_CODE):  # stored text: the unit's language
        _notify_accepted(activity, by)
    return activity


def _notify_accepted(activity: Activity, by: Actor) -> None:
    reviewer = by.organisation.name if by.organisation else _("Cấp trên")
    notifications_send(
        kind=Notification.Kind.ACCEPTED,
        notes=[
            Note(
                organisation_id=activity.organisation_id,
                title=_("Báo cáo đã được duyệt: %(title)s") % {"title": activity.title},
                body=_(
                    "%(reviewer)s đã duyệt báo cáo “%(title)s”. Báo cáo đã khóa và được công "
                    "khai trên cổng thông tin."
                )
                % {"reviewer": reviewer, "title": activity.title},
                url=f"/activities/{activity.pk}/",
            )
        ],
    )


@transaction.atomic
def activity_return(*, activity: Activity, by: Actor, reason: str) -> Activity:
    """Send a submitted report back for correction; the reason is required and kept."""
    ensure_reviewer(by, activity.organisation)
    reason = nfc(reason)
    if not reason:
        raise DomainError(
            _("Hãy ghi lý do trả lại để đơn vị biết cần sửa gì."),
            code="reason_required",
            field="reason",
        )
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status != Activity.Status.SUBMITTED:
        raise DomainError(
            _("Chỉ trả lại được báo cáo đang chờ duyệt."), code="not_submitted", status=409
        )
    activity.status = Activity.Status.RETURNED
    activity.return_reason = reason
    activity.reviewed_at = timezone.now()
    activity.reviewed_by = by.user
    activity.save(
        update_fields=["status", "return_reason", "reviewed_at", "reviewed_by", "updated_at"]
    )
    audit(
        activity,
        "activities.activity.returned",
        by=by,
        changes={"status": ["submitted", "returned"], "reason": reason},
    )
    if activity.assignment_id:
        assignment_status_set(
            assignment=activity.assignment, status=Assignment.Status.RETURNED, by=by, reason=reason
        )
    with translation.override(settings.LANGUAGE_CODE):
        _notify_returned(activity, by, reason)
    return activity


def _notify_returned(activity: Activity, by: Actor, reason: str) -> None:
    reviewer = by.organisation.name if by.organisation else _("Cấp trên")
    notifications_send(
        kind=Notification.Kind.RETURNED,
        notes=[
            Note(
                organisation_id=activity.organisation_id,
                title=_("Báo cáo bị trả lại: %(title)s") % {"title": activity.title},
                body=_("%(reviewer)s đã trả lại báo cáo “%(title)s”. Lý do: %(reason)s")
                % {"reviewer": reviewer, "title": activity.title, "reason": reason},
                url=f"/activities/{activity.pk}/sua/",
            )
        ],
    )


@transaction.atomic
def activity_unpublish(*, activity: Activity, by: Actor, reason: str = "") -> Activity:
    ensure_publisher(by, activity.organisation)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if not activity.is_published:
        return activity
    activity.is_published = False
    activity.save(update_fields=["is_published", "updated_at"])
    audit(activity, "activities.activity.unpublished", by=by, changes={"reason": nfc(reason)})
    return activity


@transaction.atomic
def activity_publish(*, activity: Activity, by: Actor) -> Activity:
    ensure_publisher(by, activity.organisation)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status != Activity.Status.ACCEPTED:
        raise DomainError(
            _("Chỉ công khai được hoạt động đã được duyệt."), code="not_accepted", status=409
        )
    if activity.is_published:
        return activity
    activity.is_published = True
    activity.published_at = timezone.now()
    activity.save(update_fields=["is_published", "published_at", "updated_at"])
    audit(activity, "activities.activity.published", by=by)
    return activity
