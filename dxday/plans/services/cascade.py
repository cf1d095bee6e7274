"""`plan_cascade`: a unit turns a plan from above into its own, with lineage, in one step."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxday.core.audit import audit
from dxday.core.db import integrity_as_domain
from dxday.core.errors import DomainError
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import Actor, ensure_can

from ..models import Assignment, Plan, UnitRole
from .assignments import _task_assign
from .common import G
from .notify import notify_cascaded
from .plans import plan_create, task_create
from .targets import task_target_add


@transaction.atomic
def plan_cascade(
    *,
    parent_plan: Plan,
    organisation: Organisation,
    by: Actor | None,
    title: str | None = None,
    number: str = "",
    issued_on: datetime.date | None = None,
    summary: str = "",
    tasks: list[dict] | None = None,
    groups: list[dict] | None = None,
) -> Plan:
    """Turn a parent plan into `organisation`'s own plan in one step.

    `tasks`: [{"parent_task": Task, "title"?, "description"?, "deadline"?, "category"?,
    "indicators"?, "targets"?: [...]}]
    (None copies every task of the parent plan). Each task keeps `parent_task` as lineage.
    `groups`: default targets [{"group", "role", "organisation"?}] for tasks without their own;
    a group's organisation defaults to `organisation`. Targets must lie in its own subtree.
    """
    if by is not None:
        ensure_can(by, "plans.cascade", organisation)
    above = parent_plan.organisation
    if organisation.pk == above.pk or not organisation.path.startswith(above.path):
        raise DomainError(
            _("Chỉ đơn vị cấp dưới của đơn vị ban hành mới cụ thể hóa được kế hoạch này."),
            code="not_below_issuer",
        )
    already = _("%(unit)s đã cụ thể hóa kế hoạch này rồi.") % {"unit": organisation.name}
    if Plan.objects.filter(parent=parent_plan, organisation=organisation).exists():
        raise DomainError(already, code="already_cascaded", status=409)
    parent_tasks = {t.pk: t for t in parent_plan.tasks.prefetch_related("indicators")}
    if tasks is None:
        tasks = [{"parent_task": t} for t in parent_tasks.values()]
    if not tasks:
        raise DomainError(_("Hãy chọn ít nhất một nhiệm vụ để giao."), code="no_tasks")
    # Two coordinators cascading at once both pass the check above: the loser gets its sentence.
    with integrity_as_domain(already, code="already_cascaded"):
        plan = plan_create(
            campaign=parent_plan.campaign,
            organisation=organisation,
            by=None,
            parent=parent_plan,
            title=title or f"{parent_plan.title} — {organisation.name}",
            number=number,
            issued_on=issued_on or timezone.localdate(),
            summary=summary,
        )
    received: dict[int, int] = {}  # unit → tasks of this plan it was given
    for order, spec in enumerate(tasks, start=1):
        source = spec["parent_task"]
        source = parent_tasks.get(getattr(source, "pk", source))
        if source is None:
            raise DomainError(
                _("Nhiệm vụ được chọn không thuộc kế hoạch cấp trên."), code="task_not_in_plan"
            )
        task = task_create(
            plan=plan,
            by=None,
            parent_task=source,
            title=spec.get("title") or source.title,
            description=spec.get("description", source.description),
            category=spec.get("category") or source.category,
            window=source.window,
            deadline=spec.get("deadline") or source.deadline,
            indicators=spec["indicators"] if "indicators" in spec else source.indicators.all(),
            order=order * 10,
        )
        for target in spec.get("targets") or groups or []:
            task_target_add(
                task=task,
                by=None,
                group=target["group"],
                role=target.get("role", UnitRole.LEAD),
                organisation=target.get("organisation")
                or (None if target["group"] == G.UNIT else organisation),
            )
        for org_id in _task_assign(task=task, by=None, announce=False)[1]:
            received[org_id] = received.get(org_id, 0) + 1
    # The cascading unit has started on its own assignments of the parent plan.
    Assignment.objects.filter(
        task__plan=parent_plan, organisation=organisation, status=Assignment.Status.NOT_STARTED
    ).update(status=Assignment.Status.IN_PROGRESS, updated_at=timezone.now())
    notify_cascaded(plan=plan, counts=received)
    audit(
        plan,
        "plans.plan.cascaded",
        by=by,
        changes={"parent": [None, parent_plan.pk], "tasks": [None, len(tasks)]},
    )
    return plan
