"""The documents of a report: DOCX (Decree 30), XLSX annex, PDF (the DOCX through LibreOffice).

A pure renderer: every document is drawn from the one `content` dict it is given (made by
`selectors.report_content`), and nothing here reads the database. `services.document_build`
reads the content and calls `render_document`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.text import slugify

from .docx import build_docx
from .pdf import DocumentUnavailable, docx_to_pdf
from .xlsx import build_xlsx

__all__ = ["DocumentUnavailable", "FORMATS", "document_filename", "render_document"]

FORMATS = ("docx", "xlsx", "pdf")


def document_filename(organisation_code: str, year: int, fmt: str) -> str:
    stem = "bao-cao" if fmt != "xlsx" else "phu-luc"
    return f"{stem}-{slugify(organisation_code)}-{year}.{fmt}"


def render_document(
    fmt: str, content: dict[str, Any], progress: Callable[[int], None] | None = None
) -> bytes:
    """The bytes of one document drawn from `content`. Raises DocumentUnavailable where the PDF
    cannot be made. The caller chooses the language (official documents are Vietnamese)."""
    progress = progress or (lambda p: None)
    if fmt == "docx":
        return build_docx(content, progress)
    if fmt == "xlsx":
        return build_xlsx(content, progress)
    if fmt == "pdf":
        return docx_to_pdf(build_docx(content, lambda p: progress(p // 2)))
    raise ValueError(fmt)
