"""Material files are checked like evidence: by their content (never by name or the browser's
type), images re-encoded without their metadata, stored under random names."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from dxday.core.errors import DomainError

MAX_MATERIAL_BYTES = 15 * 1024 * 1024
MAX_IMAGE_PIXELS = 60_000_000
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg",
              "image/webp": ".webp"}  # fmt: skip


def _unsupported() -> DomainError:
    return DomainError(
        _("Chỉ nhận ảnh JPEG, PNG, WebP hoặc tệp PDF."), code="unsupported_file_type", status=422
    )


def sniff(upload) -> str:
    """The verified content type of an upload, or raise."""
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
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError) as exc:  # fmt: skip
        raise _unsupported() from exc
    finally:
        upload.seek(0)
    if too_big:
        raise DomainError(
            _("Ảnh quá lớn: tối đa %(mp)s triệu điểm ảnh.") % {"mp": MAX_IMAGE_PIXELS // 10**6},
            code="image_too_large",
            status=422,
        )
    if fmt not in IMAGE_FORMATS:
        raise _unsupported()
    return IMAGE_FORMATS[fmt]


def _strip_metadata(upload, content_type: str):
    from PIL import Image, ImageOps

    fmt = {v: k for k, v in IMAGE_FORMATS.items()}[content_type]
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        buffer = io.BytesIO()
        options = {"quality": 92} if fmt in ("JPEG", "WEBP") else {"optimize": True}
        image.save(buffer, format=fmt, **options)
    return SimpleUploadedFile(upload.name or "tep", buffer.getvalue(), content_type=content_type)


def prepare(upload) -> tuple[str, object]:
    """(verified content type, the bytes to store) for one upload, or raise."""
    if upload.size > MAX_MATERIAL_BYTES:
        raise DomainError(
            _("Tệp “%(name)s” quá lớn: tối đa %(mb)s MB.")
            % {"name": upload.name, "mb": MAX_MATERIAL_BYTES // (1024 * 1024)},
            code="file_too_large",
            status=422,
        )
    content_type = sniff(upload)
    if content_type != "application/pdf":
        upload = _strip_metadata(upload, content_type)
    return content_type, upload
