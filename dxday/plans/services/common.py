"""What the plans services share: target groups, the statuses that count as open, and the
rule that campaigns and the catalogue belong to the national coordinator."""

from __future__ import annotations

from dxday.orgs.models import Organisation
from dxday.orgs.permissions import Actor

from ..models import Assignment, TaskTarget
from ..permissions import ensure_campaign_manage

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


def _ensure_national(by: Actor | None) -> None:
    if by is not None:
        ensure_campaign_manage(by)
