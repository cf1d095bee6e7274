"""Every write in plans goes through here."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from dxday.core.audit import audit
from dxday.orgs.permissions import Actor

from .models import Assignment


@transaction.atomic
def assignment_status_set(
    *, assignment: Assignment, status: str, by: Actor | None, reason: str = ""
) -> Assignment:
    """Move an assignment to `status` (called by activities when a report is submitted,
    accepted or returned). Permission checks belong to the caller's service."""
    before = assignment.status
    assignment.status = status
    fields = ["status", "updated_at"]
    now = timezone.now()
    if status == Assignment.Status.REPORTED and assignment.first_reported_at is None:
        assignment.first_reported_at = now
        fields.append("first_reported_at")
    if status == Assignment.Status.ACCEPTED:
        assignment.accepted_at = now
        fields.append("accepted_at")
    if status == Assignment.Status.RETURNED:
        assignment.return_reason = reason
        fields.append("return_reason")
    assignment.full_clean()
    assignment.save(update_fields=fields)
    changes: dict = {"status": [before, status]}
    if reason:
        changes["reason"] = reason
    audit(assignment, f"plans.assignment.{status}", by=by, changes=changes)
    return assignment
