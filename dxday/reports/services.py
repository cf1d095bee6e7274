"""Every write in reports: drafting, narrative, travel upward, snapshots, document jobs."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dxday.core.audit import audit, audit_created, diff, snapshot
from dxday.core.errors import DomainError
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import Actor, can, ensure_can
from dxday.plans.models import Campaign

from .documents import DocumentUnavailable, document_filename, render_document
from .models import NARRATIVE_FIELDS, Report, ReportJob, ReportSnapshot
from .selectors import (
    figure_index,
    parent_organisation,
    report_content,
    report_defaults,
    report_figures,
)
from .signals import report_job_queued

HEADER_FIELDS = (
    "number", "parent_agency", "issuing_agency", "addressee", "place", "issued_on",
    "authority_line", "signer_title", "signer_name", "recipients", "archive_unit",
    "party_standard",
)  # fmt: skip


@transaction.atomic
def report_draft(
    *,
    organisation: Organisation,
    campaign: Campaign,
    by: Actor,
    period: tuple[datetime.date, datetime.date] | None = None,
) -> Report:
    """The organisation's report for the campaign (and period): the existing one or a new draft."""
    ensure_can(by, "reports.draft", organisation)
    start, end = period if period else (None, None)
    existing = Report.objects.filter(
        organisation=organisation, campaign=campaign, period_start=start, period_end=end
    ).first()
    if existing is not None:
        return existing
    report = Report(
        organisation=organisation,
        campaign=campaign,
        period_start=start,
        period_end=end,
        **report_defaults(organisation, campaign),
    )
    report.full_clean()
    report.save()
    audit_created(report, "reports.report.drafted", by=by)
    return report


def _ensure_editable(report: Report) -> None:
    if not report.is_editable:
        raise DomainError(
            _("Báo cáo đã gửi hoặc đã được tiếp nhận nên không thể sửa."),
            code="report_locked",
            status=409,
        )


@transaction.atomic
def report_update_narrative(
    *,
    report: Report,
    by: Actor,
    narrative: dict[str, str] | None = None,
    explanations: dict[str, str] | None = None,
    header: dict[str, Any] | None = None,
) -> Report:
    """Edit the narrative, the explanations next to figures and the header of a draft.

    Figures themselves cannot be typed over: an explanation is keyed by the code of a figure
    that the data produces, and anything else is refused.
    """
    ensure_can(by, "reports.draft", report.organisation)
    _ensure_editable(report)
    before = snapshot(report)
    for key, value in (narrative or {}).items():
        if key not in NARRATIVE_FIELDS:
            raise DomainError(
                _("Phần nội dung “%(key)s” không có trong báo cáo.") % {"key": key},
                code="unknown_section",
            )
        setattr(report, key, (value or "").strip())
    if explanations is not None:
        known = figure_index(report_figures(report.organisation, report.campaign, report.period))
        cleaned = {}
        for code, text in explanations.items():
            if code not in known:
                raise DomainError(
                    _("Chỉ tiêu “%(code)s” không có trong số liệu báo cáo.") % {"code": code},
                    code="unknown_figure",
                )
            if (text or "").strip():
                cleaned[code] = text.strip()
        report.explanations = cleaned
    for key, value in (header or {}).items():
        if key not in HEADER_FIELDS:
            raise DomainError(
                _("Trường “%(key)s” không sửa được ở đây.") % {"key": key}, code="unknown_field"
            )
        if key == "recipients" and isinstance(value, str):
            value = [line.strip() for line in value.splitlines() if line.strip()]
        setattr(report, key, value)
    report.full_clean()
    report.save()
    changes = diff(before, report)
    if changes:
        audit(report, "reports.report.edited", by=by, changes=changes)
    return report


@transaction.atomic
def report_submit(*, report: Report, by: Actor) -> Report:
    """Send the report to the organisation above."""
    ensure_can(by, "reports.draft", report.organisation)
    _ensure_editable(report)
    if report.organisation.depth <= 1:
        raise DomainError(
            _("Đơn vị cấp cao nhất không gửi báo cáo lên cấp trên."), code="no_parent"
        )
    now = timezone.now()
    report.status = Report.Status.SUBMITTED
    report.submitted_at = now
    report.submitted_on = timezone.localdate(now)
    report.submitted_by = by.user
    report.full_clean()
    report.save(
        update_fields=["status", "submitted_at", "submitted_on", "submitted_by", "updated_at"]
    )
    audit(report, "reports.report.submitted", by=by, changes={"status": ["draft", "submitted"]})
    return report


def _ensure_reviewer(report: Report, by: Actor) -> None:
    parent = parent_organisation(report.organisation)
    if parent is None or not can(by, "reports.review", parent):
        raise DomainError(
            _("Chỉ đơn vị cấp trên mới được tiếp nhận hoặc trả lại báo cáo này."),
            code="forbidden",
            status=403,
        )


def _figures_in_vietnamese(report: Report) -> dict:
    with translation.override("vi"):
        return report_figures(report.organisation, report.campaign, report.period)


