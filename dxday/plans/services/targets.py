"""Who a task is for: a named unit or a group of the issuing unit's subtree."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from dxday.core.audit import audit
from dxday.core.errors import DomainError, clean_or_raise
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import Actor, ensure_can

from ..models import Assignment, Task, TaskTarget, UnitRole
from .assignments import task_assign
from .common import NATIONAL_GROUPS, G


@transaction.atomic
def task_target_add(
    *,
    task: Task,
    by: Actor | None,
    group: str,
    role: str = UnitRole.LEAD,
    organisation: Organisation | None = None,
) -> TaskTarget:
    """Target a named unit or a group. Targets stay inside the issuing unit's subtree."""
    plan_org = task.plan.organisation
    if by is not None:
        ensure_can(by, "plans.manage", plan_org)
    _check_target(plan_org, group, organisation)
    if group in NATIONAL_GROUPS:
        organisation = None
    target = TaskTarget.objects.filter(task=task, group=group, organisation=organisation).first()
    if target is None:
        target = TaskTarget(task=task, group=group, organisation=organisation, role=role)
        clean_or_raise(target)
        target.save()
    elif target.role != role:
        target.role = role
        clean_or_raise(target)
        target.save(update_fields=["role"])
    audit(
        task,
        "plans.task.target_added",
        by=by,
        changes={"target": [None, str(target)], "role": [None, role]},
    )
    return target


def _check_target(plan_org: Organisation, group: str, organisation: Organisation | None) -> None:
    if group not in G.values:
        raise DomainError(_("Nhóm đơn vị không hợp lệ."), code="invalid_group", field="group")
    if group in NATIONAL_GROUPS:
        if plan_org.kind != Organisation.Kind.NATIONAL:
            raise DomainError(
                _("Chỉ kế hoạch cấp quốc gia mới giao cho tất cả bộ, ngành hoặc tất cả tỉnh."),
                code="target_outside_subtree",
                field="group",
            )
        return
    if organisation is None:
        raise DomainError(
            _("Hãy chọn đơn vị cho nhóm này."), code="organisation_required", field="organisation"
        )
    if not organisation.path.startswith(plan_org.path):
        raise DomainError(
            _("Đơn vị “%(unit)s” không thuộc phạm vi quản lý của “%(issuer)s”.")
            % {"unit": organisation.name, "issuer": plan_org.name},
            code="target_outside_subtree",
            field="organisation",
        )


@transaction.atomic
def task_target_remove(*, target: TaskTarget, by: Actor | None) -> None:
    """Remove a target and the assignments it made that nobody has started on."""
    task = target.task
    if by is not None:
        ensure_can(by, "plans.manage", task.plan.organisation)
    started = target.assignments.exclude(
        status__in=[Assignment.Status.NOT_STARTED, Assignment.Status.LATE]
    ).exists()
    if started:
        raise DomainError(
            _("Không thể bỏ nhóm này: đã có đơn vị thực hiện hoặc báo cáo."),
            code="target_in_use",
            status=409,
        )
    target.assignments.all().delete()
    audit(task, "plans.task.target_removed", by=by, changes={"target": [str(target), None]})
    target.delete()


@transaction.atomic
def task_target_assign(
    *,
    task: Task,
    by: Actor | None,
    group: str,
    role: str = UnitRole.LEAD,
    organisation_code: str = "",
) -> int:
    """ "Giao thêm" on the task page: find the unit by its code (none: the issuing unit is the
    root of the group), add the target, expand it. Returns how many units were newly given the
    task."""
    code = organisation_code.strip()
    organisation = None
    if code:
        organisation = Organisation.objects.filter(code=code).first()
        if organisation is None:
            raise DomainError(
                _("Không tìm thấy đơn vị có mã “%(code)s”.") % {"code": code},
                code="organisation_not_found",
                field="organisation",
            )
    elif group not in NATIONAL_GROUPS:
        organisation = task.plan.organisation
    task_target_add(task=task, by=by, group=group, role=role, organisation=organisation)
    return task_assign(task=task, by=by)
