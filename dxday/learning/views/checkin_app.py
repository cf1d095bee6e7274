"""The check-in app (installable, offline): shell, service worker, manifest, icon."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import cache_control

TEXTS = {
    "online": gettext_noop("Đang trực tuyến"),
    "offline": gettext_noop("Mất kết nối — lượt điểm danh được lưu trên máy"),
    "never": gettext_noop("chưa"),
    "bad_ticket": gettext_noop("Vé không hợp lệ."),
    "wrong_offering": gettext_noop("Vé này của một lớp học khác."),
    "revoked": gettext_noop("Vé này đã bị hủy."),
    "seen_here": gettext_noop("Vé này đã được điểm danh trên máy này."),
    "checked_in": gettext_noop("Đã điểm danh. Lượt này sẽ tự gửi khi có mạng."),
    "no_offering": gettext_noop("Hãy chọn lớp học trước."),
    "lookup_offline": gettext_noop("Cần có mạng để tra theo tên; hãy quét mã QR hoặc nhập mã vé."),
    "not_found": gettext_noop("Không tìm thấy người đăng ký nào."),
    "check_in_button": gettext_noop("Điểm danh"),
    "dup_line": gettext_noop("%(name)s — đã điểm danh trên máy %(device)s lúc %(when)s"),
    "retry": gettext_noop(
        "Chưa gửi được; các lượt vẫn được giữ trên máy và sẽ tự gửi lại sau %(s)s giây."
    ),  # noqa: E501
    "auth": gettext_noop("Tài khoản này không được phép điểm danh. Hãy đăng nhập lại."),
    "login_failed": gettext_noop(
        "Không đăng nhập được. Hãy kiểm tra tên đăng nhập, mật khẩu và mạng."
    ),  # noqa: E501
    "no_camera": gettext_noop("Không mở được camera; hãy nhập mã vé."),
    "device_prefix": gettext_noop("máy"),
}

BASE = Path(__file__).resolve().parent.parent


def _version() -> str:
    digest = hashlib.sha256()
    for rel in ("static/learning/checkin.js", "static/learning/checkin.css",
                "templates/learning/checkin.html", "templates/learning/checkin_sw.js"):  # fmt: skip
        digest.update((BASE / rel).read_bytes())
    return digest.hexdigest()[:12]


_VERSION = _version()


def checkin(request):
    """The app shell: no per-visitor state (it works from a token kept on the phone)."""
    return render(request, "learning/checkin.html", {"i18n": {k: _(v) for k, v in TEXTS.items()}})


@cache_control(no_cache=True)
def checkin_sw(request):
    response = render(
        request, "learning/checkin_sw.js", {"version": _VERSION},
        content_type="application/javascript",
    )  # fmt: skip
    response["Service-Worker-Allowed"] = reverse("learning:checkin")
    return response


@cache_control(max_age=86400)
def checkin_manifest(request):
    data = {
        "name": _("Điểm danh lớp học số"),
        "short_name": _("Điểm danh"),
        "lang": "vi",
        "start_url": reverse("learning:checkin"),
        "scope": reverse("learning:checkin"),
        "display": "standalone",
        "background_color": "#f5f2f4",
        "theme_color": "#7a1f5c",
        "icons": [
            {"src": reverse("learning:checkin_icon"), "sizes": "any", "type": "image/svg+xml"}
        ],
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96"><rect width="96" height="96" '
    'rx="18" fill="#7a1f5c"/><rect x="22" y="22" width="22" height="22" fill="#fff"/><rect x="52" '
    'y="22" width="22" height="22" fill="#fff"/><rect x="22" y="52" width="22" height="22" '
    'fill="#fff"/><path d="m54 64 7 7 13-15" stroke="#ffbf47" stroke-width="6" fill="none"/></svg>'
)


@cache_control(max_age=86400)
def checkin_icon(request):
    return HttpResponse(ICON, content_type="image/svg+xml")
