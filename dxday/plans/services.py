"""Every write in plans goes through here.

Campaigns and their dates are data (the 2025 ceremony moved from 10/10 to 21/10); plans and
tasks are issued by a unit; targets expand into assignments; `plan_cascade` copies a parent plan
down one level with lineage; lateness and reminders run from a daily task.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxday.core.audit import audit, audit_created, audit_saved, diff, snapshot
from dxday.core.db import integrity_as_domain
from dxday.core.errors import DomainError
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import Actor, ensure_can

from .models import (
    Assignment,
    Campaign,
    CampaignWindow,
    Indicator,
    KeyDate,
    Notification,
    Plan,
    Reminder,
    Task,
    TaskTarget,
    UnitRole,
)

G = TaskTarget.Group
OPEN_STATUSES = (Assignment.Status.NOT_STARTED, Assignment.Status.IN_PROGRESS)
PENDING_STATUSES = (*OPEN_STATUSES, Assignment.Status.LATE, Assignment.Status.RETURNED)
# Which organisation kind each group expands to.
GROUP_KIND = {
    G.COMMUNES_OF: Organisation.Kind.COMMUNE,
    G.DEPARTMENTS_OF: Organisation.Kind.DEPARTMENT,
    G.PRESS_OF: Organisation.Kind.PRESS,
    G.MINISTRIES: Organisation.Kind.MINISTRY,
    G.PROVINCES: Organisation.Kind.PROVINCE,
}
NATIONAL_GROUPS = {G.MINISTRIES, G.PROVINCES}


def _clean(instance) -> None:
    """full_clean, turning Django's ValidationError into a DomainError with field errors."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        first = next(iter(errors.values()))[0]
        raise DomainError(first, code="invalid", errors=errors) from exc


def _ensure_national(by: Actor | None) -> None:
    from .selectors import campaign_manage_allowed

    if by is not None and not campaign_manage_allowed(by):
        raise DomainError(
            _("Chỉ cơ quan điều phối quốc gia được sửa chiến dịch."),
            code="forbidden",
            status=403,
        )


# --- Campaigns --------------------------------------------------------------------------------

CAMPAIGN_FIELDS = (
    "theme",
    "message",
    "legal_basis_number",
    "legal_basis_date",
    "legal_basis_issuer",
    "legal_basis_title",
    "summary",
)


@transaction.atomic
def campaign_create(*, by: Actor | None, year: int, theme: str, **fields) -> Campaign:
    _ensure_national(by)
    if Campaign.objects.filter(year=year).exists():
        raise DomainError(
            _("Đã có chiến dịch năm %(year)s.") % {"year": year}, code="duplicate", status=409
        )
    campaign = Campaign(
        year=year, theme=theme, **{k: fields[k] for k in fields if k in CAMPAIGN_FIELDS}
    )
    _clean(campaign)
    campaign.save()
    audit_created(campaign, "plans.campaign.created", by=by)
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, by: Actor | None, **fields) -> Campaign:
    _ensure_national(by)
    before = snapshot(campaign)
    for key, value in fields.items():
        if key not in CAMPAIGN_FIELDS:
            raise DomainError(_("Trường không được phép sửa."), code="invalid_field", field=key)
        setattr(campaign, key, value)
    _clean(campaign)
    campaign.save(update_fields=[*fields, "updated_at"])
    changes = diff(before, campaign)
    if changes:
        audit(campaign, "plans.campaign.updated", by=by, changes=changes)
    return campaign


@transaction.atomic
def campaign_window_save(
    *,
    campaign: Campaign,
    by: Actor | None,
    kind: str,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    window: CampaignWindow | None = None,
) -> CampaignWindow:
    _ensure_national(by)
    if starts_on and ends_on and ends_on < starts_on:
        raise DomainError(
            _("Ngày kết thúc đợt phải sau hoặc trùng ngày bắt đầu."), code="window_order"
        )
    before = snapshot(window) if window else None
    window = window or CampaignWindow(campaign=campaign)
    window.kind, window.name, window.starts_on, window.ends_on = kind, name, starts_on, ends_on
    _clean(window)
    window.save()
    audit_saved(window, before, "plans.window", by=by)
    return window


