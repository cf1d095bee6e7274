"""Every read in plans worth a name: visibility applied, no N+1, roll-ups for pages and API.

Visibility: an actor sees the plans issued in their subtree, plus the plans that assign a task
to a unit in their subtree (so a province sees the national plan it must cascade, a commune
sees the plans it works on). Anything else is "not found".
"""

from __future__ import annotations

import datetime

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from dxday.core.errors import NotFound
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import Actor, subtree_q

from .models import Assignment, Campaign, Indicator, Notification, Plan, Task, TaskTarget

S = Assignment.Status
MAX_PK = 2**63 - 1


def _pk_ok(value) -> bool:
    return isinstance(value, int) and 0 < value <= MAX_PK


OPEN = (S.NOT_STARTED, S.IN_PROGRESS)
REPORTED = (S.REPORTED, S.ACCEPTED)


# --- Campaigns --------------------------------------------------------------------------------


def campaign_list() -> QuerySet[Campaign]:
    return Campaign.objects.prefetch_related("windows", "key_dates").order_by("-year")


def campaign_years() -> QuerySet:
    return Campaign.objects.order_by("-year").values_list("year", flat=True)


def campaign_by_year(year: int) -> Campaign:
    if not 1900 <= year <= 9999:  # also keeps huge numbers away from integer columns
        raise NotFound()
    campaign = campaign_list().filter(year=year).first()
    if campaign is None:
        raise NotFound()
    return campaign


def campaign_latest() -> Campaign | None:
    """The campaign of the latest year (the portal's home, the reports' default)."""
    return Campaign.objects.order_by("-year").first()


def campaign_current() -> Campaign | None:
    """This year's campaign, else the latest one."""
    year = timezone.localdate().year
    return (
        Campaign.objects.filter(year=year).first()
        or Campaign.objects.filter(year__lt=year).order_by("-year").first()
        or Campaign.objects.order_by("-year").first()
    )


def campaign_chosen(year: int | None) -> Campaign | None:
    """The campaign a page was asked for (`?nam=`): that year's, or None when there is none;
    without a year, the current one."""
    if year is None:
        return campaign_current()
    return Campaign.objects.filter(year=year).first()


# --- Indicator catalogue ----------------------------------------------------------------------


def indicator_list() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("part_of")


def get_indicator(indicator_id: int) -> Indicator:
    """The catalogue is public within the platform: "not found" only when it does not exist."""
    if not _pk_ok(indicator_id):
        raise NotFound()
    indicator = Indicator.objects.select_related("part_of").filter(pk=indicator_id).first()
    if indicator is None:
        raise NotFound()
    return indicator


# --- Plans and tasks --------------------------------------------------------------------------


def _visible_plans_q(actor: Actor) -> Q:
    if actor.is_operator:
        return Q()
    if actor.organisation is None:
        return Q(pk__in=[])
    assigned = Assignment.objects.filter(
        subtree_q(actor, "organisation"), task__plan=OuterRef("pk")
    )
    return subtree_q(actor, "organisation") | Q(Exists(assigned))


def plan_list_for_actor(actor: Actor, *, campaign: Campaign | None = None) -> QuerySet[Plan]:
    qs = (
        Plan.objects.filter(_visible_plans_q(actor))
        .select_related("campaign", "organisation", "parent")
        .annotate(task_count=Count("tasks", distinct=True))
        .order_by("-campaign__year", "organisation__depth", "organisation__path", "id")
    )
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs


def get_plan_for_user(actor: Actor, plan_id: int) -> Plan:
    if not _pk_ok(plan_id):
        raise NotFound()
    plan = (
        Plan.objects.filter(_visible_plans_q(actor), pk=plan_id)
        .select_related("campaign", "organisation", "parent", "parent__organisation")
        .first()
    )
    if plan is None:
        raise NotFound()
    return plan


def task_list_for_plan(plan: Plan, actor: Actor | None = None) -> QuerySet[Task]:
    """Tasks of a plan with their targets and assignment counts (within the actor's subtree)."""
    in_scope = subtree_q(actor, "assignments__organisation") if actor else Q()
    return (
        plan.tasks.select_related("window", "parent_task")
        .prefetch_related(
            Prefetch("targets", queryset=TaskTarget.objects.select_related("organisation")),
            "indicators",
        )
        .annotate(
            assigned=Count("assignments", filter=in_scope, distinct=True),
            reported=Count(
                "assignments",
                filter=in_scope & Q(assignments__first_reported_at__isnull=False),
                distinct=True,
            ),
        )
        .order_by("order", "id")
    )


def get_task_for_user(actor: Actor, task_id: int) -> Task:
    if not _pk_ok(task_id):
        raise NotFound()
    task = (
        Task.objects.filter(pk=task_id, plan__in=Plan.objects.filter(_visible_plans_q(actor)))
        .select_related("plan", "plan__organisation", "plan__campaign", "window", "parent_task")
        .first()
    )
    if task is None:
        raise NotFound()
    return task


