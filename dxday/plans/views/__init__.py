"""Thin HTML views for plans: parse input, call one service or selector, render.

Errors fail one way: a DomainError a view lets through becomes the message page (NotFound the
plain 404) in `core.middleware.DomainErrorMiddleware`. A single object comes only from a
`get_<thing>_for_user` selector (404 for missing and forbidden alike); an action the role may
not perform on a visible object is a 403 from `ensure_can` / `ensure_action`. Forms still catch
a DomainError to show it beside their fields; that is rendering.
"""

from .campaigns import (
    campaign_delete,
    campaign_detail,
    campaign_edit,
    campaign_list,
    campaign_publish,
)
from .cascade import plan_cascade
from .indicators import indicator_edit, indicator_list
from .plans import plan_create, plan_detail, plan_edit, plan_list, plan_progress
from .tasks import target_add, target_remove, task_create, task_edit, unit_lookup
from .workspace import chase, my_tasks, notification_badge, notifications

__all__ = [
    "campaign_delete",
    "campaign_detail",
    "campaign_edit",
    "campaign_list",
    "campaign_publish",
    "chase",
    "indicator_edit",
    "indicator_list",
    "my_tasks",
    "notification_badge",
    "notifications",
    "plan_cascade",
    "plan_create",
    "plan_detail",
    "plan_edit",
    "plan_list",
    "plan_progress",
    "target_add",
    "target_remove",
    "task_create",
    "task_edit",
    "unit_lookup",
]
