"""The to-do inbox a field user lands on: what the acting hat has to do next.

One selector builds the whole page in a fixed number of queries, whatever the unit holds:
tasks due (overdue first), reports returned with their reason, drafts not yet sent, reviews
waiting (for roles that review), unread notifications, and for community teams the field app.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils import timezone

from dxday.orgs.models import Organisation, Role
from dxday.orgs.permissions import Actor
from dxday.plans.models import Assignment, Notification
from dxday.plans.selectors import with_effective_status

from ..models import Activity
from ..permissions import below_q

# The hats that land on the inbox after signing in; the others (national and provincial
# coordinators, moderators, viewers…) keep landing on their unit page.
FIELD_ROLES = {Role.TEAM_LEADER, Role.TEAM_MEMBER}
COORDINATING_KINDS = {Organisation.Kind.NATIONAL, Organisation.Kind.PROVINCE}
PENDING = (
    Assignment.Status.NOT_STARTED,
    Assignment.Status.IN_PROGRESS,
    Assignment.Status.LATE,
    Assignment.Status.RETURNED,
)
LIMIT = 20


def lands_on_inbox(actor: Actor) -> bool:
    """Reporters, unit coordinators and community teams start from their to-do inbox."""
    role, org = actor.role, actor.organisation
    if actor.is_operator or role is None or org is None:
        return False
    if role in FIELD_ROLES or role == Role.REPORTER:
        return True
    return role == Role.COORDINATOR and org.kind not in COORDINATING_KINDS


@dataclass
class Inbox:
    today: datetime.date
    field_app: bool = False
    team_leader: bool = False
    can_report: bool = False
    can_review: bool = False
    tasks: list[Assignment] = field(default_factory=list)
    tasks_total: int = 0
    overdue_total: int = 0
    returned: list[Activity] = field(default_factory=list)
    drafts: list[Activity] = field(default_factory=list)
    reviews: list[Activity] = field(default_factory=list)
    reviews_total: int = 0
    notifications: list[Notification] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.tasks or self.returned or self.drafts or self.reviews)


def inbox_for_actor(actor: Actor, *, today: datetime.date | None = None) -> Inbox:
    """What the acting unit has to do now. Pinned at a fixed query count (see the tests)."""
    today = today or timezone.localdate()
    inbox = Inbox(
        today=today,
        field_app=actor.role in FIELD_ROLES,
        team_leader=actor.role == Role.TEAM_LEADER,
    )
    org_id = actor.organisation_id
    if org_id is None:
        return inbox
    inbox.can_report = actor.has_action("activities.report")
    inbox.can_review = actor.has_action("activities.review")
    if inbox.can_report:
        pending = with_effective_status(
            Assignment.objects.filter(organisation_id=org_id, status__in=PENDING), today
        )
        inbox.tasks = list(
            pending.select_related("task__plan__organisation")
            .annotate(
                overdue=Case(
                    When(deadline__lt=today, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("overdue", F("deadline").asc(nulls_last=True), "task__order", "pk")[:LIMIT]
        )
        counts = pending.aggregate(
            total=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=today))
        )
        inbox.tasks_total, inbox.overdue_total = counts["total"], counts["overdue"]
        own = list(
            Activity.objects.filter(
                organisation_id=org_id, status__in=[Activity.Status.RETURNED, Activity.Status.DRAFT]
            )
            .select_related("assignment__task")
            .order_by("-updated_at", "-id")[: LIMIT * 2]
        )
        inbox.returned = [a for a in own if a.status == Activity.Status.RETURNED][:LIMIT]
        inbox.drafts = [a for a in own if a.status == Activity.Status.DRAFT][:LIMIT]
        # A task whose report came back is answered by correcting that report, not a new one.
        returned_for = {a.assignment_id: a for a in reversed(inbox.returned) if a.assignment_id}
        for task in inbox.tasks:
            task.returned_activity = returned_for.get(task.pk)
    if inbox.can_review:
        queue = Activity.objects.filter(below_q(actor), status=Activity.Status.SUBMITTED)
        inbox.reviews = list(
            queue.select_related("organisation").order_by("submitted_at", "id")[:LIMIT]
        )
        inbox.reviews_total = queue.count()
    inbox.notifications = list(
        Notification.objects.filter(organisation_id=org_id, read_at=None).order_by(
            "-created_at", "-id"
        )[:5]
    )
    return inbox
