"""State-management areas (lĩnh vực quản lý nhà nước) that ministries register, with their
progress and milestones."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from dxday.core.audit import audit, audit_created, diff, snapshot
from dxday.core.errors import DomainError, clean_or_raise
from dxday.core.text import nfc
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import Actor, ensure_can
from dxday.plans.models import Campaign

from ..models import Sector, SectorMilestone


def _ensure_ministry(organisation: Organisation) -> None:
    if organisation.kind not in {Organisation.Kind.MINISTRY, Organisation.Kind.NATIONAL}:
        raise DomainError(
            _("Chỉ bộ, ngành mới đăng ký lĩnh vực quản lý nhà nước."), code="not_ministry"
        )


@transaction.atomic
def sector_create(
    *,
    by: Actor,
    organisation: Organisation,
    name: str,
    target: str = "",
    progress: int = 0,
    ai_usage: str = "",
    campaign: Campaign | None = None,
) -> Sector:
    ensure_can(by, "sectors.manage", organisation)
    _ensure_ministry(organisation)
    sector = Sector(
        organisation=organisation,
        campaign=campaign or Campaign.objects.order_by("-year").first(),
        name=nfc(name),
        target=nfc(target),
        progress=progress,
        ai_usage=nfc(ai_usage),
    )
    clean_or_raise(sector)
    sector.save()
    audit_created(sector, "activities.sector.created", by=by)
    return sector


@transaction.atomic
def sector_update(*, sector: Sector, by: Actor, **fields: Any) -> Sector:
    ensure_can(by, "sectors.manage", sector.organisation)
    before = snapshot(sector)
    for name in ("name", "target", "progress", "ai_usage"):
        if name in fields:
            value = fields[name]
            setattr(sector, name, nfc(value) if isinstance(value, str) else value)
    clean_or_raise(sector)
    sector.save()
    audit(sector, "activities.sector.updated", by=by, changes=diff(before, sector))
    return sector


@transaction.atomic
def sector_milestone_add(
    *, sector: Sector, by: Actor, date: datetime.date, text: str
) -> SectorMilestone:
    ensure_can(by, "sectors.manage", sector.organisation)
    milestone = SectorMilestone(sector=sector, date=date, text=nfc(text))
    clean_or_raise(milestone)
    milestone.save()
    audit(sector, "activities.sector.milestone_added", by=by, changes={"milestone": [None, text]})
    return milestone
