"""Door-to-door campaign API (mounted at /api/v1/outreach).

Session ingest, as DESIGN.md fixes it:

    POST /api/v1/outreach/sessions/batch   Authorization: Bearer <token>
    {"sessions": [{"client_id": "<uuid>", "occurred_at": "2025-10-02T09:30:00+07:00",
                   "households_visited": 2, "people_guided": 5,
                   "topics": [{"topic": "vneid", "people_guided": 4, "outcome": 3}],
                   "member": <id, optional>, "team": <id, optional>, "note": "...",
                   "household_ref": "<optional house label, never a phone number; stored
                                     only as an HMAC-SHA256 under HOUSEHOLD_SALT>"}, ...]}
    → 200 {"accepted": n, "duplicates": n, "rejected": [{"index", "client_id", "errors"}]}

- at most 500 sessions a batch (413, code ``batch_too_large``, beyond it);
- a per-token rate limit (429, code ``rate_limited``, with Retry-After);
- the commune always comes from the team; the team defaults to the token's own team and the
  member to the token's own member.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema, Status

from dxday.core.api import ErrorOut, Year
from dxday.core.errors import DomainError
from dxday.core.ratelimit import rate_hit
from dxday.orgs.auth import api_auth
from dxday.orgs.selectors import commune_by_code_param, province_by_code_param

from . import conf, selectors
from .services import sessions_ingest

router = Router(tags=["outreach"])


class FieldErrorOut(Schema):
    field: str | None
    code: str
    message: str


class RejectedOut(Schema):
    index: int
    client_id: str
    errors: list[FieldErrorOut]


class BatchIn(Schema):
    # Items are validated one by one by the service, so one bad session never fails the batch.
    sessions: list[dict[str, Any]]


class BatchOut(Schema):
    accepted: int
    duplicates: int
    rejected: list[RejectedOut]


def _rate_check(request: HttpRequest) -> int | None:
    """A fixed-window counter per token, shared by every app process (core.ratelimit)."""
    limit, window = conf.rate_limit()
    token = getattr(request, "api_token", None)
    who = f"t{token.pk}" if token is not None else f"u{request.user.pk}"
    return rate_hit(f"outreach:{who}", limit=limit, window=window)


def _rate_limited(response: HttpResponse, retry: int):
    """429 with Retry-After: the phone waits that long (at least) before sending again."""
    response["Retry-After"] = str(retry)
    return Status(
        429,
        {
            "code": "rate_limited",
            "message": _("Gửi quá nhiều lần trong thời gian ngắn. Hãy thử lại sau %(s)s giây.")
            % {"s": retry},
        },
    )


def _too_large(n: int) -> DomainError:
    return DomainError(
        _(
            "Mỗi lần gửi tối đa %(max)s lượt hướng dẫn; lần này có %(n)s lượt. "
            "Hãy chia nhỏ rồi gửi lại."
        )
        % {"max": conf.MAX_BATCH, "n": n},
        code="batch_too_large",
        status=413,
    )


@router.post(
    "/sessions/batch",
    auth=api_auth,
    response={200: BatchOut, 401: ErrorOut, 413: ErrorOut, 429: ErrorOut},
    summary="Gửi một lô lượt hướng dẫn (tối đa 500)",
)
def sessions_batch(request, payload: BatchIn, response: HttpResponse):
    """Idempotent by client_id; valid sessions are saved even when others are rejected."""
    retry = _rate_check(request)
    if retry:
        return _rate_limited(response, retry)
    if len(payload.sessions) > conf.MAX_BATCH:
        raise _too_large(len(payload.sessions))
    return sessions_ingest(actor=request.actor, sessions=payload.sessions).as_dict()


@router.post(
    "/sessions",
    auth=api_auth,
    response={201: BatchOut, 200: BatchOut, 401: ErrorOut, 409: ErrorOut, 429: ErrorOut},
    summary="Gửi một lượt hướng dẫn",
)
def session_single(request, payload: Body[dict[str, Any]], response: HttpResponse):
    """One session: 201 when stored, 200 when it was already stored (duplicate), 409 when the
    client_id was used for different content, 422 with field errors when it is invalid."""
    retry = _rate_check(request)
    if retry:
        return _rate_limited(response, retry)
    result = sessions_ingest(actor=request.actor, sessions=[payload])
    if result.rejected:
        errors = result.rejected[0]["errors"]
        if any(e["code"] == "conflict" for e in errors):
            raise DomainError(errors[0]["message"], code="conflict", status=409, errors=errors)
        raise DomainError(
            _("Lượt hướng dẫn không hợp lệ. Hãy kiểm tra các trường được nêu."),
            code="validation_error",
            status=422,
            errors=errors,
        )
    return Status(201 if result.accepted else 200, result.as_dict())


class TotalsQuery(Schema):
    campaign: Year | None = None
    province: str | None = None
    commune: str | None = None
    by: Literal["province", "commune", "topic", "day"] = "commune"


class TotalRow(Schema):
    province: str | None = None
    commune: str | None = None
    topic: str | None = None
    day: str | None = None
    name: str | None = None
    outcome_label: str | None = None
    sessions: int
    households_visited: int | None = None
    people_guided: int
    accounts_activated: int | None = None
    outcome: int | None = None
    households_target: int | None = None
    accounts_target: int | None = None


@router.get("/totals", response={200: list[TotalRow], 404: ErrorOut}, summary="Số liệu tổng hợp")
def totals(request, filters: Query[TotalsQuery]):
    """Public roll-up rows of a campaign (default: the latest), by province, commune, topic or
    day, optionally within one province or commune. Read from the roll-up tables only."""
    campaign = selectors.campaign_for_year(filters.campaign)
    if campaign is None:
        raise DomainError(_("Không tìm thấy chiến dịch của năm này."), code="not_found", status=404)
    province = province_by_code_param(filters.province)
    commune = commune_by_code_param(filters.commune)
    return selectors.session_totals(
        campaign=campaign,
        by=filters.by,
        province=province.code if province else None,
        commune=commune.code if commune else None,
    )


@router.get("/me", auth=api_auth, summary="Cấu hình cho ứng dụng ghi nhận")
def me(request):
    """The caller's team, members, the topic catalogue and the door-to-door windows."""
    return selectors.field_config(request.actor)
