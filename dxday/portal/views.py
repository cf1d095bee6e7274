"""The public portal: no login, no per-user data in the content, cache-friendly.

Pages read through dxday.activities.selectors (published activities, approved offers) and
the plans data model (campaigns, windows, key dates). Personal data is never shown: reports
are attributed to their organisation, never to the person who wrote or reviewed them.
"""

from __future__ import annotations

import calendar
import datetime
from functools import wraps

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import urlencode

from dxday.activities import selectors
from dxday.activities.models import ActivityType
from dxday.core.params import int_param, page_param
from dxday.orgs import selectors as org_selectors
from dxday.plans import selectors as plan_selectors

from .exports import ActivityExporter, OfferExporter

PAGE_SIZE = 20
OPEN_FORMATS = {"csv", "json", "xlsx"}
# Campaign years and calendar months a visitor may ask for (a month at the edge of Python's
# date range would overflow when the calendar steps to the previous or the next month).
MIN_YEAR, MAX_YEAR = 2000, 2999


def public(view):
    """Shared caches may keep a public page for a minute, for anonymous visitors only."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, max_age=0)
        else:
            patch_cache_control(response, public=True, max_age=60)
        patch_vary_headers(response, ["Cookie", "Accept-Language"])
        return response

    return wrapper


def _parse_date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _year(value: str | None) -> int | None:
    return int_param(value, minimum=MIN_YEAR, maximum=MAX_YEAR)


@public
def home(request):
    """Campaign home: theme, message, countdown to the next key date, headline figures."""
    campaign = plan_selectors.campaign_latest(public=True)
    today = timezone.localdate()
    next_date = selectors.next_key_date(campaign, today)
    latest = list(
        selectors.published_activities(campaign_year=campaign.year if campaign else None)[:6]
    )
    return render(
        request,
        "portal/home.html",
        {
            "campaign": campaign,
            "windows": list(campaign.windows.all()) if campaign else [],
            "next_date": next_date,
            "last_date": None
            if next_date or campaign is None
            else campaign.key_dates.filter(date__lt=today).order_by("-date", "-id").first(),
            "days_left": (next_date.date - today).days if next_date else None,
            "figures": selectors.headline_figures(campaign),
            "latest": latest,
            "earlier": [
                y
                for y in plan_selectors.campaign_years(public=True)
                if campaign is None or y != campaign.year
            ],
        },
    )


def _filters(request) -> dict:
    get = request.GET
    return {
        "campaign_year": _year(get.get("nam")),
        "province": get.get("tinh") or None,
        "q": (get.get("q") or "").strip()[:100] or None,
        "type": get.get("loai") if get.get("loai") in ActivityType.values else None,
        "date_from": _parse_date(get.get("tu")),
        "date_to": _parse_date(get.get("den")),
    }


@public
def activities(request):
    """Published activities: search without diacritics, filters, pagination."""
    filters = _filters(request)
    qs = selectors.published_activities(**filters)
    page = Paginator(qs, PAGE_SIZE).get_page(page_param(request.GET.get("trang")))
    query = urlencode({k: v for k, v in request.GET.items() if k != "trang" and v})
    return render(
        request,
        "portal/activities.html",
        {
            "page": page,
            "query": query,
            "filters": request.GET,
            "provinces": org_selectors.province_list().values_list("code", "name"),
            "types": ActivityType.choices,
            "years": plan_selectors.campaign_years(public=True),
        },
    )


@public
def activity_detail(request, pk: int):
    activity = selectors.get_published_activity(pk)
    return render(request, "portal/activity_detail.html", {"activity": activity})


@public
def activity_calendar(request):
    """A month of published activities (?thang=2025-10), Monday first."""
    today = timezone.localdate()
    month = request.GET.get("thang", "")
    try:
        first = datetime.datetime.strptime(month, "%Y-%m").date()
        if not MIN_YEAR <= first.year <= MAX_YEAR:
            raise ValueError(month)
    except ValueError:
        campaign = plan_selectors.campaign_latest(public=True)
        first = (
            datetime.date(campaign.year, 10, 1)
            if campaign and campaign.year != today.year
            else today.replace(day=1)
        )
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    items = selectors.published_activities(date_from=first, date_to=last)[:500]
    by_day: dict[datetime.date, list] = {}
    for activity in items:
        day = max(activity.starts_on, first)
        by_day.setdefault(day, []).append(activity)
    weeks = [
        [{"day": d, "in_month": d.month == first.month, "items": by_day.get(d, [])} for d in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = last + datetime.timedelta(days=1)
    return render(
        request,
        "portal/calendar.html",
        {
            "first": first,
            "weeks": weeks,
            "previous": previous,
            "following": following,
            "has_items": bool(by_day),
            "days": [d for d in sorted(by_day)],
            "by_day": sorted(by_day.items()),
        },
    )


@public
def offers(request):
    q = (request.GET.get("q") or "").strip()[:100] or None
    page = Paginator(selectors.published_offers(q=q), PAGE_SIZE).get_page(
        page_param(request.GET.get("trang"))
    )
    query = urlencode({"q": q}) if q else ""
    return render(request, "portal/offers.html", {"page": page, "q": q or "", "query": query})


@public
def campaign_year(request, year: int):
    """An earlier (or the current) campaign: theme, message, windows, its published activities."""
    campaign = plan_selectors.campaign_by_year(year, public=True)  # NotFound: the plain 404
    return render(
        request,
        "portal/campaign_year.html",
        {
            "campaign": campaign,
            "figures": selectors.headline_figures(campaign),
            "latest": list(selectors.published_activities(campaign_year=year)[:10]),
            "offers": list(selectors.published_offers(campaign_year=year)[:10]),
        },
    )


@public
def open_data(request):
    return render(
        request,
        "portal/open_data.html",
        {"years": plan_selectors.campaign_years(public=True)},
    )


@public
def open_data_activities(request, fmt: str):
    if fmt not in OPEN_FORMATS:
        raise Http404
    exporter = ActivityExporter(campaign_year=_year(request.GET.get("nam")))
    return exporter.response(fmt)


@public
def open_data_offers(request, fmt: str):
    if fmt not in OPEN_FORMATS:
        raise Http404
    exporter = OfferExporter(campaign_year=_year(request.GET.get("nam")))
    return exporter.response(fmt)
