"""The certificate as an A4 landscape PDF in Vietnamese, with the verification QR."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import fontpkg_be_vietnam_pro
import segno
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from .models import Certificate
from .selectors import certificate_qr_text

_FONT_DIR = Path(fontpkg_be_vietnam_pro.__file__).parent / "files"
_GREEN = (0.05, 0.33, 0.22)


@lru_cache(maxsize=1)
def _fonts() -> tuple[str, str]:
    # Be Vietnam Pro is drawn for Vietnamese (every stacked tone mark), from a package.
    pdfmetrics.registerFont(TTFont("BeVietnamPro", str(_FONT_DIR / "BeVietnamPro-Regular.ttf")))
    pdfmetrics.registerFont(TTFont("BeVietnamPro-Bold", str(_FONT_DIR / "BeVietnamPro-Bold.ttf")))
    return "BeVietnamPro", "BeVietnamPro-Bold"


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and pdfmetrics.stringWidth(trial, font, size) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    if line:
        lines.append(line)
    return lines


def certificate_pdf(cert: Certificate) -> bytes:
    regular, bold = _fonts()
    width, height = landscape(A4)
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=(width, height), initialFontName=regular)
    pdf.setTitle(_("Giấy chứng nhận %(code)s") % {"code": cert.code})
    pdf.setAuthor(cert.issuer.name)

    pdf.setStrokeColorRGB(*_GREEN)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setLineWidth(0.8)
    pdf.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)

    centre = width / 2
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont(bold, 12)
    pdf.drawCentredString(centre, height - 30 * mm, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
    pdf.setFont(bold, 11)
    pdf.drawCentredString(centre, height - 36 * mm, _("Độc lập - Tự do - Hạnh phúc"))
    pdf.setFont(regular, 12)
    pdf.drawCentredString(centre, height - 46 * mm, cert.issuer.name.upper())

    pdf.setFillColorRGB(*_GREEN)
    pdf.setFont(bold, 30)
    pdf.drawCentredString(centre, height - 66 * mm, _("GIẤY CHỨNG NHẬN"))
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont(regular, 14)
    pdf.drawCentredString(centre, height - 80 * mm, _("Chứng nhận Ông/Bà"))
    pdf.setFont(bold, 24)
    pdf.drawCentredString(centre, height - 94 * mm, cert.holder_name)
    pdf.setFont(regular, 14)
    y = height - 108 * mm
    for line in _wrap(cert.title, regular, 14, width - 110 * mm)[:4]:
        pdf.drawCentredString(centre, y, line)
        y -= 7 * mm

    when = cert.issued_on.strftime("%d/%m/%Y")
    pdf.setFont(regular, 12)
    pdf.drawString(width - 120 * mm, 42 * mm, _("Ngày cấp: %(date)s") % {"date": when})
    pdf.drawString(width - 120 * mm, 35 * mm, _("Số hiệu: %(code)s") % {"code": cert.code})

    qr = segno.make(certificate_qr_text(cert), error="m")
    png = io.BytesIO()
    qr.save(png, kind="png", scale=6, border=2)
    png.seek(0)
    size = 36 * mm
    pdf.drawImage(ImageReader(png), 24 * mm, 24 * mm, size, size)
    pdf.setFont(regular, 9)
    pdf.drawString(24 * mm + size + 4 * mm, 34 * mm, _("Quét mã QR để xác thực chứng nhận"))
    pdf.drawString(24 * mm + size + 4 * mm, 29 * mm, certificate_qr_text(cert).split("#")[0])

    if not cert.is_valid:
        pdf.setFillColorRGB(0.75, 0.1, 0.1)
        pdf.setFont(bold, 40)
        pdf.saveState()
        pdf.translate(centre, height / 2)
        pdf.rotate(20)
        pdf.drawCentredString(0, 0, _("ĐÃ THU HỒI"))
        pdf.restoreState()

    pdf.showPage()
    pdf.save()
    return buf.getvalue()
