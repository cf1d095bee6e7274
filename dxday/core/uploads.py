"""Uploaded files checked by their content, never by their name or the browser's word: photos
(JPEG, PNG, WebP, re-encoded without metadata) and PDFs. Evidence, materials and award entries
all store files this way."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from .errors import DomainError

MAX_IMAGE_PIXELS = 40_000_000
_IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def sniff_content_type(upload) -> str:
    """The verified content type of an upload, or raise. Never trusts the name or the browser."""
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(upload) as image:
            fmt = image.format
            too_big = image.width * image.height > MAX_IMAGE_PIXELS
            image.verify()
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
    ) as exc:
        raise DomainError(
            _("Chỉ nhận ảnh JPEG, PNG, WebP hoặc tệp PDF."), code="unsupported_file_type"
        ) from exc
    finally:
        upload.seek(0)
    if too_big:
        raise DomainError(
            _("Ảnh quá lớn: tối đa %(mp)s triệu điểm ảnh.") % {"mp": MAX_IMAGE_PIXELS // 10**6},
            code="image_too_large",
        )
    if fmt not in _IMAGE_FORMATS:
        raise DomainError(
            _("Chỉ nhận ảnh JPEG, PNG, WebP hoặc tệp PDF."), code="unsupported_file_type"
        )
    return _IMAGE_FORMATS[fmt]


def strip_image_metadata(upload, content_type: str):
    """Re-encode a photo without its metadata: phones write the GPS position and the device into
    EXIF, and re-encoding also drops anything smuggled after the image data."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageOps

    fmt = {v: k for k, v in _IMAGE_FORMATS.items()}[content_type]
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        buffer = io.BytesIO()
        options = {"quality": 90} if fmt in ("JPEG", "WEBP") else {"optimize": True}
        image.save(buffer, format=fmt, **options)
    upload.seek(0)
    return SimpleUploadedFile(upload.name or "anh", buffer.getvalue(), content_type=content_type)
