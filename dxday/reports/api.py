"""The reports API (mounted at /api/v1/reports): the same figures as the pages and documents,
report status, reporting rates and the travel of a report upward."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from dxday.core.api import Id, Year
from dxday.core.errors import DomainError
from dxday.orgs.auth import api_auth

from . import selectors, services
from .models import Report
from .years import report_years

router = Router(tags=["reports"])


class FiguresQuery(Schema):
    org: str = Field(..., description="Mã đơn vị (organisation code)")
    campaign: Year = Field(..., description="Năm chiến dịch")
    date_from: datetime.date | None = Field(None, alias="from")
    date_to: datetime.date | None = Field(None, alias="to")


class ReportOut(Schema):
    id: int
    organisation: str
    organisation_name: str
    campaign: int
    status: str
    status_label: str
    number: str
    submitted_at: datetime.datetime | None
    reviewed_at: datetime.datetime | None
    return_reason: str
    versions: int


class ReportReturnIn(Schema):
    reason: str = Field(..., max_length=5000)


def _report_out(report: Report) -> dict[str, Any]:
    return {
        "id": report.pk,
        "organisation": report.organisation.code,
        "organisation_name": report.organisation.name,
        "campaign": report.campaign.year,
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "number": report.number,
        "submitted_at": report.submitted_at,
        "reviewed_at": report.reviewed_at,
        "return_reason": report.return_reason,
        "versions": report.snapshots.count(),
    }


@router.get(
    "/figures", auth=api_auth, response=dict[str, Any], summary="Số liệu báo cáo của một đơn vị"
)
def figures(request, q: Query[FiguresQuery]):
    """Every figure of the report for an organisation's subtree (same selector as the documents)."""
    org = selectors.get_organisation_for_user(request.actor, q.org)
    campaign = selectors.get_campaign(q.campaign)
    period = None
    if q.date_from or q.date_to:
        if not (q.date_from and q.date_to) or q.date_to < q.date_from:
            raise DomainError(
                _(
                    "Hãy cho cả ngày bắt đầu và ngày kết thúc; "
                    "ngày kết thúc không được trước ngày bắt đầu."
                ),
                code="bad_period",
            )
        period = (q.date_from, q.date_to)
    return selectors.report_figures(org, campaign, period)


@router.get(
    "/rates", auth=api_auth, response=list[dict[str, Any]], summary="Tỷ lệ gửi báo cáo theo cấp"
)
def rates(request, org: str, campaign: Year):
    """Completeness and timeliness of reports per level below the organisation."""
    organisation = selectors.get_organisation_for_user(request.actor, org)
    return selectors.reporting_rates(organisation, selectors.get_campaign(campaign))


@router.get(
    "/status", auth=api_auth, response=list[ReportOut], summary="Tình trạng báo cáo trong phạm vi"
)
def status(request, campaign: Year, org: str | None = None):
    """Reports of the caller's subtree for a campaign (or of one organisation)."""
    qs = selectors.report_list_for_user(request.actor, selectors.get_campaign(campaign))
    if org:
        qs = qs.filter(organisation__code=org)
    return [_report_out(r) for r in qs.prefetch_related("snapshots")]


class YearFigureOut(Schema):
    key: str
    label: str
    value: int | float | None


class YearOut(Schema):
    year: int
    figures: list[YearFigureOut]


@router.get(
    "/{org_code}/years",
    auth=api_auth,
    response=list[YearOut],
    summary="Số liệu báo cáo của một đơn vị qua các năm",
)
def years(request, org_code: str):
    """Every figure of the unit's report for each campaign, oldest first (the same figures as
    each year's report: `report_figures` per campaign)."""
    org = selectors.get_organisation_for_user(request.actor, org_code[:64])
    return report_years(org)["per_year"]


@router.get("/{id:report_id}", auth=api_auth, response=ReportOut, summary="Một báo cáo")
def report_detail(request, report_id: Id):
    return _report_out(selectors.get_report_for_user(request.actor, report_id))


@router.post(
    "/{id:report_id}/submit", auth=api_auth, response=ReportOut, summary="Gửi báo cáo lên cấp trên"
)
def report_submit(request, report_id: Id):
    report = selectors.get_report_for_user(request.actor, report_id)
    return _report_out(services.report_submit(report=report, by=request.actor))


@router.post(
    "/{id:report_id}/accept", auth=api_auth, response=ReportOut, summary="Tiếp nhận báo cáo"
)
def report_accept(request, report_id: Id):
    report = selectors.get_report_for_user(request.actor, report_id)
    services.report_accept(report=report, by=request.actor)
    report.refresh_from_db()
    return _report_out(report)


@router.post(
    "/{id:report_id}/return", auth=api_auth, response=ReportOut, summary="Trả lại báo cáo kèm lý do"
)
def report_return(request, report_id: Id, body: ReportReturnIn):
    report = selectors.get_report_for_user(request.actor, report_id)
    return _report_out(services.report_return(report=report, by=request.actor, reason=body.reason))