@transaction.atomic
def campaign_window_delete(*, window: CampaignWindow, by: Actor | None) -> None:
    _ensure_national(by)
    audit(window, "plans.window.deleted", by=by, changes={"name": [window.name, None]})
    window.delete()


@transaction.atomic
def key_date_save(
    *,
    campaign: Campaign,
    by: Actor | None,
    kind: str,
    name: str,
    date: datetime.date,
    note: str = "",
    key_date: KeyDate | None = None,
) -> KeyDate:
    """Create or move a key date (the 2025 ceremony moved from 10/10 to 21/10)."""
    _ensure_national(by)
    before = snapshot(key_date) if key_date else None
    key_date = key_date or KeyDate(campaign=campaign)
    key_date.kind, key_date.name, key_date.date, key_date.note = kind, name, date, note
    _clean(key_date)
    key_date.save()
    audit_saved(key_date, before, "plans.key_date", by=by)
    return key_date


@transaction.atomic
def key_date_delete(*, key_date: KeyDate, by: Actor | None) -> None:
    _ensure_national(by)
    audit(key_date, "plans.key_date.deleted", by=by, changes={"name": [key_date.name, None]})
    key_date.delete()


# --- Indicator catalogue ----------------------------------------------------------------------


@transaction.atomic
def indicator_save(
    *,
    by: Actor | None,
    code: str,
    name: str,
    unit: str,
    definition: str = "",
    part_of: Indicator | None = None,
    order: int = 0,
    indicator: Indicator | None = None,
) -> Indicator:
    """Add an indicator to the catalogue or edit one. A part's total may not be itself or one of
    its own parts (no cycles), so "a part never exceeds its total" stays checkable."""
    _ensure_national(by)
    if indicator is not None and part_of is not None:
        node, seen = part_of, 0
        while node is not None and seen < 50:
            if node.pk == indicator.pk:
                raise DomainError(
                    _("Chỉ tiêu không thể là một phần của chính nó."),
                    code="indicator_cycle",
                    field="part_of",
                )
            node, seen = node.part_of, seen + 1
    before = snapshot(indicator) if indicator else None
    indicator = indicator or Indicator()
    indicator.code, indicator.name, indicator.unit = code, name, unit
    indicator.definition, indicator.part_of, indicator.order = definition, part_of, order
    _clean(indicator)
    indicator.save()
    audit_saved(indicator, before, "plans.indicator", by=by)
    return indicator


# --- Plans and tasks --------------------------------------------------------------------------

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
    _clean(plan)
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
    _clean(plan)
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
    _clean(task)
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
    _clean(task)
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
        _clean(target)
        target.save()
    elif target.role != role:
        target.role = role
        _clean(target)
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


def targets_expand(target: TaskTarget):
    """The organisations a target stands for now (a QuerySet, evaluated against the tree)."""
    if target.group == G.UNIT:
        return Organisation.objects.filter(pk=target.organisation_id)
    root = target.organisation if target.organisation_id else target.task.plan.organisation
    return Organisation.objects.filter(
        kind=GROUP_KIND[target.group], is_active=True, path__startswith=root.path
    ).exclude(pk=root.pk)


def _create_assignments(task: Task, wanted: dict[int, tuple[str, int]]) -> int:
    """Create missing assignments of `task` for {org_id: (role, target_id)}; lead wins."""
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
    # The unique constraint (task, organisation) keeps concurrent expansions from doubling up.
    Assignment.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def task_assign(*, task: Task, by: Actor | None) -> int:
    """Expand the task's targets into assignments. Idempotent; lead wins over cooperate.
    Returns how many assignments were created."""
    if by is not None:
        ensure_can(by, "plans.manage", task.plan.organisation)
    wanted: dict[int, tuple[str, int]] = {}
    targets = task.targets.select_related("organisation", "task__plan__organisation")
    for target in sorted(targets, key=lambda t: t.role != UnitRole.LEAD):
        for org_id in targets_expand(target).values_list("pk", flat=True):
            if org_id not in wanted:
                wanted[org_id] = (target.role, target.pk)
    created = _create_assignments(task, wanted)
    if created:
        audit(task, "plans.task.assigned", by=by, changes={"assignments": [None, created]})
    return created


