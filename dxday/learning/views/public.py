"""Public pages: find a class near me, the class page and its A4 poster, the dashboards.

Anonymous GETs carry no per-visitor state (they extend `learning/public_base.html`, which has
no CSRF token and sets no cookie), so a shared cache can keep them for a minute. The
registration form (its own page) and the ticket page are per visitor and never cached.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from dxday.core.errors import DomainError
from dxday.core.pagecache import cached
from dxday.core.params import int_param, page_param
from dxday.core.ratelimit import rate_hit
from dxday.orgs.models import Commune, Province
from dxday.orgs.permissions import can
from dxday.orgs.throttle import client_ip

from .. import conf, selectors, services
from ..models import Offering, Registration
from ..topics import Topic


def _qr_svg(text: str, scale: int = 5) -> str:
    import segno

    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="svg", scale=scale, xmldecl=False, svgns=True)
    return buf.getvalue().decode()


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value[:10], fmt).date()
        except ValueError:
            continue
    return None


def _month_grid(year: int, month: int, days_with: set[dt.date]) -> list[list[dict | None]]:
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(
            [{"day": d, "has": d in days_with} if d.month == month else None for d in week]
        )
    return weeks


@cached(scopes=("learning",), ttl=30)
def find_classes(request):
    """Find a class near me: province → commune, date, topic, format, search, a calendar."""
    get = request.GET
    campaign = selectors.campaign_for_year(int_param(get.get("nam"), minimum=1900, maximum=9999))
    province = get.get("tinh") or None
    province = (
        province if province and Province.objects.filter(code=province[:2]).exists() else None
    )
    commune = get.get("xa") or None
    if commune and not (
        province and Commune.objects.filter(code=commune[:5], province_id=province).exists()
    ):
        commune = None  # fmt: skip
    topic = get.get("chu_de") if get.get("chu_de") in Topic.values else None
    fmt = get.get("hinh_thuc") if get.get("hinh_thuc") in ("in_person", "online") else None
    kind = get.get("loai") if get.get("loai") in Offering.Kind.values else None
    day = _date(get.get("ngay"))
    q = (get.get("q") or "").strip()[:100]
    qs = selectors.offering_public_list(
        campaign=campaign, province=province, commune=commune, q=q, kind=kind, topic=topic,
        fmt=fmt, day=day,
    ) if campaign else Offering.objects.none()  # fmt: skip
    page = Paginator(qs, 30).get_page(page_param(get.get("trang")))
    # The calendar: the month of the chosen day, else of 10/10 of the campaign year.
    anchor = day or dt.date(campaign.year if campaign else timezone.localdate().year, 10, 10)
    month_days = set()
    if campaign:
        undated = selectors.offering_public_list(
            campaign=campaign, province=province, commune=commune, q=q, kind=kind, topic=topic,
            fmt=fmt,
        )  # fmt: skip
        for start in undated.filter(
            starts_at__year=anchor.year, starts_at__month=anchor.month
        ).values_list("starts_at", flat=True)[:2000]:
            month_days.add(timezone.localtime(start).date())
    params = get.copy()
    params.pop("trang", None)
    params.pop("ngay", None)
    return render(
        request,
        "learning/find.html",
        {
            "campaign": campaign, "page": page, "provinces": Province.objects.order_by("name_sort"),
            "communes": Commune.objects.filter(province_id=province).order_by("name_sort")
            if province else [],
            "topics": Topic.choices, "kinds": Offering.Kind.choices,
            "f": {"tinh": province or "", "xa": commune or "", "chu_de": topic or "",
                  "hinh_thuc": fmt or "", "loai": kind or "", "q": q,
                  "ngay": day.isoformat() if day else ""},
            "weeks": _month_grid(anchor.year, anchor.month, month_days), "anchor": anchor,
            "base_query": params.urlencode(),
        },
    )  # fmt: skip


@cached(scopes=("learning",), ttl=30)
def class_page(request, pk: int):
    offering = selectors.offering_public(pk)
    return render(
        request,
        "learning/class.html",
        {"o": offering, "closed": services.registration_closed_reason(offering)},
    )


@cached(scopes=("learning",), ttl=300)
def class_poster(request, pk: int):
    """A printable A4 poster with a QR code to the class page."""
    offering = selectors.offering_public(pk)
    link = request.build_absolute_uri(reverse("learning:class", args=[offering.pk]))
    return render(
        request, "learning/poster.html", {"o": offering, "link": link, "qr": _qr_svg(link, 8)}
    )


@never_cache
def register_form(request, pk: int):
    """The registration form, on its own page (the one public page with a CSRF token)."""
    offering = selectors.offering_public(pk)
    closed = services.registration_closed_reason(offering)
    communes = Commune.objects.filter(province_id=offering.province_id).order_by("name_sort")
    official = request.user.is_authenticated and offering.audience != Offering.Audience.CITIZENS
    data = {"name": "", "commune": offering.commune_id or "", "contact": "", "invitation": ""}
    retry = None
    if request.method == "POST" and not closed:
        limit, window = conf.registration_rate()
        retry = rate_hit(f"learning-reg:{client_ip(request)}", limit=limit, window=window)
    if retry:
        messages.error(
            request,
            _("Gửi quá nhiều lần trong thời gian ngắn. Hãy thử lại sau %(s)s giây.") % {"s": retry},
        )
    elif request.method == "POST" and not closed:
        post = request.POST
        data = {k: (post.get(k) or "").strip()[:150] for k in data}
        commune = Commune.objects.filter(code=data["commune"][:5]).first() if data[
            "commune"] else None  # fmt: skip
        try:
            if official:
                actor = request.actor
                reg = services.registration_create(
                    offering=offering, name=request.user.full_name or request.user.username,
                    user=request.user, organisation=actor.organisation, commune=commune,
                    invitation_code=data["invitation"], by=actor,
                )  # fmt: skip
            else:
                reg = services.registration_create(
                    offering=offering, name=data["name"], commune=commune,
                    contact=data["contact"], invitation_code=data["invitation"],
                )  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("learning:ticket", code=reg.code)
    return render(
        request,
        "learning/register.html",
        {"o": offering, "closed": closed, "communes": communes, "data": data,
         "official": official},
    )  # fmt: skip


@never_cache
def ticket_page(request, code: str):
    """The ticket: QR code, status; confirm a held seat or cancel. Whoever has the code may."""
    reg = selectors.registration_by_code(code)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "cancel":
                services.registration_cancel(registration=reg)
                messages.success(request, _("Đã hủy đăng ký."))
            elif request.POST.get("action") == "confirm":
                services.registration_hold_confirm(registration=reg)
                messages.success(request, _("Đã xác nhận chỗ của bạn."))
            elif request.POST.get("action") == "attend":
                code = (request.POST.get("code") or "")[:20]
                services.attendance_by_code(registration=reg, code=code)
                messages.success(request, _("Đã ghi nhận bạn tham gia lớp học."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("learning:ticket", code=reg.code)
    payload = selectors.registration_qr(reg)
    return render(
        request,
        "learning/ticket.html",
        {
            "r": reg, "o": reg.offering, "payload": payload,
            "qr": _qr_svg(payload, 6) if reg.status in Registration.SEATED else None,
            "certificate": selectors.certificate_of_registration(reg),
            "can_manage": request.user.is_authenticated
            and can(request.actor, "learning.manage", reg.offering.organiser),
        },
    )  # fmt: skip


def _bars(rows: list[dict], key: str = "attendance") -> list[dict]:
    top = max((r[key] or 0 for r in rows), default=0) or 1
    for r in rows:
        r["pct_bar"] = round(100 * (r[key] or 0) / top)
    return rows


@cached(scopes=("learning",), ttl=30)
def dashboard(request):
    """Attendance from the roll-ups: by province (or by commune within one), topic, kind,
    audience; and trained officials per unit."""
    campaign = selectors.campaign_for_year(
        int_param(request.GET.get("nam"), minimum=1900, maximum=9999)
    )
    province = request.GET.get("tinh") or None
    province_obj = Province.objects.filter(code=province[:2]).first() if province else None
    context = {"campaign": campaign, "province": province_obj}
    if campaign is not None:
        code = province_obj.code if province_obj else None
        by = "commune" if province_obj else "province"
        context.update(
            areas=_bars(selectors.attendance_totals(campaign=campaign, by=by, province=code)),
            topics=_bars(selectors.attendance_totals(campaign=campaign, by="topic", province=code)),
            kinds=_bars(selectors.attendance_totals(campaign=campaign, by="kind", province=code)),
            audiences=_bars(
                selectors.attendance_totals(campaign=campaign, by="audience", province=code)
            ),
            figures=selectors.festival_figures(campaign),
        )
        context["total"] = sum(r["attendance"] for r in context["areas"])
    return render(request, "learning/dashboard.html", context)
