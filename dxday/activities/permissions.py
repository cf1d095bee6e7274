"""The activities rules of the one policy (dxday.orgs.permissions), asked alike by the pages (to
show a button) and by the services (to refuse the step).

The role table stays in `orgs.permissions.ROLE_ACTIONS`; what is added here are the rules that
depend on the activity itself: a unit never reviews its own reports, and only a draft or a
returned report can be changed.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from dxday.core.errors import DomainError
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import Actor, can, ensure_action, ensure_can, subtree_q

from .models import Activity


def may_review(actor: Actor, organisation: Organisation) -> bool:
    """A coordinator above the unit reviews its reports, never the unit itself."""
    return can(actor, "activities.review", organisation) and (
        actor.is_operator or actor.organisation_id != organisation.pk
    )


def ensure_reviewer(actor: Actor, organisation: Organisation) -> None:
    """Raise unless `actor` may review the reports of `organisation` (404 outside the subtree,
    403 for a role without review, 403 `self_review` for the unit itself)."""
    ensure_can(actor, "activities.review", organisation)
    if not actor.is_operator and actor.organisation_id == organisation.pk:
        raise DomainError(
            _("Đơn vị không thể tự duyệt báo cáo của chính mình; cấp trên sẽ duyệt."),
            code="self_review",
            status=403,
        )


def activity_reviewable_by(actor: Actor, activity: Activity) -> bool:
    """Whether `actor` may accept or return `activity` now."""
    return activity.status == Activity.Status.SUBMITTED and may_review(actor, activity.organisation)


def may_publish(actor: Actor, organisation: Organisation) -> bool:
    """Moderators, and the reviewers above the unit, publish and unpublish its activities."""
    return can(actor, "activities.moderate", organisation) or may_review(actor, organisation)


def ensure_publisher(actor: Actor, organisation: Organisation) -> None:
    if can(actor, "activities.moderate", organisation):
        return
    ensure_reviewer(actor, organisation)


def activity_unpublishable_by(actor: Actor, activity: Activity) -> bool:
    return activity.is_published and may_publish(actor, activity.organisation)


def activity_editable_by(actor: Actor, activity: Activity) -> bool:
    """A draft or returned report, for a role that reports at its unit."""
    return activity.is_editable and can(actor, "activities.report", activity.organisation)


def below_q(actor: Actor, field: str = "organisation") -> Q:
    """Rows of the units below the actor's own (what it reviews): its subtree without itself."""
    q = subtree_q(actor, field)
    if not actor.is_operator:
        q &= ~Q(**{f"{field}_id": actor.organisation_id})
    return q


def ensure_any_action(actor: Actor, *actions: str) -> None:
    """403 unless the role holds at least one of `actions` (a page two roles share)."""
    user = actor.user
    if user.is_authenticated and user.is_active and any(actor.has_action(a) for a in actions):
        return
    ensure_action(actor, actions[-1])