def _open_tasks(today: datetime.date):
    from django.db.models import Q

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
        n = _create_assignments(task, wanted)
        if n:
            audit(task, "plans.task.assigned", by=by, changes={"assignments": [None, n]})
        created += n
    return created


def on_organisations_created(sender, organisations=(), **kwargs) -> None:
    """Receiver of orgs.signals.organisations_created (connected in PlansConfig.ready)."""
    assignments_extend_to(organisations=list(organisations), by=None)


# --- Cascade ----------------------------------------------------------------------------------


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
        task_assign(task=task, by=None)
    # The cascading unit has started on its own assignments of the parent plan.
    Assignment.objects.filter(
        task__plan=parent_plan, organisation=organisation, status=Assignment.Status.NOT_STARTED
    ).update(status=Assignment.Status.IN_PROGRESS, updated_at=timezone.now())
    audit(
        plan,
        "plans.plan.cascaded",
        by=by,
        changes={"parent": [None, parent_plan.pk], "tasks": [None, len(tasks)]},
    )
    return plan


# --- Assignment status, lateness --------------------------------------------------------------


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
    assignment.full_clean()
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
    ids = list(overdue.values_list("pk", flat=True))
    if not ids:
        return 0
    Assignment.objects.filter(pk__in=ids).update(
        status=Assignment.Status.LATE, updated_at=timezone.now()
    )
    # One audit entry per assignment, written in bulk: a national deadline can pass for
    # thousands of communes at once.
    from django.contrib.contenttypes.models import ContentType

    from dxday.core.models import AuditEntry

    ct = ContentType.objects.get_for_model(Assignment)
    user = by.user if by is not None and by.user.pk else None
    acting = by.organisation_id if by is not None else None
    rows = Assignment.objects.filter(pk__in=ids).values_list(
        "pk", "status", "task__title", "organisation__name"
    )
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                user=user,
                acting_organisation_id=acting,
                action="plans.assignment.late",
                content_type=ct,
                object_id=str(pk),
                object_repr=f"{title} → {org}"[:300],
                changes={"status": [None, status]},
            )
            for pk, status, title, org in rows
        ],
        batch_size=500,
    )
    return len(ids)


# --- Reminders and notifications --------------------------------------------------------------


