"""The indicator catalogue: what units report, and which indicator is a part of which total."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from dxday.core.audit import audit_saved, snapshot
from dxday.core.errors import DomainError, clean_or_raise
from dxday.orgs.permissions import Actor

from ..models import Indicator
from .common import _ensure_national


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
    clean_or_raise(indicator)
    indicator.save()
    audit_saved(indicator, before, "plans.indicator", by=by)
    return indicator
