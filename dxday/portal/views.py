"""The public portal: no login, no per-user data in the content, cache-friendly.

Pages read through dxday.activities.selectors (published activities, approved offers) and
the plans data model (campaigns, windows, key dates). Personal data is never shown: reports
are attributed to their organisation, never to the person who wrote or reviewed them.
"""

from __future__ import annotations

import calendar
import datetime
from functools import wraps

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dxday.activities import selectors
from dxday.activities.models import ActivityType
from dxday.core.errors import DomainError
from dxday.core.exports import ListExporter
from dxday.core.pagecache import cached
from dxday.core.params import int_param, page_param
from dxday.learning import selectors as learning_selectors
from dxday.orgs import selectors as org_selectors
from dxday.outreach import selectors as outreach_selectors
from dxday.plans import selectors as plan_selectors

from . import map as country_map
from . import services, tasks
from .exports import DATASETS, LICENCE, OFFER_STATES, offer_state

PAGE_SIZE = 20
OPEN_FORMATS = {"csv", "json", "xlsx"}
# Campaign years and calendar months a visitor may ask for (a month at the edge of Python's
# date range would overflow when the calendar steps to the previous or the next month).
MIN_YEAR, MAX_YEAR = 2000, 2999


def public(view):
    """Shared caches may keep a public page for a minute, for anonymous visitors only.

    The pages below are also `@cached` (dxday/core/pagecache.py): anonymous visitors get them
    from the server's cache, with short `Cache-Control` lifetimes and an `ETag`; they set no
    cookie (the shell renders no CSRF token for them). `Vary: Cookie` stays, because a
    signed-in person's shell (and the language cookie) changes the page.
    """

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


@cached(ttl=60)  # the festival's figures move with every check-in
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
            "festival": learning_selectors.festival_figures(campaign),
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
    date_from, date_to = _date_range(request)
    province = org_selectors.province_by_code_param(get.get("tinh"), field="tinh")
    return {
        "campaign_year": _year(get.get("nam")),
        "province": province.code if province else None,
        "q": (get.get("q") or "").strip()[:100] or None,
        "type": get.get("loai") if get.get("loai") in ActivityType.values else None,
        "date_from": date_from,
        "date_to": date_to,
    }


@cached()
@public
def activities(request):
    """Published activities: search without diacritics, filters, pagination. An inverted date
    range lists nothing and says why."""
    range_error = None
    try:
        qs = selectors.published_activities(**_filters(request))
    except DomainError as exc:
        if exc.code != "invalid_date_range":  # an unknown province is the page's 422
            raise
        range_error, qs = exc.message, selectors.published_activities().none()
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
            "range_error": range_error,
        },
    )


@cached()
@public
def activity_detail(request, pk: int):
    activity = selectors.get_published_activity(pk)
    return render(request, "portal/activity_detail.html", {"activity": activity})


@cached()
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


@cached()
@public
def offers(request):
    q = (request.GET.get("q") or "").strip()[:100] or None
    page = Paginator(selectors.published_offers(q=q), PAGE_SIZE).get_page(
        page_param(request.GET.get("trang"))
    )
    query = urlencode({"q": q}) if q else ""
    for offer in page:
        offer.state = offer_state(offer)
    return render(request, "portal/offers.html", {"page": page, "q": q or "", "query": query})


@cached()
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
            "festival": learning_selectors.festival_figures(campaign),
            "latest": list(selectors.published_activities(campaign_year=year)[:10]),
            "offers": list(selectors.published_offers(campaign_year=year)[:10]),
        },
    )


@cached()
@public
def open_data(request):
    return render(
        request,
        "portal/open_data.html",
        {
            "years": plan_selectors.campaign_years(public=True),
            "licence": LICENCE,
            "datasets": [
                {
                    "slug": "hoat-dong",
                    "name": _("Hoạt động hưởng ứng"),
                    "url": "portal:open_data_activities",
                },
                {
                    "slug": "uu-dai",
                    "name": _("Ưu đãi sản phẩm, dịch vụ số"),
                    "url": "portal:open_data_offers",
                },
            ],
        },
    )


@cached()
@public
def open_data_dictionary(request, dataset: str):
    """What each column of a dataset means: key, heading, type, description; the licence."""
    exporter_class = DATASETS.get(dataset)
    if exporter_class is None:
        raise Http404
    context = {
        "dataset": dataset,
        "columns": exporter_class.columns,
        "licence": LICENCE,
        "download": {
            "hoat-dong": "portal:open_data_activities",
            "uu-dai": "portal:open_data_offers",
        }[dataset],
    }
    if dataset == "hoat-dong":
        context["indicators"] = plan_selectors.indicator_list()
        context["types"] = ActivityType.choices
    else:
        context["states"] = list(OFFER_STATES.items())
    return render(request, "portal/open_data_dictionary.html", context)


@public
def open_data_activities(request, fmt: str):
    return _open_data(request, "hoat-dong", fmt)


@public
def open_data_offers(request, fmt: str):
    return _open_data(request, "uu-dai", fmt)


