"""Every read in plans worth a name: visibility applied, no N+1, roll-ups for pages and API.

Visibility: an actor sees the plans issued in their subtree, plus the plans that assign a task
to a unit in their subtree (so a province sees the national plan it must cascade, a commune
sees the plans it works on). Anything else is "not found".

A package of modules since it outgrew one file; every name imports from here as before."""

from __future__ import annotations

from ._common import MAX_PK, OPEN, REPORTED, S, _pk_ok  # noqa: F401
from .assignments import (  # noqa: F401
    assignment_list_for_subtree,
    assignment_list_for_unit,
    get_assignment_for_user,
    with_effective_status,
)
from .campaigns import (  # noqa: F401
    campaign_by_year,
    campaign_chosen,
    campaign_current,
    campaign_latest,
    campaign_list,
    campaign_years,
    get_indicator,
    indicator_list,
)
from .completeness import (  # noqa: F401
    _chase_base,
    _rates,
    chase_assignments_of_units,
    chase_list,
    chase_units,
    plan_completeness,
)
from .notifications import notification_list_for_actor, notification_unread_count  # noqa: F401
from .plans import (  # noqa: F401
    _visible_plans_q,
    cascade_targets_for,
    get_cascade_candidate_for_user,
    get_plan_for_user,
    get_target_for_user,
    get_task_for_user,
    plan_cascade_candidates,
    plan_descendants,
    plan_list_for_actor,
    target_list_for_task,
    task_descendants,
    task_lineage,
    task_list_for_plan,
    task_rollup_for_plan,
)
from .units import unit_choice_label, unit_code_from_choice, unit_lookup  # noqa: F401
