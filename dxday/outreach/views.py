"""Thin HTML views: the field app (PWA), public dashboards, coordinators' progress, team page."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from dxday.core.errors import DomainError
from dxday.core.params import int_param
from dxday.orgs.permissions import can, ensure_action

from . import selectors, services
from .models import TeamMember

# --- Field app (installable, offline) ------------------------------------------------------

FIELD_TEXTS = {
    "online": gettext_noop("Đang trực tuyến"),
    "offline": gettext_noop("Mất kết nối — lượt mới được lưu trên máy"),
    "never": gettext_noop("chưa"),
    "queued": gettext_noop("Đã lưu. Lượt này sẽ tự gửi khi có mạng."),
    "bad_token": gettext_noop(
        "Mã thiết bị không hợp lệ hoặc đã bị thu hồi. Hãy xin tổ trưởng mã mới."
    ),
    "no_team": gettext_noop("Tài khoản này không thuộc tổ công nghệ số cộng đồng nào."),
    "people": gettext_noop("Số người"),
    "households_required": gettext_noop("Cần nhập số hộ đã đến."),
    "people_required": gettext_noop("Cần nhập số người được hướng dẫn."),
    "topic_required": gettext_noop("Cần chọn ít nhất một nội dung đã hướng dẫn."),
    "when_required": gettext_noop("Cần nhập thời điểm hướng dẫn."),
    "member_required": gettext_noop("Cần chọn người hướng dẫn."),
    "member_choose": gettext_noop("— Chọn người hướng dẫn —"),
    "part_exceeds": gettext_noop(
        "Số người được hướng dẫn về “%(name)s” không được lớn hơn tổng số người."
    ),
    "outcome_exceeds": gettext_noop(
        "Kết quả của “%(name)s” không được lớn hơn số người được hướng dẫn về nội dung đó."
    ),  # noqa: E501
}


def _field_texts() -> dict[str, str]:
    return {k: _(v) for k, v in FIELD_TEXTS.items()}


def field(request):
    """The field app shell. It works from a device token stored on the phone."""
    actor = request.actor
    can_exchange = bool(
        request.user.is_authenticated
        and actor.has_action("outreach.log")
        and selectors.team_of_actor(actor) is not None
    )
    return render(
        request,
        "outreach/field.html",
        {"can_exchange": can_exchange, "i18n": _field_texts()},
    )


def _shell_version() -> str:
    """Changes whenever the shell's files change, so phones pick up a new version."""
    base = Path(__file__).parent
    digest = hashlib.sha256()
    for rel in ("static/outreach/field.js", "static/outreach/field.css",
                "templates/outreach/field.html", "templates/outreach/sw.js"):  # fmt: skip
        digest.update((base / rel).read_bytes())
    return digest.hexdigest()[:12]


_VERSION = _shell_version()


@cache_control(no_cache=True)
def field_sw(request):
    """The service worker, served from the app's own path so its scope covers the field app."""
    response = render(
        request, "outreach/sw.js", {"version": _VERSION}, content_type="application/javascript"
    )
    response["Service-Worker-Allowed"] = reverse("outreach:field")
    return response