@transaction.atomic
def report_accept(*, report: Report, by: Actor) -> ReportSnapshot:
    """Accept a submitted report: lock it and freeze its figures in a new versioned snapshot."""
    caller, report = report, Report.objects.select_for_update().get(pk=report.pk)
    _ensure_reviewer(report, by)
    if report.status != Report.Status.SUBMITTED:
        raise DomainError(
            _("Chỉ báo cáo đã gửi mới được tiếp nhận."), code="not_submitted", status=409
        )
    version = (report.snapshots.aggregate(v=Max("version"))["v"] or 0) + 1
    snap = ReportSnapshot(
        report=report,
        version=version,
        # Frozen in Vietnamese: the snapshot feeds the official document, whatever language
        # the reviewer's interface uses.
        figures=_figures_in_vietnamese(report),
        narrative=report.narrative(),
        header=report.header(),
        explanations=dict(report.explanations or {}),
        created_by=by.user,
    )
    snap.full_clean()
    snap.save()
    report.status = Report.Status.ACCEPTED
    report.reviewed_at = timezone.now()
    report.reviewed_by = by.user
    report.return_reason = ""
    report.full_clean()
    report.save(
        update_fields=["status", "reviewed_at", "reviewed_by", "return_reason", "updated_at"]
    )
    audit(
        report,
        "reports.report.accepted",
        by=by,
        changes={"status": ["submitted", "accepted"], "version": version},
    )
    caller.refresh_from_db()
    return snap


@transaction.atomic
def report_return(*, report: Report, by: Actor, reason: str) -> Report:
    """Return a submitted (or accepted) report for correction, with a reason."""
    caller, report = report, Report.objects.select_for_update().get(pk=report.pk)
    _ensure_reviewer(report, by)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Hãy ghi lý do trả lại báo cáo."), code="reason_required", field="reason"
        )
    if report.status not in {Report.Status.SUBMITTED, Report.Status.ACCEPTED}:
        raise DomainError(
            _("Chỉ báo cáo đã gửi hoặc đã tiếp nhận mới trả lại được."),
            code="not_submitted",
            status=409,
        )
    before = report.status
    report.status = Report.Status.RETURNED
    report.return_reason = reason
    report.reviewed_at = timezone.now()
    report.reviewed_by = by.user
    report.full_clean()
    report.save(
        update_fields=["status", "return_reason", "reviewed_at", "reviewed_by", "updated_at"]
    )
    audit(
        report,
        "reports.report.returned",
        by=by,
        changes={"status": [before, "returned"], "reason": reason},
    )
    caller.refresh_from_db()
    return caller


# --- Documents ----------------------------------------------------------------------------------
def document_build(
    fmt: str,
    *,
    organisation: Organisation,
    campaign: Campaign,
    report: Report | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[bytes, str]:
    """(bytes, filename) of one document: its content read by `selectors.report_content`, drawn
    by `documents.render_document`. Raises DocumentUnavailable where PDF cannot be made."""
    progress = progress or (lambda p: None)
    # An official document is Vietnamese whatever language the person downloading it reads.
    with translation.override("vi"):
        content = report_content(organisation=organisation, campaign=campaign, report=report)
        progress(10)
        data = render_document(fmt, content, progress)
    progress(100)
    return data, document_filename(organisation.code, campaign.year, fmt)


@transaction.atomic
def report_job_create(
    *,
    organisation: Organisation,
    campaign: Campaign,
    format: str,
    by: Actor,
    report: Report | None = None,
) -> ReportJob:
    """Queue the generation of one document; the page polls the job for its progress."""
    ensure_can(by, "reports.view", organisation)
    if format not in ReportJob.Format.values:
        raise DomainError(_("Định dạng tệp không được hỗ trợ."), code="bad_format")
    job = ReportJob(
        organisation=organisation,
        campaign=campaign,
        report=report,
        format=format,
        requested_by=by.user if by.user.pk else None,
    )
    job.full_clean()
    job.save()
    # (audit_created would read the empty FileField's url, which raises: name the fields.)
    audit(
        job,
        "reports.job.queued",
        by=by,
        changes={"format": format, "organisation": organisation.code, "campaign": campaign.year},
    )
    # The worker picks the job up once its row is committed (`tasks` receives the signal).
    transaction.on_commit(lambda: report_job_queued.send(sender=ReportJob, job_id=job.pk))
    return job


def _job_progress(job: ReportJob, percent: int) -> None:
    ReportJob.objects.filter(pk=job.pk).update(progress=percent, updated_at=timezone.now())


def report_job_run(*, job_id: int) -> ReportJob:
    """Generate the document of a queued job (called by the task). Progress is saved as it goes,
    outside any transaction, so that the polling page sees it."""
    job = ReportJob.objects.select_related("organisation", "campaign", "report").get(pk=job_id)
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.RUNNING, progress=5, updated_at=timezone.now()
    )
    try:
        data, filename = document_build(
            job.format,
            organisation=job.organisation,
            campaign=job.campaign,
            report=job.report,
            progress=lambda p: _job_progress(job, p),
        )
    except DocumentUnavailable as exc:
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJob.Status.FAILED, error=str(exc), updated_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    job.file.save(filename, ContentFile(data), save=False)
    job.status = ReportJob.Status.DONE
    job.progress = 100
    job.save(update_fields=["file", "status", "progress", "updated_at"])
    return job
