"""Targets expanded into assignments (also for units that join the tree later), an
assignment's status, and the daily move of overdue assignments to "late"."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery
from django.utils import timezone

from dxday.core.audit import audit, audit_bulk
from dxday.core.errors import clean_or_raise
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import Actor, ensure_can

from ..models import Assignment, Task, TaskTarget, UnitRole
from .common import GROUP_KIND, OPEN_STATUSES, G
from .notify import notify_assigned


def targets_expand(target: TaskTarget):
    """The organisations a target stands for now (a QuerySet, evaluated against the tree)."""
    if target.group == G.UNIT:
        return Organisation.objects.filter(pk=target.organisation_id)
    root = target.organisation if target.organisation_id else target.task.plan.organisation
    return Organisation.objects.filter(
        kind=GROUP_KIND[target.group], is_active=True, path__startswith=root.path
    ).exclude(pk=root.pk)


def _create_assignments(task: Task, wanted: dict[int, tuple[str, int]]) -> tuple[int, list[int]]:
    """Create missing assignments of `task` for {org_id: (role, target_id)}; lead wins.
    Returns how many rows were inserted and the units that had none before."""
    existing = dict(task.assignments.values_list("organisation_id", "role"))
    upgrade = [
        org_id
        for org_id, (role, _t) in wanted.items()
        if role == UnitRole.LEAD and existing.get(org_id) == UnitRole.COOPERATE
    ]
    if upgrade:
        task.assignments.filter(organisation_id__in=upgrade).update(
            role=UnitRole.LEAD, updated_at=timezone.now()
        )
    new = [
        Assignment(
            task=task,
            organisation_id=org_id,
            role=role,
            target_id=target_id,
            deadline=task.deadline,
        )
        for org_id, (role, target_id) in wanted.items()
        if org_id not in existing
    ]
    # The unique constraint (task, organisation) keeps concurrent expansions from doubling up;
    # the count is what the database really inserted, not what this call meant to insert.
    return _insert_skipping_conflicts(new), [a.organisation_id for a in new]


def _announce(task: Task, org_ids: list[int]) -> None:
    """Notify the units of their new assignments of `task` (in the app now, by e-mail once
    committed; an assignment already announced is not announced again)."""
    if not org_ids:
        return
    rows = list(
        task.assignments.filter(organisation_id__in=org_ids).select_related(
            "task__plan__organisation"
        )
    )
    notify_assigned(rows)


def _insert_skipping_conflicts(objs: list[Assignment], batch_size: int = 500) -> int:
    """`INSERT … ON CONFLICT DO NOTHING` in batches; returns the rows actually inserted.

    `bulk_create(ignore_conflicts=True)` runs the same statement but hides its row count, so a
    row that a concurrent expansion inserted first would still be counted. The statement is
    built by Django's own InsertQuery (fields, defaults and `auto_now_add` as bulk_create does);
    the cursor's rowcount for one multi-row INSERT is the number inserted on SQLite and
    PostgreSQL alike.
    """
    if not objs:
        return 0
    fields = [f for f in Assignment._meta.concrete_fields if not f.primary_key]
    size = max(1, min(batch_size, connection.ops.bulk_batch_size(fields, objs)))
    inserted = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            query = InsertQuery(Assignment, on_conflict=OnConflict.IGNORE)
            query.insert_values(fields, objs[start : start + size])
            for sql, params in query.get_compiler(connection=connection).as_sql():
                cursor.execute(sql, params)
                inserted += max(cursor.rowcount, 0)
    return inserted


@transaction.atomic
def task_assign(*, task: Task, by: Actor | None, announce: bool = True) -> int:
    """Expand the task's targets into assignments. Idempotent; lead wins over cooperate.
    Each unit given a new assignment is notified, unless `announce` is False (a cascade sends
    one notification per unit for the whole plan instead). Returns how many were created."""
    return _task_assign(task=task, by=by, announce=announce)[0]


def _task_assign(*, task: Task, by: Actor | None, announce: bool) -> tuple[int, list[int]]:
    """`task_assign`, returning also the units given a new assignment."""
    if by is not None:
        ensure_can(by, "plans.manage", task.plan.organisation)
    wanted: dict[int, tuple[str, int]] = {}
    targets = task.targets.select_related("organisation", "task__plan__organisation")
    for target in sorted(targets, key=lambda t: t.role != UnitRole.LEAD):
        for org_id in targets_expand(target).values_list("pk", flat=True):
            if org_id not in wanted:
                wanted[org_id] = (target.role, target.pk)
    created, new_orgs = _create_assignments(task, wanted)
    if created:
        audit(task, "plans.task.assigned", by=by, changes={"assignments": [None, created]})
        if announce:
            _announce(task, new_orgs)
    return created, (new_orgs if created else [])


def _open_tasks(today: datetime.date):
    return Task.objects.filter(Q(deadline__isnull=True) | Q(deadline__gte=today))


@transaction.atomic
def assignments_extend_to(*, organisations: Iterable[Organisation], by: Actor | None = None) -> int:
    """Give units that joined the tree later the open tasks of the groups they belong to."""
    group_of_kind = {kind: group for group, kind in GROUP_KIND.items()}
    orgs = [o for o in organisations if o.kind in group_of_kind and o.is_active]
    if not orgs:
        return 0
    groups = {group_of_kind[o.kind] for o in orgs}
    targets = (
        TaskTarget.objects.filter(group__in=groups, task__in=_open_tasks(timezone.localdate()))
        .select_related("organisation", "task__plan__organisation", "task")
        .order_by("task_id", "id")
    )
    per_task: dict[int, tuple[Task, dict[int, tuple[str, int]]]] = {}
    for target in sorted(targets, key=lambda t: t.role != UnitRole.LEAD):
        root = target.organisation or target.task.plan.organisation
        for org in orgs:
            if group_of_kind[org.kind] != target.group:
                continue
            if org.pk == root.pk or not org.path.startswith(root.path):
                continue
            task, wanted = per_task.setdefault(target.task_id, (target.task, {}))
            wanted.setdefault(org.pk, (target.role, target.pk))
    created = 0
    for task, wanted in per_task.values():
        n, new_orgs = _create_assignments(task, wanted)
        if n:
            audit(task, "plans.task.assigned", by=by, changes={"assignments": [None, n]})
            _announce(task, new_orgs)
        created += n
    return created


def on_organisations_created(sender, organisations=(), **kwargs) -> None:
    """Receiver of orgs.signals.organisations_created (connected in PlansConfig.ready)."""
    assignments_extend_to(organisations=list(organisations), by=None)


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
    reported = (Assignment.Status.REPORTED, Assignment.Status.ACCEPTED)
    if status in reported and assignment.first_reported_at is None:
        assignment.first_reported_at = now
        fields.append("first_reported_at")
    if status == Assignment.Status.ACCEPTED:
        assignment.accepted_at = now
        fields.append("accepted_at")
    if status == Assignment.Status.RETURNED:
        assignment.return_reason = reason
        fields.append("return_reason")
    clean_or_raise(assignment)
    assignment.save(update_fields=fields)
    changes: dict = {"status": [before, status]}
    if reason:
        changes["reason"] = reason
    audit(assignment, f"plans.assignment.{status}", by=by, changes=changes)
    return assignment


@transaction.atomic
def assignments_mark_late(*, today: datetime.date | None = None, by: Actor | None = None) -> int:
    """Move overdue assignments nobody has reported on to "late". Returns how many moved."""
    today = today or timezone.localdate()
    overdue = Assignment.objects.filter(
        status__in=OPEN_STATUSES, deadline__lt=today, first_reported_at__isnull=True
    )
    # Read each row's status BEFORE the UPDATE, locked so it cannot move in between: the audit
    # records the real old status ([in_progress, late]), not [None, late].
    rows = list(
        overdue.select_for_update(of=("self",)).values_list(
            "pk", "status", "task__title", "organisation__name"
        )
    )
    if not rows:
        return 0
    ids = [pk for pk, *_rest in rows]
    Assignment.objects.filter(pk__in=ids).update(
        status=Assignment.Status.LATE, updated_at=timezone.now()
    )
    # One audit entry per assignment, written in bulk: a national deadline can pass for
    # thousands of communes at once.
    audit_bulk(
        Assignment,
        "plans.assignment.late",
        [
            (pk, f"{title} → {org}", {"status": [old, Assignment.Status.LATE]})
            for pk, old, title, org in rows
        ],
        by=by,
    )
    return len(ids)
