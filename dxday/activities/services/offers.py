"""Offers on digital services: registered by a unit, public only once a moderator approves."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxday.core.audit import audit, audit_created
from dxday.core.errors import DomainError, clean_or_raise
from dxday.core.pagecache import PORTAL, bump
from dxday.core.text import nfc, search_key
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import Actor, ensure_can
from dxday.plans.models import Campaign

from ..models import Offer

OFFER_FIELDS = ("provider", "title", "discount", "starts_on", "ends_on", "how_to_claim", "link")


@transaction.atomic
def offer_register(
    *,
    by: Actor,
    data: dict[str, Any],
    organisation: Organisation | None = None,
    campaign: Campaign | None = None,
) -> Offer:
    """Register an offer; it waits for a moderator before anyone sees it."""
    organisation = organisation or by.organisation
    ensure_can(by, "offers.register", organisation)
    offer = Offer(
        organisation=organisation,
        campaign=campaign or Campaign.objects.order_by("-year").first(),
    )
    for name in OFFER_FIELDS:
        if name in data:
            value = data[name]
            setattr(offer, name, nfc(value) if isinstance(value, str) else value)
    offer.search_key = search_key(f"{offer.provider} {offer.title} {offer.discount}")
    clean_or_raise(offer)
    offer.save()
    audit_created(offer, "activities.offer.registered", by=by)
    return offer


@transaction.atomic
def offer_approve(*, offer: Offer, by: Actor) -> Offer:
    ensure_can(by, "offers.moderate", offer.organisation)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status == Offer.Status.APPROVED:
        return offer
    before = offer.status
    offer.status = Offer.Status.APPROVED
    bump(PORTAL)
    offer.reject_reason = ""
    offer.reviewed_at = timezone.now()
    offer.reviewed_by = by.user
    offer.save(
        update_fields=["status", "reject_reason", "reviewed_at", "reviewed_by", "updated_at"]
    )
    audit(offer, "activities.offer.approved", by=by, changes={"status": [before, "approved"]})
    return offer


@transaction.atomic
def offer_reject(*, offer: Offer, by: Actor, reason: str) -> Offer:
    ensure_can(by, "offers.moderate", offer.organisation)
    reason = nfc(reason)
    if not reason:
        raise DomainError(
            _("Hãy ghi lý do từ chối ưu đãi."), code="reason_required", field="reason"
        )
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    before = offer.status
    offer.status = Offer.Status.REJECTED
    bump(PORTAL)  # it may have been public
    offer.reject_reason = reason
    offer.reviewed_at = timezone.now()
    offer.reviewed_by = by.user
    offer.save(
        update_fields=["status", "reject_reason", "reviewed_at", "reviewed_by", "updated_at"]
    )
    audit(
        offer,
        "activities.offer.rejected",
        by=by,
        changes={"status": [before, "rejected"], "reason": reason},
    )
    return offer
