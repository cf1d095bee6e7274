"""Demo materials: the 2025 national set and Thanh Hóa's set (the dispatch 002 tells every
recipient to "lấy thông tin tại mã QR kèm theo"), each item a small generated file (a poster
drawn with Pillow, a one-page PDF) or a video link, published through the services.

Idempotent: an item is looked up by issuer, campaign and title before it is created.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from dxday.orgs.models import Membership, Organisation, Role
from dxday.orgs.permissions import Actor
from dxday.plans.models import Campaign

from . import services
from .models import Material

K, V = Material.Kind, Material.Visibility
MESSAGE = "Chuyển đổi số: Nhanh hơn, hiệu quả hơn, gần dân hơn"
NATIONAL = [
    (K.POSTER, "Áp phích Ngày Chuyển đổi số quốc gia 10/10/2025", V.PUBLIC, ("poster", "#1f4e79")),
    (K.BANNER, "Băng rôn thông điệp năm 2025", V.PUBLIC, ("banner", "#b22222")),
    (
        K.INFOGRAPHIC,
        "Infographic: Đi từng ngõ, gõ từng nhà, hướng dẫn từng người dân",
        V.PUBLIC,
        ("poster", "#2e7d32"),
    ),
    (K.MESSAGE, "Thông điệp Ngày Chuyển đổi số quốc gia năm 2025", V.PUBLIC, ("banner", "#1f4e79")),
    (K.LOGO, "Biểu trưng Ngày Chuyển đổi số quốc gia", V.PUBLIC, ("logo", "#1f4e79")),
    (K.PLAN, "Kế hoạch tổ chức Ngày Chuyển đổi số quốc gia năm 2025", V.PUBLIC, ("pdf", None)),
    (
        K.VIDEO,
        "Video clip hưởng ứng Ngày Chuyển đổi số quốc gia 2025",
        V.PUBLIC,
        ("link", "https://video.example/ngay-chuyen-doi-so-quoc-gia-2025"),
    ),
    (
        K.DISPATCH,
        "Hướng dẫn nội bộ tổng hợp số liệu báo cáo (dành cho đơn vị)",
        V.SUBTREE,
        ("pdf", None),
    ),
]
THANH_HOA = [
    (
        K.DISPATCH,
        "Công văn hưởng ứng Ngày Chuyển đổi số quốc gia năm 2025 (Sở KH&CN Thanh Hóa)",
        V.PUBLIC,
        ("pdf", None),
    ),
    (
        K.POSTER,
        "Áp phích chuỗi sự kiện hưởng ứng trên địa bàn tỉnh Thanh Hóa",
        V.PUBLIC,
        ("poster", "#6a1b9a"),
    ),
    (
        K.INFOGRAPHIC,
        "Infographic Tổ công nghệ số cộng đồng Thanh Hóa",
        V.PUBLIC,
        ("poster", "#00695c"),
    ),
    (
        K.DISPATCH,
        "Danh sách đầu mối chuyển đổi số các xã, phường (nội bộ)",
        V.SUBTREE,
        ("pdf", None),
    ),
]


def _font(size: int, bold: bool = True):
    from .qr import _font as font

    return font(size, bold)


def poster_png(title: str, colour: str, shape: str = "poster") -> bytes:
    """A small poster, banner or logo drawn with Pillow: the title and the year's message."""
    import textwrap

    from PIL import Image, ImageDraw

    size = {"poster": (600, 840), "banner": (1200, 300), "logo": (400, 400)}[shape]
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    w, h = size
    if shape == "logo":
        draw.ellipse((40, 40, w - 40, h - 40), outline="white", width=14)
        draw.text((w // 2, h // 2), "10/10", fill="white", font=_font(72), anchor="mm")
    else:
        width = 26 if shape == "poster" else 60
        lines = textwrap.wrap(title, width=width)[:4]
        big = _font(40 if shape == "poster" else 44)
        y = 80 if shape == "poster" else 40
        for line in lines:
            draw.text((w // 2, y), line, fill="white", font=big, anchor="ma")
            y += 56
        draw.text(
            (w // 2, h - 90 if shape == "poster" else h - 70),
            MESSAGE,
            fill="#ffd54f",
            font=_font(18 if shape == "poster" else 30),
            anchor="ma",
        )
        if shape == "poster":
            draw.rectangle((60, y + 40, w - 60, h - 140), outline="white", width=4)
            draw.text(
                (w // 2, (y + h - 100) // 2), "10/10", fill="white", font=_font(120), anchor="mm"
            )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def tiny_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a few ASCII lines of Helvetica (a placeholder for the real document)."""
    text = (
        "BT /F1 14 Tf 60 780 Td 18 TL "
        + " ".join(
            "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
            for line in lines
        )
        + " ET"
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def _ascii(text: str) -> str:
    from dxday.core.text import search_key

    return search_key(text)


def _upload(title: str, spec) -> tuple[SimpleUploadedFile | None, str]:
    what, arg = spec
    if what == "link":
        return None, arg
    if what == "pdf":
        body = tiny_pdf(["Ngay Chuyen doi so quoc gia 2025", _ascii(title)[:80], _ascii(MESSAGE)])
        return SimpleUploadedFile("tai-lieu.pdf", body, content_type="application/pdf"), ""
    body = poster_png(title, arg, what)
    return SimpleUploadedFile("anh.png", body, content_type="image/png"), ""


def _coordinator(org_code: str) -> Actor | None:
    membership = (
        Membership.objects.filter(organisation__code=org_code, role=Role.COORDINATOR)
        .select_related("user", "organisation")
        .order_by("pk")
        .first()
    )
    return Actor(user=membership.user, membership=membership) if membership else None


def _publish(actor: Actor, campaign: Campaign, items, downloads: int) -> int:
    added = 0
    for i, (kind, title, visibility, spec) in enumerate(items):
        if Material.objects.filter(
            organisation=actor.organisation, campaign=campaign, title=title
        ).exists():
            continue
        upload, link = _upload(title, spec)
        material = services.material_create(
            by=actor,
            campaign=campaign,
            kind=kind,
            title=title,
            visibility=visibility,
            upload=upload,
            link=link,
            description=MESSAGE if kind == K.MESSAGE else "",
        )
        Material.objects.filter(pk=material.pk).update(downloads=downloads // (i + 1))
        added += 1
    return added


def seed(stdout=None) -> None:
    campaign = Campaign.objects.filter(year=2025).first()
    if campaign is None or not Organisation.objects.filter(code="tinh-38").exists():
        return
    added = 0
    for code, items, downloads in (("bo-khcn", NATIONAL, 12_480), ("tinh-38", THANH_HOA, 2_310)):
        actor = _coordinator(code)
        if actor is not None:
            added += _publish(actor, campaign, items, downloads)
    if stdout is not None:
        stdout.write(f"Tài liệu truyền thông: thêm {added}, tổng {Material.objects.count()}.")
