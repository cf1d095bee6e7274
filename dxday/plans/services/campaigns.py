"""Campaigns, their windows and key dates. Dates are data: the 2025 ceremony moved from 10/10
to 21/10 by editing a key date, not the code."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from dxday.core.audit import audit, audit_created, audit_saved, diff, snapshot
from dxday.core.errors import DomainError, NotFound, clean_or_raise
from dxday.orgs.permissions import Actor

from ..models import Campaign, CampaignWindow, KeyDate
from .common import _ensure_national

CAMPAIGN_FIELDS = (
    "theme",
    "message",
    "legal_basis_number",
    "legal_basis_date",
    "legal_basis_issuer",
    "legal_basis_title",
    "summary",
)


@transaction.atomic
def campaign_create(*, by: Actor | None, year: int, theme: str, **fields) -> Campaign:
    _ensure_national(by)
    if Campaign.objects.filter(year=year).exists():
        raise DomainError(
            _("Đã có chiến dịch năm %(year)s.") % {"year": year}, code="duplicate", status=409
        )
    # A new campaign is a draft: the portal and the public API show it once it is published.
    campaign = Campaign(
        year=year,
        theme=theme,
        status=Campaign.Status.DRAFT,
        **{k: fields[k] for k in fields if k in CAMPAIGN_FIELDS},
    )
    clean_or_raise(campaign)
    campaign.save()
    audit_created(campaign, "plans.campaign.created", by=by)
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, by: Actor | None, **fields) -> Campaign:
    _ensure_national(by)
    before = snapshot(campaign)
    for key, value in fields.items():
        if key not in CAMPAIGN_FIELDS:
            raise DomainError(_("Trường không được phép sửa."), code="invalid_field", field=key)
        setattr(campaign, key, value)
    clean_or_raise(campaign)
    campaign.save(update_fields=[*fields, "updated_at"])
    changes = diff(before, campaign)
    if changes:
        audit(campaign, "plans.campaign.updated", by=by, changes=changes)
    return campaign


@transaction.atomic
def campaign_publish(*, campaign: Campaign, by: Actor | None) -> Campaign:
    """Make a draft campaign public (portal home, public API). Publishing twice does nothing."""
    _ensure_national(by)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status == Campaign.Status.PUBLISHED:
        return campaign
    campaign.status = Campaign.Status.PUBLISHED
    clean_or_raise(campaign)
    campaign.save(update_fields=["status", "updated_at"])
    audit(
        campaign,
        "plans.campaign.published",
        by=by,
        changes={"status": [Campaign.Status.DRAFT, Campaign.Status.PUBLISHED]},
    )
    return campaign


@transaction.atomic
def campaign_delete(*, campaign: Campaign, by: Actor | None) -> None:
    """Delete a draft campaign with its windows and key dates. A published campaign, or one
    that plans or reports already use, is refused with a sentence saying why."""
    _ensure_national(by)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != Campaign.Status.DRAFT:
        raise DomainError(
            _("Chiến dịch đã công bố không xóa được; chỉ xóa được bản nháp."),
            code="campaign_published",
            status=409,
        )
    if campaign.plans.exists():
        raise DomainError(
            _("Chiến dịch đã có kế hoạch nên không xóa được. Hãy xóa các kế hoạch trước."),
            code="campaign_in_use",
            status=409,
        )
    # Every other row that points at a campaign protects it (activities, sectors, offers…):
    # the database refuses, and the refusal becomes the same sentence.
    audit(
        campaign,
        "plans.campaign.deleted",
        by=by,
        changes={"year": [campaign.year, None], "theme": [campaign.theme, None]},
    )
    try:
        with transaction.atomic():
            campaign.delete()
    except ProtectedError as exc:
        raise DomainError(
            _("Chiến dịch đã có dữ liệu báo cáo nên không xóa được."),
            code="campaign_in_use",
            status=409,
        ) from exc


@transaction.atomic
def campaign_window_save(
    *,
    campaign: Campaign,
    by: Actor | None,
    kind: str,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    window: CampaignWindow | None = None,
) -> CampaignWindow:
    _ensure_national(by)
    if starts_on and ends_on and ends_on < starts_on:
        raise DomainError(
            _("Ngày kết thúc đợt phải sau hoặc trùng ngày bắt đầu."), code="window_order"
        )
    before = snapshot(window) if window else None
    window = window or CampaignWindow(campaign=campaign)
    window.kind, window.name, window.starts_on, window.ends_on = kind, name, starts_on, ends_on
    clean_or_raise(window)
    window.save()
    audit_saved(window, before, "plans.window", by=by)
    return window


@transaction.atomic
def campaign_window_delete(*, window: CampaignWindow, by: Actor | None) -> None:
    _ensure_national(by)
    audit(window, "plans.window.deleted", by=by, changes={"name": [window.name, None]})
    window.delete()


@transaction.atomic
def key_date_save(
    *,
    campaign: Campaign,
    by: Actor | None,
    kind: str,
    name: str,
    date: datetime.date,
    note: str = "",
    key_date: KeyDate | None = None,
) -> KeyDate:
    """Create or move a key date (the 2025 ceremony moved from 10/10 to 21/10)."""
    _ensure_national(by)
    before = snapshot(key_date) if key_date else None
    key_date = key_date or KeyDate(campaign=campaign)
    key_date.kind, key_date.name, key_date.date, key_date.note = kind, name, date, note
    clean_or_raise(key_date)
    key_date.save()
    audit_saved(key_date, before, "plans.key_date", by=by)
    return key_date


@transaction.atomic
def key_date_delete(*, key_date: KeyDate, by: Actor | None) -> None:
    _ensure_national(by)
    audit(key_date, "plans.key_date.deleted", by=by, changes={"name": [key_date.name, None]})
    key_date.delete()


def _child(rows, row_id: int | None):
    """The campaign's own window or key date with that id (None for a new one)."""
    if row_id is None:
        return None
    found = rows.filter(pk=row_id).first()
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def campaign_save(
    *,
    by: Actor | None,
    campaign: Campaign | None,
    fields: dict,
    year: int | None = None,
    windows: Iterable[dict] = (),
    key_dates: Iterable[dict] = (),
) -> Campaign:
    """The campaign form in one transaction: create (`campaign=None`, with `year`) or edit the
    campaign, then save or delete its windows and key dates.

    `windows`: [{"id": None for a new one, "delete": bool, "kind", "name", "starts_on",
    "ends_on"}]; `key_dates`: [{"id", "delete", "kind", "name", "date", "note"}]. Any error
    rolls back the whole form.
    """
    if campaign is None:
        campaign = campaign_create(by=by, year=year, **fields)
    else:
        campaign = campaign_update(campaign=campaign, by=by, **fields)
    for row in windows:
        window = _child(campaign.windows, row.get("id"))
        if row.get("delete"):
            if window is not None:
                campaign_window_delete(window=window, by=by)
            continue
        campaign_window_save(
            campaign=campaign,
            by=by,
            window=window,
            kind=row["kind"],
            name=row["name"],
            starts_on=row["starts_on"],
            ends_on=row["ends_on"],
        )
    for row in key_dates:
        key_date = _child(campaign.key_dates, row.get("id"))
        if row.get("delete"):
            if key_date is not None:
                key_date_delete(key_date=key_date, by=by)
            continue
        key_date_save(
            campaign=campaign,
            by=by,
            key_date=key_date,
            kind=row["kind"],
            name=row["name"],
            date=row["date"],
            note=row.get("note") or "",
        )
    return campaign
