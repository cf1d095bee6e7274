"""Assignments of units, with their effective (late) status."""

from __future__ import annotations

import datetime

from django.db.models import (
    Case,
    CharField,
    F,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from dxday.core.errors import NotFound
from dxday.orgs.permissions import Actor, subtree_q

from ..models import Assignment, Campaign, Plan
from ._common import OPEN, S, _pk_ok

# --- Assignments ------------------------------------------------------------------------------


def with_effective_status(qs: QuerySet[Assignment], today: datetime.date | None = None):
    """Annotate `effective_status`: "late" also for open assignments whose deadline has passed
    but that the daily run has not marked yet, so pages never show a stale status."""
    today = today or timezone.localdate()
    return qs.annotate(
        effective_status=Case(
            When(status__in=OPEN, deadline__lt=today, then=Value(S.LATE)),
            default=F("status"),
            output_field=CharField(),
        )
    )


def assignment_list_for_unit(
    actor: Actor, *, campaign: Campaign | None = None, today: datetime.date | None = None
) -> QuerySet[Assignment]:
    """My tasks: the assignments of the acting unit itself, soonest deadline first."""
    if actor.organisation is None:
        return Assignment.objects.none()
    qs = Assignment.objects.filter(organisation=actor.organisation).select_related(
        "task", "task__plan", "task__plan__organisation", "task__plan__campaign", "task__window"
    )
    if campaign is not None:
        qs = qs.filter(task__plan__campaign=campaign)
    return with_effective_status(qs, today).order_by(
        F("deadline").asc(nulls_last=True), "task__order", "pk"
    )


def get_assignment_for_user(actor: Actor, assignment_id: int) -> Assignment:
    """An assignment the actor's unit holds, or one in their subtree, or one of their plans."""
    if not _pk_ok(assignment_id):
        raise NotFound()
    visible = subtree_q(actor, "organisation") | subtree_q(actor, "task__plan__organisation")
    assignment = (
        with_effective_status(Assignment.objects.filter(visible, pk=assignment_id))
        .select_related(
            "task", "task__plan", "task__plan__campaign", "task__plan__organisation", "organisation"
        )
        .first()
    )
    if assignment is None:
        raise NotFound()
    return assignment


def assignment_list_for_subtree(
    actor: Actor, *, plan: Plan | None = None, campaign: Campaign | None = None
) -> QuerySet[Assignment]:
    qs = Assignment.objects.filter(subtree_q(actor, "organisation")).select_related(
        "task", "task__plan", "organisation"
    )
    if plan is not None:
        qs = qs.filter(task__plan=plan)
    if campaign is not None:
        qs = qs.filter(task__plan__campaign=campaign)
    return with_effective_status(qs)
