"""Every write in plans goes through here.

Campaigns and their dates are data (the 2025 ceremony moved from 10/10 to 21/10); plans and
tasks are issued by a unit; targets expand into assignments; `plan_cascade` copies a parent plan
down one level with lineage; lateness and reminders run from a daily task.

One module per part (`campaigns`, `catalogue`, `tasks`, `targets`, `assignments`, `cascade`,
`reminders`); every name is importable from here, so callers write
`from dxday.plans.services import task_assign`.
"""

from django.utils import timezone

from .assignments import (
    _create_assignments,
    _open_tasks,
    assignment_status_set,
    assignments_extend_to,
    assignments_mark_late,
    on_organisations_created,
    targets_expand,
    task_assign,
)
from .campaigns import (
    CAMPAIGN_FIELDS,
    campaign_create,
    campaign_delete,
    campaign_publish,
    campaign_save,
    campaign_update,
    campaign_window_delete,
    campaign_window_save,
    key_date_delete,
    key_date_save,
)
from .cascade import plan_cascade
from .catalogue import indicator_save
from .common import (
    GROUP_KIND,
    NATIONAL_GROUPS,
    OPEN_STATUSES,
    PENDING_STATUSES,
    G,
    _ensure_national,
)
from .notify import (
    Note,
    notifications_deliver,
    notifications_send,
    notify_assigned,
    notify_cascaded,
)
from .plans import (
    PLAN_FIELDS,
    TASK_FIELDS,
    _check_window,
    plan_create,
    plan_update,
    task_create,
    task_update,
)
from .remind import (
    reminders_enqueue,
    reminders_enqueue_for_units,
    reminders_enqueue_ids,
    reminders_send,
)
from .reminders import (
    _reminder_text,
    _unit_emails,
    email_attempts_max,
    notifications_mark_read,
    reminder_offsets,
    reminders_create,
    reminders_deliver,
    reminders_undelivered,
    retry_delay,
)
from .targets import _check_target, task_target_add, task_target_assign, task_target_remove

__all__ = [
    "CAMPAIGN_FIELDS",
    "GROUP_KIND",
    "NATIONAL_GROUPS",
    "OPEN_STATUSES",
    "PENDING_STATUSES",
    "PLAN_FIELDS",
    "TASK_FIELDS",
    "G",
    "_check_target",
    "_check_window",
    "_create_assignments",
    "_ensure_national",
    "_open_tasks",
    "_reminder_text",
    "_unit_emails",
    "assignment_status_set",
    "assignments_extend_to",
    "assignments_mark_late",
    "campaign_create",
    "Note",
    "notifications_deliver",
    "notifications_send",
    "notify_assigned",
    "notify_cascaded",
    "campaign_delete",
    "campaign_publish",
    "campaign_save",
    "campaign_update",
    "campaign_window_delete",
    "campaign_window_save",
    "indicator_save",
    "key_date_delete",
    "key_date_save",
    "notifications_mark_read",
    "on_organisations_created",
    "plan_cascade",
    "plan_create",
    "plan_update",
    "reminder_offsets",
    "email_attempts_max",
    "reminders_create",
    "reminders_deliver",
    "reminders_undelivered",
    "retry_delay",
    "reminders_enqueue",
    "reminders_enqueue_for_units",
    "reminders_enqueue_ids",
    "reminders_send",
    "targets_expand",
    "task_assign",
    "task_create",
    "task_target_add",
    "task_target_assign",
    "task_target_remove",
    "task_update",
    "timezone",
]
