"""Pages of materials: the public library (searchable without diacritics, by kind and issuer),
an item behind its short URL, its files (counted), QR codes and QR blocks, and the
coordinators' pages to publish items and new versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dxday.core.errors import DomainError
from dxday.core.http import public_url
from dxday.core.pagecache import cached
from dxday.core.params import int_param, page_param
from dxday.orgs.permissions import ensure_action

from . import qr, selectors, services
from .models import Material

PAGE_SIZE = 24
QR_FORMATS = {"png": "image/png", "svg": "image/svg+xml"}


def _actor(request):
    return request.actor if request.user.is_authenticated else None


def absolute(request, path: str) -> str:
    """The address printed in a QR code (core.http.public_url)."""
    return public_url(path, request)


def item_url(request, material: Material) -> str:
    return absolute(request, reverse("materials:item", args=[material.short_code]))


def library_path(year: int, issuer_code: str | None = None) -> str:
    if issuer_code:
        return reverse("materials:library_short_issuer", args=[year, issuer_code])
    return reverse("materials:library_short", args=[year])


# --- public ------------------------------------------------------------------------------------


def _library(request, year: int | None, issuer_code: str | None):
    actor = _actor(request)
    campaign = selectors.campaign_for_page(year)
    issuer = selectors.issuer_by_code(issuer_code or request.GET.get("don_vi") or None)
    q = (request.GET.get("q") or "").strip()[:100]
    kind = request.GET.get("loai") or ""
    qs = selectors.material_library(actor, campaign=campaign, q=q, kind=kind, issuer=issuer)
    page = Paginator(qs, PAGE_SIZE).get_page(page_param(request.GET.get("trang")))
    query = urlencode({k: v for k, v in request.GET.items() if k != "trang" and v})
    short = library_path(campaign.year, issuer.code if issuer else None)
    return render(
        request,
        "materials/library.html",
        {
            "campaign": campaign,
            "page": page,
            "query": query,
            "q": q,
            "kind": kind,
            "issuer": issuer,
            "issuers": selectors.material_issuers(actor, campaign),
            "kinds": Material.Kind.choices,
            "years": selectors.campaign_years(),
            "short_url": absolute(request, short),
            "short_path": short,
            "can_manage": request.user.is_authenticated
            and request.actor.has_action("materials.manage"),
        },
    )


@cached(scopes=("materials",), ttl=120)
def library(request):
    year = int_param(request.GET.get("nam"), minimum=2000, maximum=2999)
    return _library(request, year, None)


@cached(scopes=("materials",), ttl=120)
def library_short(request, year: int, issuer: str | None = None):
    if not 2000 <= year <= 2999:
        raise Http404
    return _library(request, year, issuer)


@cached(scopes=("materials",), ttl=120)
def item(request, code: str):
    material = selectors.get_material_by_code(_actor(request), code)
    return render(
        request,
        "materials/item.html",
        {
            "material": material,
            "versions": selectors.material_versions(material),
            "short_url": item_url(request, material),
            "can_manage": request.user.is_authenticated
            and request.actor.has_action("materials.manage"),
        },
    )


def file(request, code: str, number: int | None = None):
    """One version's file (the current one by default), counted; never rendered as HTML."""
    material = selectors.get_material_by_code(_actor(request), code)
    version = selectors.get_version(material, number)
    if not version.file:
        if version.link:  # a video link: counted, then sent on
            services.material_download_count(material=material)
            return redirect(version.link)
        raise Http404
    services.material_download_count(material=material)
    ext = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg",
           "image/webp": ".webp"}.get(version.content_type, "")  # fmt: skip
    response = FileResponse(
        version.file.open("rb"),
        content_type=version.content_type,
        as_attachment=True,
        filename=f"tai-lieu-{material.short_code}-v{version.number}{ext}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # Counted per download: a shared cache must not answer in our place.
    response["Cache-Control"] = "private, no-store"
    return response


def preview(request, code: str):
    """The current image shown inline on the item page (not counted as a download)."""
    material = selectors.get_material_by_code(_actor(request), code)
    version = selectors.get_version(material, None)
    if not version.file or not version.is_image:
        raise Http404
    response = FileResponse(version.file.open("rb"), content_type=version.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=300" if material.is_public else "private, no-store"
    return response


def _image(body: bytes, fmt: str, name: str, *, public_item: bool) -> HttpResponse:
    response = HttpResponse(body, content_type=QR_FORMATS[fmt])
    response["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = "public, max-age=86400" if public_item else "private, no-store"
    return response


def item_qr(request, code: str, fmt: str, block: bool = False):
    if fmt not in QR_FORMATS:
        raise Http404
    material = selectors.get_material_by_code(_actor(request), code)
    url = item_url(request, material)
    if block:
        caption = _("Quét mã để xem và tải tài liệu")
        body = (qr.qr_block_png if fmt == "png" else qr.qr_block_svg)(url, material.title, caption)
        name = f"qr-khoi-{material.short_code}"
    else:
        body = qr.qr_png(url) if fmt == "png" else qr.qr_svg(url)
        name = f"qr-{material.short_code}"
    return _image(body, fmt, name, public_item=material.is_public)


def library_qr(request, year: int, fmt: str, issuer: str | None = None, block: bool = False):
    if fmt not in QR_FORMATS:
        raise Http404
    campaign = selectors.campaign_for_page(year if 2000 <= year <= 2999 else 0)
    org = selectors.issuer_by_code(issuer)
    url = absolute(request, library_path(campaign.year, org.code if org else None))
    if block:
        title = _("Tài liệu Ngày Chuyển đổi số quốc gia năm %(year)s") % {"year": campaign.year}
        if org is not None:
            title = f"{title} — {org.name}"
        body = (qr.qr_block_png if fmt == "png" else qr.qr_block_svg)(
            url, title, _("Quét mã để lấy tài liệu")
        )
    else:
        body = qr.qr_png(url) if fmt == "png" else qr.qr_svg(url)
    return _image(body, fmt, f"qr-thu-vien-{campaign.year}", public_item=True)


# --- coordinators -----------------------------------------------------------------------------


def _form_values(request) -> dict:
    post = request.POST
    return {
        "title": post.get("title", "")[:200],
        "description": post.get("description", "")[:2000],
        "kind": post.get("kind", ""),
        "visibility": post.get("visibility", Material.Visibility.PUBLIC),
    }


@login_required
def manage(request):
    """My subtree's items and the form to publish a new one."""
    actor = request.actor
    ensure_action(actor, "materials.manage")
    campaign = selectors.campaign_for_page(
        int_param(
            request.GET.get("nam") or request.POST.get("campaign"), minimum=2000, maximum=2999
        )  # fmt: skip
    )
    values = {"visibility": Material.Visibility.PUBLIC}
    if request.method == "POST":
        values = _form_values(request)
        try:
            material = services.material_create(
                by=actor, campaign=campaign, upload=request.FILES.get("file"),
                link=request.POST.get("link", "")[:500], **values,
            )  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã đăng “%(title)s”.") % {"title": material.title})
            return redirect("materials:manage_detail", pk=material.pk)
    page = Paginator(selectors.materials_for_manage(actor, campaign), 50).get_page(
        page_param(request.GET.get("trang"))
    )
    return render(
        request,
        "materials/manage.html",
        {"campaign": campaign, "page": page, "values": values, "kinds": Material.Kind.choices,
         "visibilities": Material.Visibility.choices, "years": selectors.campaign_years()},
    )  # fmt: skip


@login_required
def manage_detail(request, pk: int):
    actor = request.actor
    material = selectors.get_material_for_manage(actor, pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "version":
                version = services.material_version_add(
                    material=material, by=actor, upload=request.FILES.get("file"),
                    link=request.POST.get("link", "")[:500], note=request.POST.get("note", ""),
                )  # fmt: skip
                messages.success(request, _("Đã thêm phiên bản %(n)s.") % {"n": version.number})
            else:
                services.material_update(material=material, by=actor, **_form_values(request))
                messages.success(request, _("Đã lưu thay đổi."))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("materials:manage_detail", pk=material.pk)
    return render(
        request,
        "materials/manage_detail.html",
        {"material": material, "versions": selectors.material_versions(material),
         "kinds": Material.Kind.choices, "visibilities": Material.Visibility.choices,
         "short_url": item_url(request, material)},
    )  # fmt: skip
