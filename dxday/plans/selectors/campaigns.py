"""Campaigns and the indicator catalogue."""

from __future__ import annotations

from django.db.models import (
    QuerySet,
)
from django.utils import timezone

from dxday.core.errors import NotFound

from ..models import Campaign, Indicator
from ._common import _pk_ok

# --- Campaigns --------------------------------------------------------------------------------


def _campaigns(public: bool) -> QuerySet[Campaign]:
    """Every campaign for the platform; only published ones for the public (portal, API)."""
    qs = Campaign.objects.all()
    return qs.filter(status=Campaign.Status.PUBLISHED) if public else qs


def campaign_list(*, public: bool = False) -> QuerySet[Campaign]:
    return _campaigns(public).prefetch_related("windows", "key_dates").order_by("-year")


def campaign_years(*, public: bool = False) -> QuerySet:
    return _campaigns(public).order_by("-year").values_list("year", flat=True)


def campaign_by_year(year: int, *, public: bool = False) -> Campaign:
    """One year's campaign; a draft is "not found" for the public."""
    if not 1900 <= year <= 9999:  # also keeps huge numbers away from integer columns
        raise NotFound()
    campaign = campaign_list(public=public).filter(year=year).first()
    if campaign is None:
        raise NotFound()
    return campaign


def campaign_latest(*, public: bool = False) -> Campaign | None:
    """The campaign of the latest year (the portal's home with `public`, the reports' default)."""
    return _campaigns(public).order_by("-year").first()


def campaign_current() -> Campaign | None:
    """This year's campaign, else the latest one."""
    year = timezone.localdate().year
    return (
        Campaign.objects.filter(year=year).first()
        or Campaign.objects.filter(year__lt=year).order_by("-year").first()
        or Campaign.objects.order_by("-year").first()
    )


def campaign_chosen(year: int | None) -> Campaign | None:
    """The campaign a page was asked for (`?nam=`): that year's, or None when there is none;
    without a year, the current one."""
    if year is None:
        return campaign_current()
    return Campaign.objects.filter(year=year).first()


# --- Indicator catalogue ----------------------------------------------------------------------


def indicator_list() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("part_of")


def get_indicator(indicator_id: int) -> Indicator:
    """The catalogue is public within the platform: "not found" only when it does not exist."""
    if not _pk_ok(indicator_id):
        raise NotFound()
    indicator = Indicator.objects.select_related("part_of").filter(pk=indicator_id).first()
    if indicator is None:
        raise NotFound()
    return indicator
