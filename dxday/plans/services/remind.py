"""Reminder work handed to the django-tasks worker.

The services that create and deliver reminders (`reminders.py`) never import the tasks; these
entry points do, and the tasks import only `reminders.py` and `assignments.py`, so the import
graph stays one way: views → services.remind → plans.tasks → services.reminders.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxday.core.errors import DomainError, NotFound
from dxday.orgs.permissions import Actor, ensure_can

from ..models import Assignment, Campaign
from ..selectors import assignment_list_for_subtree, chase_assignments_of_units
from ..tasks import reminders_email, reminders_send_manual
from .reminders import reminders_create


@transaction.atomic
def reminders_send(
    *,
    day: datetime.date,
    assignment_ids: Iterable[int] | None = None,
    by: Actor | None = None,
) -> int:
    """Create the reminders due on `day` (or for `assignment_ids`), then, once committed, queue
    their e-mails (the `reminders_email` task retries a failed one). Returns how many reminders
    were created; each is in the unit's inbox at once, and counts as e-mailed only when its
    `sent_at` is set."""
    created = reminders_create(day=day, assignment_ids=assignment_ids, by=by)
    if created:
        transaction.on_commit(reminders_email.enqueue)
    return created


def reminders_enqueue(*, assignments: Iterable[Assignment], by: Actor) -> int:
    """A coordinator's "Remind": check the units are in their subtree, then queue the work."""
    ids = []
    for assignment in assignments:
        ensure_can(by, "plans.chase", assignment.organisation)
        ids.append(assignment.pk)
    if not ids:
        raise DomainError(_("Hãy chọn ít nhất một đơn vị để nhắc."), code="nothing_selected")
    day = timezone.localdate().isoformat()
    user_id = by.user.pk
    membership_id = by.membership.pk if by.membership else None
    transaction.on_commit(lambda: reminders_send_manual.enqueue(ids, day, user_id, membership_id))
    return len(ids)


def reminders_enqueue_for_units(
    *,
    by: Actor,
    organisation_ids: Iterable[int] | None,
    campaign: Campaign | None = None,
    only_late: bool = False,
    kind: str | None = None,
    q: str | None = None,
) -> tuple[int, int]:
    """The chase page's "Remind": the pending assignments of the chosen units (within the
    actor's reach), queued. `organisation_ids` None: every unit the filters match (the page's
    "chọn tất cả … trên mọi trang"). Returns (units, assignments)."""
    ids = None if organisation_ids is None else list(organisation_ids)
    chosen = list(
        chase_assignments_of_units(by, ids, campaign=campaign, only_late=only_late, kind=kind, q=q)
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