@cache_control(max_age=86400)
def field_manifest(request):
    data = {
        "name": _("Ghi nhận đi từng ngõ, gõ từng nhà"),
        "short_name": _("Tổ CNSCĐ"),
        "lang": "vi",
        "start_url": reverse("outreach:field"),
        "scope": reverse("outreach:field"),
        "display": "standalone",
        "background_color": "#f3f5f8",
        "theme_color": "#0b4f9c",
        "icons": [
            {"src": reverse("outreach:field_icon"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("outreach/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("outreach/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96"><rect width="96" height="96" '
    'rx="18" fill="#0b4f9c"/><path d="M20 50 48 26l28 24v24H20z" fill="#fff"/><path d="M40 74V56h16'
    'v18" fill="#0b4f9c"/><circle cx="70" cy="26" r="10" fill="#ffbf47"/></svg>'
)


@cache_control(max_age=86400)
def field_icon(request):
    return HttpResponse(ICON, content_type="image/svg+xml")


@require_POST
def field_token(request):
    """A signed-in team member exchanges their session for a token on this phone."""
    if not request.user.is_authenticated:
        return JsonResponse({"code": "unauthorized", "message": _("Cần đăng nhập.")}, status=401)
    try:
        raw, _token = services.token_issue_for_self(
            actor=request.actor, device=request.POST.get("device", "")
        )
    except DomainError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status)
    return JsonResponse({"token": raw})


# --- Public dashboards (from roll-ups only) ------------------------------------------------


def _campaign(request):
    year = int_param(request.GET.get("campaign"), minimum=1900, maximum=9999)
    return selectors.campaign_for_page(year)


def _bars(rows: list[dict], key: str = "sessions") -> list[dict]:
    top = max((r[key] or 0 for r in rows), default=0) or 1
    for r in rows:
        r["pct_bar"] = round(100 * (r[key] or 0) / top)
    return rows


def _dashboard(request, template: str, **scope):
    figures = selectors.dashboard_figures(campaign=_campaign(request), **scope)
    for key in ("provinces", "communes", "topics", "days"):
        if key in figures:
            figures[key] = _bars(figures[key])
    return render(request, template, figures)


def dashboard(request):
    return _dashboard(request, "outreach/dashboard.html")


def dashboard_province(request, code: str):
    return _dashboard(request, "outreach/dashboard_province.html", province=code)


def dashboard_commune(request, code: str):
    return _dashboard(request, "outreach/dashboard_commune.html", commune=code)


# --- Coordinators: targets, progress, chase list ------------------------------------------


@login_required
def progress(request):
    actor = request.actor
    ensure_action(actor, "outreach.view")
    campaign = _campaign(request)
    if request.method == "POST":
        _target_post(request, campaign)
        return redirect(f"{reverse('outreach:progress')}?campaign={campaign.year}")
    context = selectors.progress_page(actor=actor, campaign=campaign)
    return render(request, "outreach/progress.html", context)


def _target_post(request, campaign) -> None:
    committee = selectors.get_committee_for_user(
        request.actor, int_param(request.POST.get("committee"))
    )
    households = int_param(request.POST.get("households"))
    accounts = int_param(request.POST.get("accounts"))
    if households is None or accounts is None:
        messages.error(request, _("Chỉ tiêu phải là số nguyên không âm."))
        return
    try:
        services.target_set(actor=request.actor, campaign=campaign, committee=committee,
                            households=households, accounts=accounts)  # fmt: skip
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã lưu chỉ tiêu của %(name)s.") % {"name": committee.name})


# --- Team leader: team, members, device tokens ---------------------------------------------


def _team_for_page(request):
    """The team asked for (`team`), else the actor's own; one permission check for both."""
    raw = request.GET.get("team") or request.POST.get("team")
    if not raw:
        return selectors.team_for_page(request.actor, None)
    return selectors.get_team_for_user(request.actor, int_param(raw))


def _team_url(team) -> str:
    return f"{reverse('outreach:team')}?team={team.pk}"


@login_required
def team_page(request):
    team = _team_for_page(request)
    context = {
        **selectors.team_overview(team),
        "can_manage": can(request.actor, "outreach.manage_team", team.organisation),
        "new_token": _with_qr(request, request.session.pop("outreach_new_token", None)),
    }
    return render(request, "outreach/team.html", context)


def _with_qr(request, new_token: dict | None) -> dict | None:
    """The one-time token, with a QR code of the field app's address carrying it: the member
    scans it with the phone's camera and the app stores the token (no typing)."""
    if not new_token:
        return None
    import io

    import segno

    link = request.build_absolute_uri(reverse("outreach:field")) + "#t=" + new_token["token"]
    buf = io.BytesIO()
    segno.make(link, error="m").save(buf, kind="svg", scale=5, xmldecl=False, svgns=True)
    return {**new_token, "link": link, "qr_svg": buf.getvalue().decode()}


@login_required
@require_POST
def member_add(request):
    team = _team_for_page(request)
    try:
        services.team_member_add(
            actor=request.actor,
            team=team,
            full_name=request.POST.get("full_name", ""),
            role=request.POST.get("role", TeamMember.Role.MEMBER),
            username=request.POST.get("username", ""),
        )
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã thêm thành viên vào tổ."))
    return redirect(_team_url(team))


@login_required
@require_POST
def token_issue(request):
    team = _team_for_page(request)
    member = selectors.get_member_for_user(
        request.actor, team, int_param(request.POST.get("member"))
    )
    try:
        raw, _token = services.device_token_issue(
            actor=request.actor, member=member, label=request.POST.get("label", "")
        )
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
        return redirect(_team_url(team))
    request.session["outreach_new_token"] = {"token": raw, "member": member.full_name}
    return redirect(_team_url(team))


@login_required
@require_POST
def token_revoke(request, pk: int):
    token, team = selectors.get_device_token_for_user(request.actor, pk)
    try:
        services.device_token_revoke(actor=request.actor, token=token)
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã thu hồi mã thiết bị; điện thoại đó không gửi được nữa."))
    return redirect(_team_url(team))


# --- Import teams and members of a commune (XLSX/CSV) --------------------------------------
@login_required
def team_import_template(request):
    from .imports import team_template_xlsx

    ensure_action(request.actor, "outreach.manage")
    response = HttpResponse(
        team_template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-to-cong-nghe-so.xlsx"'
    return response


# The committee list shows at most this many matches; past it the page says how many there are
# and asks for a search (a national coordinator sees 3,321 communes).
COMMITTEE_CHOICES = 200


@login_required
def team_import(request):
    from dxday.core.imports import read_rows, run_import

    from .imports import TeamMemberImport

    actor = request.actor
    ensure_action(actor, "outreach.manage")
    query = (request.GET.get("q") or "").strip()[:100]
    committees, total = selectors.committee_choices(actor, query=query, limit=COMMITTEE_CHOICES)
    report = None
    if request.method == "POST":
        committee_id = int_param(request.POST.get("committee"))
        upload = request.FILES.get("file")
        if committee_id is None or upload is None:
            messages.error(request, _("Hãy chọn xã, phường và tệp cần nhập."))
        else:
            committee = selectors.get_committee_for_user(actor, committee_id)
            try:
                rows = read_rows(upload)
                importer = TeamMemberImport(actor=actor, committee=committee)
                report = run_import(importer, rows, dry_run=bool(request.POST.get("dry_run")))
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                if report.ok and not report.dry_run:
                    messages.success(
                        request, _("Đã nhập %(n)s thành viên tổ.") % {"n": report.saved}
                    )
    context = {
        "committees": committees,
        "committees_total": total,
        "committees_cut": total > len(committees),
        "query": query,
        "report": report,
    }
    return render(request, "outreach/team_import.html", context)
