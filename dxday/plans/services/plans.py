"""Plans and their tasks, issued by one unit. (Named `plans`, not `tasks`: a relative
`from .tasks import` inside this package must never be confused with the django-tasks module
`dxday/plans/tasks.py`.)"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxday.core.audit import audit, audit_created, diff, snapshot
from dxday.core.errors import DomainError, clean_or_raise
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import Actor, ensure_can

from ..models import Assignment, Campaign, CampaignWindow, Indicator, Plan, Task

PLAN_FIELDS = ("title", "number", "issued_on", "status", "summary")


@transaction.atomic
def plan_create(
    *,
    campaign: Campaign,
    organisation: Organisation,
    by: Actor | None,
    title: str,
    number: str = "",
    issued_on: datetime.date | None = None,
    status: str = Plan.Status.ISSUED,
    summary: str = "",
    parent: Plan | None = None,
) -> Plan:
    if by is not None:
        ensure_can(by, "plans.manage", organisation)
    plan = Plan(
        campaign=campaign,
        organisation=organisation,
        parent=parent,
        title=title,
        number=number,
        issued_on=issued_on,
        status=status,
        summary=summary,
    )
    clean_or_raise(plan)
    plan.save()
    audit_created(plan, "plans.plan.created", by=by)
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, by: Actor | None, **fields) -> Plan:
    if by is not None:
        ensure_can(by, "plans.manage", plan.organisation)
    before = snapshot(plan)
    for key, value in fields.items():
        if key not in PLAN_FIELDS:
            raise DomainError(_("Trường không được phép sửa."), code="invalid_field", field=key)
        setattr(plan, key, value)
    clean_or_raise(plan)
    plan.save(update_fields=[*fields, "updated_at"])
    audit(plan, "plans.plan.updated", by=by, changes=diff(before, plan))
    return plan


def _check_window(plan: Plan, window: CampaignWindow | None) -> None:
    if window is not None and window.campaign_id != plan.campaign_id:
        raise DomainError(
            _("Đợt đã chọn không thuộc chiến dịch của kế hoạch."), code="window_mismatch"
        )


@transaction.atomic
def task_create(
    *,
    plan: Plan,
    by: Actor | None,
    title: str,
    description: str = "",
    category: str = "other",
    window: CampaignWindow | None = None,
    deadline: datetime.date | None = None,
    indicators: Iterable[Indicator] = (),
    order: int | None = None,
    parent_task: Task | None = None,
) -> Task:
    if by is not None:
        ensure_can(by, "plans.manage", plan.organisation)
    _check_window(plan, window)
    if order is None:
        order = (plan.tasks.count() + 1) * 10
    task = Task(
        plan=plan,
        parent_task=parent_task,
        title=title,
        description=description,
        category=category,
        window=window,
        deadline=deadline,
        order=order,
    )
    clean_or_raise(task)
    task.save()
    task.indicators.set(list(indicators))
    audit_created(task, "plans.task.created", by=by)
    return task


TASK_FIELDS = ("title", "description", "category", "window", "deadline", "order")


@transaction.atomic
def task_update(
    *, task: Task, by: Actor | None, indicators: Iterable[Indicator] | None = None, **fields
) -> Task:
    """Edit a task. A new deadline moves the assignments that kept the old one; an assignment
    that was late under the old deadline is open again when the new one is still ahead."""
    if by is not None:
        ensure_can(by, "plans.manage", task.plan.organisation)
    before = snapshot(task)
    old_deadline = task.deadline
    for key, value in fields.items():
        if key not in TASK_FIELDS:
            raise DomainError(_("Trường không được phép sửa."), code="invalid_field", field=key)
        setattr(task, key, value)
    _check_window(task.plan, task.window)
    clean_or_raise(task)
    task.save(update_fields=[*fields, "updated_at"])
    if indicators is not None:
        task.indicators.set(list(indicators))
    if "deadline" in fields and task.deadline != old_deadline:
        moved = task.assignments.filter(deadline=old_deadline)
        moved.update(deadline=task.deadline, updated_at=timezone.now())
        if task.deadline is None or task.deadline >= timezone.localdate():
            task.assignments.filter(
                deadline=task.deadline, status=Assignment.Status.LATE, first_reported_at=None
            ).update(status=Assignment.Status.NOT_STARTED, updated_at=timezone.now())
    changes = diff(before, task)
    if changes or indicators is not None:
        audit(task, "plans.task.updated", by=by, changes=changes)
    return task
