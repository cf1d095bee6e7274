"""The documents of a report: DOCX (Decree 30), XLSX annex, PDF (the DOCX through LibreOffice).

Every document is built from one `content` dict, made by `report_content`: for an accepted
report, the latest frozen snapshot; otherwise the live figures of `selectors.report_figures`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import translation
from django.utils.text import slugify

from ..models import Report
from ..selectors import report_figures
from .docx import build_docx
from .pdf import DocumentUnavailable, docx_to_pdf
from .xlsx import build_xlsx

__all__ = ["DocumentUnavailable", "build_document", "report_content"]


def report_content(
    *,
    organisation,
    campaign,
    report: Report | None = None,
    period: tuple[datetime.date, datetime.date] | None = None,
) -> dict[str, Any]:
    from ..services import report_defaults

    if report is not None and report.status == Report.Status.ACCEPTED:
        snap = report.snapshots.order_by("-version").first()
        if snap is not None:
            return {
                "year": campaign.year,
                "organisation_name": organisation.name,
                "header": snap.header,
                "narrative": snap.narrative,
                "explanations": snap.explanations,
                "figures": snap.figures,
                "version": snap.version,
            }
    if report is not None:
        header, narrative = report.header(), report.narrative()
        explanations = dict(report.explanations or {})
        period = report.period
    else:
        header = {**report_defaults(organisation, campaign), "issued_on": None}
        narrative, explanations = {}, {}
    return {
        "year": campaign.year,
        "organisation_name": organisation.name,
        "header": header,
        "narrative": narrative,
        "explanations": explanations,
        "figures": report_figures(organisation, campaign, period),
        "version": None,
    }


def document_filename(organisation, campaign, fmt: str) -> str:
    stem = "bao-cao" if fmt != "xlsx" else "phu-luc"
    return f"{stem}-{slugify(organisation.code)}-{campaign.year}.{fmt}"


def build_document(
    fmt: str,
    *,
    organisation,
    campaign,
    report: Report | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[bytes, str]:
    """(bytes, filename) of one document. Raises DocumentUnavailable where PDF cannot be made."""
    progress = progress or (lambda p: None)
    # An official document is Vietnamese whatever language the person downloading it reads.
    with translation.override("vi"):
        content = report_content(organisation=organisation, campaign=campaign, report=report)
        progress(10)
        if fmt == "docx":
            data = build_docx(content, progress)
        elif fmt == "xlsx":
            data = build_xlsx(content, progress)
        elif fmt == "pdf":
            data = docx_to_pdf(build_docx(content, lambda p: progress(p // 2)))
        else:
            raise ValueError(fmt)
    progress(100)
    return data, document_filename(organisation, campaign, fmt)
