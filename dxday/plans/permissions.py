"""The plans rules that are more than "role × subtree" (that part is `orgs.permissions`).

Campaigns and the indicator catalogue belong to the national coordinator; a unit cascades a plan
issued strictly above it. Views and services ask here, so a rule is written once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from dxday.core.errors import DomainError
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import Actor

if TYPE_CHECKING:
    from .models import Plan


def campaign_manage_allowed(actor: Actor) -> bool:
    """Campaigns and the catalogue belong to the national coordinator (and operators)."""
    if actor.is_operator:
        return True
    org = actor.organisation
    return (
        org is not None
        and org.kind == Organisation.Kind.NATIONAL
        and actor.has_action("plans.manage")
    )


def ensure_campaign_manage(actor: Actor, *, catalogue: bool = False) -> None:
    """403 unless the actor may edit campaigns (or, with `catalogue`, the indicator catalogue)."""
    if campaign_manage_allowed(actor):
        return
    message = (
        _("Chỉ cơ quan điều phối quốc gia được sửa danh mục chỉ tiêu.")
        if catalogue
        else _("Chỉ cơ quan điều phối quốc gia được sửa chiến dịch.")
    )
    raise DomainError(message, code="forbidden", status=403)


def plan_cascade_allowed(actor: Actor, plan: Plan) -> bool:
    """The actor's unit lies strictly below the plan's issuer and its role may cascade."""
    org = actor.organisation
    return (
        actor.has_action("plans.cascade")
        and org is not None
        and org.pk != plan.organisation_id
        and org.path.startswith(plan.organisation.path)
    )