def target_list_for_task(task: Task) -> QuerySet[TaskTarget]:
    return task.targets.select_related("organisation").order_by("id")


def get_target_for_user(actor: Actor, target_id: int) -> TaskTarget:
    """A target of a task the actor may see (the same "not found" for missing and forbidden)."""
    if not _pk_ok(target_id):
        raise NotFound()
    target = (
        TaskTarget.objects.filter(
            pk=target_id, task__plan__in=Plan.objects.filter(_visible_plans_q(actor))
        )
        .select_related("organisation", "task", "task__plan", "task__plan__organisation")
        .first()
    )
    if target is None:
        raise NotFound()
    return target


def task_descendants(task: Task | int) -> QuerySet[Task]:
    """The task and every task cascaded from it, at any depth, across child plans.

    One query per cascade level (national → province → below: two or three), returning a
    QuerySet the caller can filter further (e.g. to roll activity figures up to the task).
    """
    task_id = getattr(task, "pk", task)
    found = {task_id}
    frontier = [task_id]
    while frontier:
        frontier = list(
            Task.objects.filter(parent_task_id__in=frontier)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        found.update(frontier)
    return Task.objects.filter(pk__in=found)


# Kept as an alias: the brief named the lineage read both ways.
task_lineage = task_descendants


def plan_descendants(plan: Plan | int) -> QuerySet[Plan]:
    """The plan and every plan cascaded from it."""
    plan_id = getattr(plan, "pk", plan)
    found = {plan_id}
    frontier = [plan_id]
    while frontier:
        frontier = list(
            Plan.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        found.update(frontier)
    return Plan.objects.filter(pk__in=found)


def task_rollup_for_plan(plan: Plan, actor: Actor | None = None) -> dict[int, dict]:
    """For each task of `plan`: units assigned and reported, counting the task itself and every
    task cascaded from it (so the national coordinator sees the communes' work on the national
    task). Constant number of queries: plans below, their tasks, one grouped count."""
    plans = plan_descendants(plan)
    parent_of = dict(Task.objects.filter(plan__in=plans).values_list("pk", "parent_task_id"))
    own = set(plan.tasks.values_list("pk", flat=True))

    def root(task_id: int) -> int | None:
        seen = 0
        while task_id is not None and task_id not in own and seen < 20:
            task_id, seen = parent_of.get(task_id), seen + 1
        return task_id if task_id in own else None

    qs = Assignment.objects.filter(task_id__in=list(parent_of))
    if actor is not None:
        qs = qs.filter(subtree_q(actor, "organisation"))
    rows = qs.values("task_id").annotate(
        expected=Count("pk"), reported=Count("pk", filter=Q(first_reported_at__isnull=False))
    )
    out = {pk: {"expected": 0, "reported": 0} for pk in own}
    for row in rows:
        top = root(row["task_id"])
        if top is not None:
            out[top]["expected"] += row["expected"]
            out[top]["reported"] += row["reported"]
    return out


def plan_cascade_candidates(actor: Actor) -> QuerySet[Plan]:
    """Plans issued above the actor's unit that it has not cascaded yet."""
    org = actor.organisation
    if org is None:
        return Plan.objects.none()
    ancestors = [org.path[:i] for i in range(org.steplen, len(org.path), org.steplen)]
    return (
        Plan.objects.filter(organisation__path__in=ancestors)
        .exclude(children__organisation=org)
        .select_related("campaign", "organisation")
        .order_by("-campaign__year", "id")
    )


def get_cascade_candidate_for_user(actor: Actor, plan_id: int) -> Plan:
    """A plan from above the actor's unit that it may still cascade, else "not found"."""
    if not _pk_ok(plan_id):
        raise NotFound()
    plan = plan_cascade_candidates(actor).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound()
    return plan


def cascade_targets_for(organisation: Organisation) -> list[tuple[str, str]]:
    """The groups a unit can cascade to, as (group, label) choices."""
    G = TaskTarget.Group
    return [
        (G.DEPARTMENTS_OF, G.DEPARTMENTS_OF.label),
        (G.COMMUNES_OF, G.COMMUNES_OF.label),
        (G.PRESS_OF, G.PRESS_OF.label),
    ]


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


# --- Completeness and timeliness --------------------------------------------------------------


def _rates(row: dict) -> dict:
    expected = row["expected"] or 0
    row["completeness"] = round(100 * row["reported"] / expected, 1) if expected else None
    row["timeliness"] = round(100 * row["on_time"] / expected, 1) if expected else None
    return row


def plan_completeness(
    plan: Plan, actor: Actor | None = None, *, today: datetime.date | None = None
) -> dict:
    """Expected, reported, on-time and late counts with rates, for the plan and every plan
    cascaded from it, in total and per level (organisation kind).

    Completeness = reported / expected; timeliness = reported on or before the deadline /
    expected (DHIS2's reporting-rate definitions). Rates are None when nothing is expected.
    """
    today = today or timezone.localdate()
    qs = Assignment.objects.filter(task__plan__in=plan_descendants(plan))
    if actor is not None:
        qs = qs.filter(subtree_q(actor, "organisation"))
    levels = list(
        qs.annotate(reported_on=TruncDate("first_reported_at"))
        .values("organisation__kind")
        .annotate(
            expected=Count("pk"),
            reported=Count("pk", filter=Q(first_reported_at__isnull=False)),
            on_time=Count(
                "pk",
                filter=Q(first_reported_at__isnull=False)
                & (Q(deadline__isnull=True) | Q(reported_on__lte=F("deadline"))),
            ),
            late=Count(
                "pk",
                filter=Q(first_reported_at__isnull=True)
                & Q(deadline__lt=today)
                & ~Q(status__in=REPORTED),
            ),
            depth=Max("organisation__depth"),
        )
        .order_by("depth", "organisation__kind")
    )
    kinds = dict(Organisation.Kind.choices)
    total = {"expected": 0, "reported": 0, "on_time": 0, "late": 0}
    rows = []
    for row in levels:
        for k in total:
            total[k] += row[k]
        rows.append(
            _rates(
                {
                    "kind": row["organisation__kind"],
                    "label": str(kinds.get(row["organisation__kind"], row["organisation__kind"])),
                    **{k: row[k] for k in total},
                }
            )
        )
    return {"total": _rates(total), "levels": rows}


def _chase_base(
    actor: Actor,
    *,
    campaign: Campaign | None,
    plan: Plan | None,
    today: datetime.date,
    only_late: bool,
) -> QuerySet[Assignment]:
    qs = Assignment.objects.filter(
        subtree_q(actor, "organisation"),
        first_reported_at__isnull=True,
    ).exclude(status__in=REPORTED)
    if actor.organisation is not None and not actor.is_operator:
        qs = qs.exclude(organisation=actor.organisation)
    if plan is not None:
        qs = qs.filter(task__plan__in=plan_descendants(plan))
    if campaign is not None:
        qs = qs.filter(task__plan__campaign=campaign)
    if only_late:
        qs = qs.filter(deadline__lt=today)
    return qs


def chase_list(
    actor: Actor,
    *,
    campaign: Campaign | None = None,
    plan: Plan | None = None,
    today: datetime.date | None = None,
    only_late: bool = False,
) -> QuerySet[Assignment]:
    """The assignments in the actor's subtree that nobody has reported yet (the units to chase),
    soonest deadline first, with the day of the last reminder."""
    today = today or timezone.localdate()
    qs = _chase_base(actor, campaign=campaign, plan=plan, today=today, only_late=only_late)
    return (
        with_effective_status(qs, today)
        .select_related("organisation", "task", "task__plan")
        .annotate(last_reminded=Max("reminders__day"))
        .order_by(F("deadline").asc(nulls_last=True), "organisation__path", "task__order")
    )


def chase_units(
    actor: Actor,
    *,
    campaign: Campaign | None = None,
    plan: Plan | None = None,
    today: datetime.date | None = None,
    only_late: bool = False,
    kind: str | None = None,
) -> QuerySet:
    """One row per unit of the actor's subtree that has not reported: how many tasks are
    pending and late, the nearest deadline and the last reminder. Most late first."""
    today = today or timezone.localdate()
    qs = _chase_base(actor, campaign=campaign, plan=plan, today=today, only_late=only_late)
    if kind:
        qs = qs.filter(organisation__kind=kind)
    return (
        qs.values(
            "organisation_id", "organisation__name", "organisation__kind", "organisation__path"
        )
        .annotate(
            pending=Count("pk", distinct=True),
            late=Count("pk", filter=Q(deadline__lt=today), distinct=True),
            next_deadline=Min("deadline"),
            last_reminded=Max("reminders__day"),
        )
        .order_by("-late", "organisation__path")
    )


def chase_assignments_of_units(
    actor: Actor,
    organisation_ids: list[int],
    *,
    campaign: Campaign | None = None,
    only_late: bool = False,
) -> QuerySet[Assignment]:
    """The pending assignments of the chosen units (for "Remind"), within the actor's reach."""
    today = timezone.localdate()
    qs = _chase_base(actor, campaign=campaign, plan=None, today=today, only_late=only_late)
    return qs.filter(organisation_id__in=organisation_ids).select_related("organisation")


# --- Notifications ----------------------------------------------------------------------------


def notification_list_for_actor(actor: Actor) -> QuerySet[Notification]:
    if actor.organisation is None:
        return Notification.objects.none()
    return Notification.objects.filter(organisation=actor.organisation).select_related("assignment")


def notification_unread_count(actor: Actor) -> int:
    return notification_list_for_actor(actor).filter(read_at=None).count()
