"""Small builders for activities tests."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile


def activity_data(**over):
    data = {
        "title": "Tuyên truyền Ngày Chuyển đổi số trên loa truyền thanh",
        "type": "radio",
        "starts_on": datetime.date(2025, 10, 1),
        "ends_on": datetime.date(2025, 10, 10),
        "description": "Phát 20 buổi trên hệ thống truyền thanh cơ sở.",
    }
    data.update(over)
    return data


def png_upload(name="anh.png", size=(8, 8)) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 20, 20)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf_upload(name="bien-ban.pdf") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")
