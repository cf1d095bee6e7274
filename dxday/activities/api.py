"""/api/v1/activities: published activities (public), and the workspace's report flow (token).

Public: `GET /api/v1/activities?campaign={year}&province={code}&q={text}` → published activities,
each with its `id`; `GET /api/v1/activities/{id}`. Authenticated (Bearer token or session):
create a draft, update it, add evidence, submit, accept, return with a reason.
Errors are 4xx with `{"code", "message"}`.
"""

from __future__ import annotations

import datetime
from typing import Annotated

from django.db.models import Prefetch
from django.urls import reverse
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from dxday.core.api import ErrorOut, Id, Offset, Year
from dxday.orgs.auth import api_auth
from dxday.orgs.selectors import commune_by_code_param, province_by_code_param

from . import selectors, services
from .models import Activity, IndicatorValue

router = Router(tags=["activities"])


class Place(Schema):
    code: str
    name: str


class IndicatorFigure(Schema):
    code: str
    name: str
    unit: str
    value: int | None  # null: not reported (never 0)


class ActivityOut(Schema):
    id: int
    campaign: int
    title: str
    type: str
    type_label: str
    starts_on: datetime.date
    ends_on: datetime.date
    online: bool
    province: Place | None
    commune: Place | None
    organisation: Place
    description: str
    links: list[str]
    indicators: list[IndicatorFigure]
    url: str


class ActivityWorkOut(ActivityOut):
    status: str
    status_label: str
    return_reason: str
    assignment_id: int | None
    published: bool


class ActivityIn(Schema):
    assignment_id: Id | None = None
    title: str
    type: str
    starts_on: datetime.date
    ends_on: datetime.date
    online: bool = False
    commune_code: str | None = None
    description: str = ""
    links: list[str] = []
    values: dict[str, int | None] = {}


class ActivityPatch(Schema):
    title: str | None = None
    type: str | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    online: bool | None = None
    description: str | None = None
    links: list[str] | None = None
    values: dict[str, int | None] | None = None


class ActivityReturnIn(Schema):
    reason: str


class EvidenceOut(Schema):
    id: int
    content_type: str
    size: int
    url: str


def _out(activity: Activity, work: bool = False) -> dict:
    values = [iv for iv in activity.values.all()]
    data = {
        "id": activity.pk,
        "campaign": activity.campaign.year,
        "title": activity.title,
        "type": activity.type,
        "type_label": str(activity.get_type_display()),
        "starts_on": activity.starts_on,
        "ends_on": activity.ends_on,
        "online": activity.is_online,
        "province": {"code": activity.province.code, "name": activity.province.name}
        if activity.province_id
        else None,
        "commune": {"code": activity.commune.code, "name": activity.commune.name}
        if activity.commune_id
        else None,
        "organisation": {"code": activity.organisation.code, "name": activity.organisation.name},
        "description": activity.description,
        "links": activity.link_list,
        "indicators": [
            {
                "code": iv.indicator.code,
                "name": iv.indicator.name,
                "unit": iv.indicator.unit,
                "value": iv.value,
            }
            for iv in sorted(values, key=lambda v: (v.indicator.order, v.indicator.code))
        ],
        "url": reverse("portal:activity_detail", args=[activity.pk])
        if activity.is_published
        else reverse("activities:detail", args=[activity.pk]),
    }
    if work:
        data.update(
            status=activity.status,
            status_label=str(activity.get_status_display()),
            return_reason=activity.return_reason,
            assignment_id=activity.assignment_id,
            published=activity.is_published,
        )
    return data


_VALUES = Prefetch("values", queryset=IndicatorValue.objects.select_related("indicator"))


def _work(actor, pk: int) -> dict:
    activity = selectors.get_activity_for_user(actor, pk)
    activity = (
        selectors.activity_list_for_actor(actor).prefetch_related(_VALUES).get(pk=activity.pk)
    )
    return _out(activity, work=True)


@router.get("", response=list[ActivityOut], summary="Hoạt động đã công khai (công khai)")
def activity_list(
    request,
    campaign: Year | None = None,
    province: str | None = None,
    q: str | None = None,
    type: str | None = None,
    limit: Annotated[int, Field(ge=1, le=500)] = 100,
    offset: Offset = 0,
):
    """Published activities, newest first. `q` ignores diacritics ("chuyen doi so")."""
    found = province_by_code_param(province)
    qs = selectors.published_activities(
        campaign_year=campaign, province=found.code if found else None, q=q, type=type
    ).prefetch_related(_VALUES)
    return [_out(a) for a in qs[offset : offset + limit]]


