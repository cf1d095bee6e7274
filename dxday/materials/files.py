"""Material files are checked like evidence: by their content (never by name or the browser's
type), images re-encoded without their metadata, stored under random names."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dxday.core.errors import DomainError
from dxday.core.uploads import sniff_content_type, strip_image_metadata

MAX_MATERIAL_BYTES = 15 * 1024 * 1024
MAX_IMAGE_PIXELS = 60_000_000
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg",
              "image/webp": ".webp"}  # fmt: skip


def prepare(upload) -> tuple[str, object]:
    """(verified content type, the bytes to store) for one upload, or raise."""
    if upload.size > MAX_MATERIAL_BYTES:
        raise DomainError(
            _("Tệp “%(name)s” quá lớn: tối đa %(mb)s MB.")
            % {"name": upload.name, "mb": MAX_MATERIAL_BYTES // (1024 * 1024)},
            code="file_too_large",
            status=422,
        )
    content_type = sniff_content_type(upload, max_pixels=MAX_IMAGE_PIXELS)
    if content_type != "application/pdf":
        upload = strip_image_metadata(upload, content_type)
    return content_type, upload