def _open_data(request, dataset: str, fmt: str):
    """CSV and JSON stream; the XLSX is the day's file, built by a task (served once ready)."""
    if fmt not in OPEN_FORMATS:
        raise Http404
    year = _year(request.GET.get("nam"))
    date_from, date_to = _date_range(request)
    if fmt == "xlsx":
        response = _open_data_xlsx(request, dataset, year, date_from, date_to)
    else:
        exporter = DATASETS[dataset](campaign_year=year, date_from=date_from, date_to=date_to)
        response = exporter.streaming_response(fmt)
    dictionary = reverse("portal:open_data_dictionary", args=[dataset])
    response["Link"] = f'<{LICENCE["url"]}>; rel="license", <{dictionary}>; rel="describedby"'
    return response


def _open_data_xlsx(request, dataset, year, date_from, date_to):
    today = timezone.localdate()
    filters = {"year": year, "date_from": date_from, "date_to": date_to}
    name = services.open_data_xlsx_name(dataset=dataset, day=today, **filters)
    if not default_storage.exists(name) and cache.add(f"dxday:open-data:{name}", 1, 600):
        # Once per file and ten minutes; an immediate backend (tests) builds it right here.
        tasks.open_data_xlsx_task.enqueue(
            dataset, today.isoformat(), year,
            date_from.isoformat() if date_from else None,
            date_to.isoformat() if date_to else None,
        )  # fmt: skip
    if default_storage.exists(name):
        response = FileResponse(
            default_storage.open(name),
            as_attachment=True,
            filename=f"{DATASETS[dataset].filename}.xlsx",
            content_type=ListExporter.CONTENT_TYPES["xlsx"],
        )
        return response
    return render(request, "portal/open_data_preparing.html", {"dataset": dataset}, status=202)


def _date_range(request) -> tuple[datetime.date | None, datetime.date | None]:
    """`tu`/`den` as dates; an inverted range is refused with a sentence (422), never answered
    with everything or nothing."""
    date_from, date_to = _parse_date(request.GET.get("tu")), _parse_date(request.GET.get("den"))
    if date_from and date_to and date_from > date_to:
        raise DomainError(
            _(
                "Khoảng ngày không hợp lệ: ngày bắt đầu %(start)s sau ngày kết thúc %(end)s. "
                "Hãy đổi lại hai ngày."
            )
            % {"start": date_from.strftime("%d/%m/%Y"), "end": date_to.strftime("%d/%m/%Y")},
            code="invalid_date_range",
            field="tu",
            status=422,
        )
    return date_from, date_to


# --- The map of the country --------------------------------------------------------------------


def _map_params(request):
    campaign = outreach_selectors.campaign_for_page(_year(request.GET.get("nam")))
    key = request.GET.get("so_lieu")
    measure = country_map.MEASURES.get(key) or country_map.MEASURES[country_map.DEFAULT_MEASURE]
    return campaign, measure


@cached(scopes=("outreach",), ttl=30)
@public
def country(request):
    """The door-to-door figures of the 34 provinces on a tile map, with the same numbers as a
    table beside it; a province opens its communes."""
    campaign, measure = _map_params(request)
    rows = outreach_selectors.session_totals(campaign=campaign, by="province")
    provinces = list(org_selectors.province_list().values_list("code", "name"))
    names = dict(provinces)
    values = {r["province"]: r[measure.field] for r in rows}
    query = urlencode({"nam": campaign.year, "so_lieu": measure.key})
    svg = country_map.tile_map(
        values, names,
        title=f"{measure.label} — {campaign.year}",
        link=lambda code: f"{reverse('portal:map_province', args=[code])}?{query}",
    )  # fmt: skip
    table = sorted(
        ({"code": c, "name": n, "value": values.get(c)} for c, n in provinces),
        key=lambda r: (r["value"] is None, -(r["value"] or 0)),
    )
    return render(
        request,
        "portal/map.html",
        {"campaign": campaign, "measure": measure, "measures": country_map.MEASURES.values(),
         "svg": svg, "table": table, "query": query, "shades": country_map.SHADES,
         "years": plan_selectors.campaign_years(public=True),
         "total": sum(v for v in values.values() if v is not None) if values else None},
    )  # fmt: skip


@cached(scopes=("outreach",), ttl=30)
@public
def country_province(request, code: str):
    """One province's communes, biggest first, with a bar each (the drill-down of the map)."""
    campaign, measure = _map_params(request)
    province = outreach_selectors.province_by_code(code)
    rows = outreach_selectors.session_totals(
        campaign=campaign, by="commune", province=province.code
    )
    rows = sorted(rows, key=lambda r: -(r[measure.field] or 0))
    top = max((r[measure.field] or 0 for r in rows), default=0) or 1
    for r in rows:
        r["value"] = r[measure.field]
        r["pct_bar"] = round(100 * (r["value"] or 0) / top)
    return render(
        request,
        "portal/map_province.html",
        {"campaign": campaign, "measure": measure, "measures": country_map.MEASURES.values(),
         "province": province, "rows": rows,
         "query": urlencode({"nam": campaign.year, "so_lieu": measure.key}),
         "total": sum(r["value"] or 0 for r in rows) if rows else None},
    )  # fmt: skip