@router.get(
    "/mine",
    response=list[ActivityWorkOut],
    auth=api_auth,
    summary="Hoạt động của đơn vị tôi (cả cấp dưới với người điều phối)",
)
def activity_mine(request, status: str | None = None):
    qs = selectors.activity_list_for_actor(request.actor, status=status).prefetch_related(_VALUES)
    return [_out(a, work=True) for a in qs[:500]]


@router.get(
    "/review-queue",
    response=list[ActivityWorkOut],
    auth=api_auth,
    summary="Báo cáo cấp dưới đã gửi, chờ duyệt",
)
def activity_review_queue(request):
    qs = selectors.review_queue(request.actor).prefetch_related(_VALUES)
    return [_out(a, work=True) for a in qs[:500]]


@router.get(
    "/{id:activity_id}",
    response={200: ActivityOut, 404: ErrorOut},
    summary="Một hoạt động đã công khai (công khai)",
)
def activity_get(request, activity_id: Id):
    return _out(selectors.get_published_activity(activity_id))


@router.post(
    "",
    response={201: ActivityWorkOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=api_auth,
    summary="Tạo báo cáo nháp",
)
def activity_create(request, payload: ActivityIn):
    """Against `assignment_id` (one of my unit's assignments) or on my unit's own initiative.
    `values` maps indicator codes to figures; null means not reported."""
    actor = request.actor
    assignment = (
        selectors.get_assignment_for_reporting(actor, payload.assignment_id)
        if payload.assignment_id
        else None
    )
    data = {
        "title": payload.title,
        "type": payload.type,
        "starts_on": payload.starts_on,
        "ends_on": payload.ends_on,
        "is_online": payload.online,
        "description": payload.description,
        "links": "\n".join(payload.links),
    }
    if payload.commune_code:
        data["commune"] = commune_by_code_param(payload.commune_code, field="commune_code")
    activity = services.activity_create(
        by=actor, assignment=assignment, data=data, values=payload.values
    )
    return Status(201, _work(actor, activity.pk))


@router.patch(
    "/{id:activity_id}",
    response={200: ActivityWorkOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=api_auth,
    summary="Sửa báo cáo nháp hoặc bị trả lại",
)
def activity_update(request, activity_id: Id, payload: ActivityPatch):
    actor = request.actor
    activity = selectors.get_activity_for_user(actor, activity_id)
    fields = payload.dict(exclude_unset=True)
    values = fields.pop("values", None)
    if "online" in fields:
        fields["is_online"] = fields.pop("online")
    if "links" in fields:
        fields["links"] = "\n".join(fields["links"] or [])
    services.activity_update(activity=activity, by=actor, data=fields, values=values)
    return _work(actor, activity_id)


@router.post(
    "/{id:activity_id}/evidence",
    response={201: EvidenceOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=api_auth,
    summary="Đính kèm ảnh (JPEG/PNG/WebP) hoặc PDF, tối đa 5 MB",
)
def activity_evidence(request, activity_id: Id, file: UploadedFile = File(...)):  # noqa: B008
    activity = selectors.get_activity_for_user(request.actor, activity_id)
    item = services.evidence_add(activity=activity, by=request.actor, upload=file)
    return Status(
        201,
        {
            "id": item.pk,
            "content_type": item.content_type,
            "size": item.size,
            "url": reverse("activities:evidence", args=[item.pk]),
        },
    )


@router.post(
    "/{id:activity_id}/submit",
    response={200: ActivityWorkOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=api_auth,
    summary="Gửi báo cáo nháp để duyệt",
)
def activity_submit(request, activity_id: Id):
    activity = selectors.get_activity_for_user(request.actor, activity_id)
    services.activity_submit(activity=activity, by=request.actor)
    return _work(request.actor, activity_id)


@router.post(
    "/{id:activity_id}/accept",
    response={200: ActivityWorkOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=api_auth,
    summary="Duyệt báo cáo đã gửi (người điều phối cấp trên); báo cáo được khóa và công khai",
)
def activity_accept(request, activity_id: Id):
    activity = selectors.get_activity_for_user(request.actor, activity_id)
    services.activity_accept(activity=activity, by=request.actor)
    return _work(request.actor, activity_id)


@router.post(
    "/{id:activity_id}/return",
    response={200: ActivityWorkOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=api_auth,
    summary="Trả lại báo cáo đã gửi, kèm lý do (bắt buộc)",
)
def activity_return(request, activity_id: Id, payload: ActivityReturnIn):
    activity = selectors.get_activity_for_user(request.actor, activity_id)
    services.activity_return(activity=activity, by=request.actor, reason=payload.reason)
    return _work(request.actor, activity_id)
