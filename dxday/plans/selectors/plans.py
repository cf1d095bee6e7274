"""Plans, tasks, targets, lineage and cascade candidates."""

from __future__ import annotations

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from dxday.core.errors import NotFound
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import Actor, subtree_q

from ..models import Assignment, Campaign, Plan, Task, TaskTarget
from ._common import _pk_ok

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


def plan_visible(actor: Actor, plan_id: int | None) -> bool:
    """Whether `get_plan_for_user` would find the plan (to link it or print its title only)."""
    if plan_id is None or not _pk_ok(plan_id):
        return False
    return Plan.objects.filter(_visible_plans_q(actor), pk=plan_id).exists()


def plan_cascaded_by_unit(actor: Actor, plan: Plan) -> Plan | None:
    """The plan the actor's unit already cascaded from `plan`, if any (the cascade button
    then leads to it instead of a form that would answer "not found")."""
    if actor.organisation_id is None:
        return None
    return Plan.objects.filter(parent=plan, organisation_id=actor.organisation_id).first()


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
