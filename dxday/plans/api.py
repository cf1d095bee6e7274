"""Campaigns (public, DESIGN.md contract) and the workspace's plans and assignments (token).

Mounted at /api/v1/campaigns.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from dxday.core.api import ErrorOut, Id
from dxday.orgs.auth import api_auth
from dxday.orgs.permissions import ensure_action

from . import selectors, services
from .models import Assignment, Campaign

router = Router(tags=["plans"])


class WindowOut(Schema):
    kind: str
    name: str
    starts_on: datetime.date
    ends_on: datetime.date


class LegalBasisOut(Schema):
    number: str
    date: datetime.date | None
    issuer: str
    title: str


class CampaignKeyDateOut(Schema):
    kind: str
    name: str
    date: datetime.date
    note: str


class CampaignOut(Schema):
    year: int
    theme: str
    message: str
    summary: str
    windows: list[WindowOut]
    legal_basis: LegalBasisOut
    key_dates: list[CampaignKeyDateOut]


def _campaign_out(c: Campaign) -> dict:
    return {
        "year": c.year,
        "theme": c.theme,
        "message": c.message,
        "summary": c.summary,
        "windows": [
            {"kind": w.kind, "name": w.name, "starts_on": w.starts_on, "ends_on": w.ends_on}
            for w in c.windows.all()
        ],
        "legal_basis": {
            "number": c.legal_basis_number,
            "date": c.legal_basis_date,
            "issuer": c.legal_basis_issuer,
            "title": c.legal_basis_title,
        },
        "key_dates": [
            {"kind": k.kind, "name": k.name, "date": k.date, "note": k.note}
            for k in c.key_dates.all()
        ],
    }


@router.get("", response=list[CampaignOut], summary="Các chiến dịch Ngày Chuyển đổi số")
def campaign_list(request):
    """Every published campaign, newest first: theme, message, windows, legal basis, key dates.
    A draft campaign is not listed."""
    return [_campaign_out(c) for c in selectors.campaign_list(public=True)]


@router.get(
    "/{id:year}",
    response={200: CampaignOut, 404: ErrorOut},
    summary="Chiến dịch của một năm",
)
def campaign_detail(request, year: Id):
    """One year's published campaign; 404 with code `not_found` for a year without a campaign
    or whose campaign is still a draft."""
    return _campaign_out(selectors.campaign_by_year(year, public=True))


class AssignmentOut(Schema):
    id: int
    task_id: int
    task: str
    category: str
    plan_id: int
    plan: str
    issuer: str
    role: str
    status: str = Field(description="Trạng thái, kể cả 'late' khi đã quá hạn mà chưa báo cáo")
    deadline: datetime.date | None
    return_reason: str
    first_reported_at: datetime.datetime | None


def _assignment_out(a: Assignment) -> dict:
    return {
        "id": a.pk,
        "task_id": a.task_id,
        "task": a.task.title,
        "category": a.task.category,
        "plan_id": a.task.plan_id,
        "plan": a.task.plan.title,
        "issuer": a.task.plan.organisation.name,
        "role": a.role,
        "status": getattr(a, "effective_status", a.status),
        "deadline": a.deadline,
        "return_reason": a.return_reason,
        "first_reported_at": a.first_reported_at,
    }


@router.get(
    "/{id:year}/assignments/mine",
    auth=api_auth,
    response={200: list[AssignmentOut], 404: ErrorOut},
    summary="Nhiệm vụ của đơn vị tôi trong năm",
)
def my_assignments(request, year: Id):
    """The acting unit's assignments in the year's campaign, soonest deadline first."""
    campaign = selectors.campaign_by_year(year)
    rows = selectors.assignment_list_for_unit(request.actor, campaign=campaign)
    return [_assignment_out(a) for a in rows]


@router.get(
    "/assignments/{id:assignment_id}",
    auth=api_auth,
    response={200: AssignmentOut, 404: ErrorOut},
    summary="Một nhiệm vụ được giao",
)
def assignment_detail(request, assignment_id: Id):
    a = selectors.get_assignment_for_user(request.actor, assignment_id)
    return _assignment_out(a)


class PlanOut(Schema):
    id: int
    title: str
    number: str
    issuer: str
    issuer_code: str
    parent_id: int | None
    status: str
    tasks: int


@router.get(
    "/{id:year}/plans",
    auth=api_auth,
    response={200: list[PlanOut], 403: ErrorOut, 404: ErrorOut},
    summary="Kế hoạch tôi được xem trong năm",
)
def plan_list(request, year: Id):
    ensure_action(request.actor, "plans.view")
    campaign = selectors.campaign_by_year(year)
    return [
        {
            "id": p.pk,
            "title": p.title,
            "number": p.number,
            "issuer": p.organisation.name,
            "issuer_code": p.organisation.code,
            "parent_id": p.parent_id,
            "status": p.status,
            "tasks": p.task_count,
        }
        for p in selectors.plan_list_for_actor(request.actor, campaign=campaign)
    ]


class LevelOut(Schema):
    kind: str
    label: str
    expected: int
    reported: int
    on_time: int
    late: int
    completeness: float | None
    timeliness: float | None


class TotalOut(Schema):
    expected: int
    reported: int
    on_time: int
    late: int
    completeness: float | None
    timeliness: float | None


class CompletenessOut(Schema):
    plan_id: int
    total: TotalOut
    levels: list[LevelOut]


@router.get(
    "/plans/{id:plan_id}/completeness",
    auth=api_auth,
    response={200: CompletenessOut, 404: ErrorOut},
    summary="Tính đầy đủ và đúng hạn của báo cáo theo kế hoạch và theo cấp",
)
def plan_completeness(request, plan_id: Id):
    plan = selectors.get_plan_for_user(request.actor, plan_id)
    data = selectors.plan_completeness(plan, request.actor)
    return {"plan_id": plan.pk, "total": data["total"], "levels": data["levels"]}


class RemindIn(Schema):
    assignment_ids: list[Id] = Field(..., min_length=1, max_length=5000)


class RemindOut(Schema):
    queued: int
    day: datetime.date


@router.post(
    "/reminders",
    auth=api_auth,
    response={202: RemindOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Đôn đốc các đơn vị chưa báo cáo",
)
def remind(request, payload: RemindIn):
    """Queue a reminder to the units of the given assignments: 404 unless every one is in the
    caller's subtree, 403 for a role that may not chase."""
    queued = services.reminders_enqueue_ids(by=request.actor, assignment_ids=payload.assignment_ids)
    return Status(202, {"queued": queued, "day": timezone.localdate()})