def reminder_offsets() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Days before and after a deadline on which reminders go out (settings, not constants)."""
    before = tuple(getattr(settings, "DXDAY_REMINDER_DAYS_BEFORE", (3, 1)))
    after = tuple(getattr(settings, "DXDAY_REMINDER_DAYS_AFTER", (1, 3, 7)))
    return before, after


def _reminder_text(assignment: Assignment, kind: str, day: datetime.date) -> tuple[str, str]:
    task = assignment.task
    deadline = assignment.deadline.strftime("%d/%m/%Y") if assignment.deadline else "—"
    if kind == Reminder.Kind.BEFORE:
        title = _("Sắp đến hạn báo cáo: %(task)s") % {"task": task.title}
        body = _(
            "Nhiệm vụ “%(task)s” có hạn báo cáo ngày %(deadline)s. Đề nghị đơn vị báo cáo đúng hạn."
        ) % {"task": task.title, "deadline": deadline}
    else:
        title = _("Đôn đốc báo cáo: %(task)s") % {"task": task.title}
        body = _(
            "Nhiệm vụ “%(task)s” đã quá hạn báo cáo (hạn %(deadline)s). "
            "Đề nghị đơn vị khẩn trương báo cáo."
        ) % {"task": task.title, "deadline": deadline}
    return title, body


@transaction.atomic
def reminders_send(
    *,
    day: datetime.date,
    assignment_ids: Iterable[int] | None = None,
    by: Actor | None = None,
) -> int:
    """Send the reminders due on `day` (scheduled), or to `assignment_ids` (a coordinator's
    "Remind"). Each goes to the unit in the app and by email. The unique constraint on
    (assignment, kind, day) makes a repeated run send nothing twice. Returns how many were sent."""
    from django.db.models import Q

    pending = Assignment.objects.filter(
        status__in=PENDING_STATUSES, first_reported_at__isnull=True
    ).select_related("task", "organisation")
    jobs: list[tuple[Assignment, str]] = []
    if assignment_ids is not None:
        jobs = [(a, Reminder.Kind.MANUAL) for a in pending.filter(pk__in=list(assignment_ids))]
    else:
        before, after = reminder_offsets()
        soon = [day + datetime.timedelta(days=d) for d in before]
        overdue = [day - datetime.timedelta(days=d) for d in after]
        for a in pending.filter(Q(deadline__in=soon) | Q(deadline__in=overdue)):
            kind = Reminder.Kind.BEFORE if a.deadline >= day else Reminder.Kind.AFTER
            jobs.append((a, kind))
    if not jobs:
        return 0
    # Insert every reminder in bulk, skipping the ones the unique constraint already holds
    # (an earlier or concurrent run); the rows stamped with this run's id are the ones to send.
    run = uuid.uuid4()
    sent_by = by.user if by is not None and by.user.pk else None
    Reminder.objects.bulk_create(
        [Reminder(assignment=a, kind=k, day=day, sent_by=sent_by, run=run) for a, k in jobs],
        batch_size=500,
        ignore_conflicts=True,
    )
    mine = set(Reminder.objects.filter(run=run).values_list("assignment_id", "kind"))
    jobs = [(a, k) for a, k in jobs if (a.pk, k) in mine]
    if not jobs:
        return 0
    recipients = _unit_emails({a.organisation_id for a, _k in jobs})
    notifications = []
    emails: list[tuple[str, str, str, list[str]]] = []
    for assignment, kind in jobs:
        title, body = _reminder_text(assignment, kind, day)
        notifications.append(
            Notification(
                organisation_id=assignment.organisation_id,
                assignment=assignment,
                title=title[:300],
                body=body,
                url=f"/plans/nhiem-vu-cua-toi/#a{assignment.pk}",
            )
        )
        to = recipients.get(assignment.organisation_id, [])
        if to:
            emails.append((title, body, settings.DEFAULT_FROM_EMAIL, to))
    Notification.objects.bulk_create(notifications, batch_size=500)
    if emails:
        transaction.on_commit(lambda: _send_emails(emails))
    audit(
        Reminder.objects.filter(run=run).order_by("pk").first(),
        "plans.reminder.sent",
        by=by,
        changes={"count": [None, len(jobs)], "day": [None, day], "run": [None, str(run)]},
    )
    return len(jobs)


def _unit_emails(org_ids: set[int]) -> dict[int, list[str]]:
    from dxday.orgs.models import Membership

    out: dict[int, list[str]] = {}
    for org_id, email in Organisation.objects.filter(pk__in=org_ids).values_list("pk", "email"):
        if email:
            out.setdefault(org_id, []).append(email)
    members = Membership.objects.filter(
        organisation_id__in=org_ids, user__is_active=True, role__in=["coordinator", "reporter"]
    ).values_list("organisation_id", "user__email")
    for org_id, email in members:
        if email and email not in out.get(org_id, []):
            out.setdefault(org_id, []).append(email)
    return out


def _send_emails(emails) -> None:
    from django.core.mail import send_mass_mail

    send_mass_mail(emails, fail_silently=False)


def reminders_enqueue(*, assignments: Iterable[Assignment], by: Actor) -> int:
    """A coordinator's "Remind": check the units are in their subtree, then queue the work."""
    ids = []
    for assignment in assignments:
        ensure_can(by, "plans.chase", assignment.organisation)
        ids.append(assignment.pk)
    if not ids:
        raise DomainError(_("Hãy chọn ít nhất một đơn vị để nhắc."), code="nothing_selected")
    from .tasks import reminders_send_manual

    day = timezone.localdate().isoformat()
    user_id = by.user.pk
    membership_id = by.membership.pk if by.membership else None
    transaction.on_commit(lambda: reminders_send_manual.enqueue(ids, day, user_id, membership_id))
    return len(ids)


@transaction.atomic
def notifications_mark_read(*, organisation: Organisation, by: Actor | None) -> int:
    return Notification.objects.filter(organisation=organisation, read_at=None).update(
        read_at=timezone.now()
    )
