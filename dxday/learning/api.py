"""Learning festival API (mounted at /api/v1/learning). Paths fixed by DESIGN.md:

    GET  /offerings?campaign=&province=&q=&kind=          public, each with id and seats_left
    POST /offerings/{id}/registrations {"name","commune","contact"}
         → 201 {"code","status": "confirmed"|"waitlisted","qr"}  (409 registration_closed)
    POST /checkins/batch (staff token) {"checkins": [...]} → {"accepted","duplicates","rejected"}
         (at most 500 a batch, 413 batch_too_large; a per-token rate limit, 429 rate_limited)
    GET  /totals?campaign=&province=&by=commune|topic|kind|audience|province
    GET  /certificates/{code}                             public

and for the check-in app: GET /checkin/config (offerings, ticket keys, revoked tickets),
GET /checkin/revocations?offering=, GET /checkin/lookup?offering=&q=.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from dxday.core.api import ErrorOut, Id, Offset, Year
from dxday.core.errors import DomainError, NotFound
from dxday.core.ratelimit import rate_hit
from dxday.orgs.auth import api_auth
from dxday.orgs.models import Commune
from dxday.orgs.throttle import client_ip

from . import conf, selectors, services
from .checkin import checkins_ingest
from .models import Offering, Registration

router = Router(tags=["learning"])


def _rate_limited(response: HttpResponse, retry: int):
    response["Retry-After"] = str(retry)
    return Status(
        429,
        {
            "code": "rate_limited",
            "message": _("Gửi quá nhiều lần trong thời gian ngắn. Hãy thử lại sau %(s)s giây.")
            % {"s": retry},
        },
    )


# --- Offerings ---------------------------------------------------------------------------------


class OfferingsQuery(Schema):
    campaign: Year | None = None
    province: str | None = Field(None, max_length=2)
    commune: str | None = Field(None, max_length=5)
    q: str | None = Field(None, max_length=200)
    kind: Literal["class", "training", "seminar", "dialogue", "booth"] | None = None
    offset: Offset = 0
    limit: int = Field(100, ge=1, le=500)


class OfferingOut(Schema):
    id: int
    campaign: int
    kind: str
    format: str
    title: str
    organiser: str
    province: str | None
    commune: str | None
    commune_name: str | None
    address: str
    online_link: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    audience: str
    topics: list[str]
    capacity: int | None
    seats_left: int | None
    invitation_only: bool
    registration_open: bool


def _offering_out(o: Offering) -> dict:
    return {
        "id": o.pk, "campaign": o.campaign_id,
        "kind": o.kind, "format": o.format, "title": o.title, "organiser": o.organiser.name,
        "province": o.province_id, "commune": o.commune_id,
        "commune_name": o.commune.name if o.commune_id else None, "address": o.address,
        "online_link": o.online_link, "starts_at": o.starts_at, "ends_at": o.ends_at,
        "audience": o.audience, "topics": [t.topic for t in o.topics.all()],
        "capacity": o.capacity, "seats_left": o.seats_left,
        "invitation_only": o.invitation_only, "registration_open": o.registration_open,
    }  # fmt: skip


@router.get("/offerings", response={200: list[OfferingOut]}, summary="Lớp học, sự kiện (công khai)")
def offerings(request, filters: Query[OfferingsQuery]):
    campaign = selectors.campaign_for_year(filters.campaign)
    if campaign is None:
        return []
    qs = selectors.offering_public_list(
        campaign=campaign, province=filters.province, commune=filters.commune, q=filters.q,
        kind=filters.kind,
    )  # fmt: skip
    out = [_offering_out(o) for o in qs[filters.offset : filters.offset + filters.limit]]
    for row in out:
        row["campaign"] = campaign.year
    return out


class RegistrationIn(Schema):
    name: str = Field(..., min_length=1, max_length=150)
    commune: str | None = Field(None, max_length=5)
    contact: str | None = Field(None, max_length=120)
    invitation_code: str | None = Field(None, max_length=40)


class RegistrationOut(Schema):
    code: str
    status: Literal["confirmed", "waitlisted", "held", "cancelled"]
    qr: str


@router.post(
    "/offerings/{id:offering_id}/registrations",
    response={201: RegistrationOut, 200: RegistrationOut, 403: ErrorOut, 409: ErrorOut,
              429: ErrorOut},
    summary="Đăng ký tham gia (không cần tài khoản)",
)  # fmt: skip
def register(request, offering_id: int, payload: RegistrationIn, response: HttpResponse):
    """A citizen registers with a name, a commune and an optional phone or e-mail (never
    public, erased after the campaign). Confirmed while seats are left, else waitlisted."""
    limit, window = conf.registration_rate()
    retry = rate_hit(f"learning-reg:{client_ip(request)}", limit=limit, window=window)
    if retry:
        return _rate_limited(response, retry)
    offering = selectors.offering_for_registration(offering_id)
    commune = None
    if payload.commune:
        commune = Commune.objects.filter(code=payload.commune).first()
        if commune is None:
            raise DomainError(_("Không tìm thấy xã, phường này."), code="invalid",
                              field="commune", status=422)  # fmt: skip
    reg = services.registration_create(
        offering=offering, name=payload.name, commune=commune, contact=payload.contact or "",
        invitation_code=payload.invitation_code or "",
    )  # fmt: skip
    body = {"code": reg.code, "status": reg.status, "qr": selectors.registration_qr(reg)}
    return Status(201, body)


class TicketOut(Schema):
    code: str
    status: str
    name: str
    offering: int
    offering_title: str
    starts_at: dt.datetime
    hold_until: dt.datetime | None
    qr: str


def _ticket(reg: Registration) -> dict:
    return {
        "code": reg.code, "status": reg.status, "name": reg.name, "offering": reg.offering_id,
        "offering_title": reg.offering.title, "starts_at": reg.offering.starts_at,
        "hold_until": reg.hold_until, "qr": selectors.registration_qr(reg),
    }  # fmt: skip


@router.get("/registrations/{code}", response={200: TicketOut}, summary="Vé (theo mã vé)")
def ticket(request, code: str):
    return _ticket(selectors.registration_by_code(code))


@router.delete(
    "/registrations/{code}", response={200: TicketOut, 409: ErrorOut}, summary="Hủy đăng ký"
)
def ticket_cancel(request, code: str):
    """Whoever holds the ticket code may cancel it; a freed seat goes to the next in line."""
    reg = services.registration_cancel(registration=selectors.registration_by_code(code))
    return _ticket(reg)


# --- Check-in ----------------------------------------------------------------------------------


class CheckinBatchIn(Schema):
    # Entries are validated one by one by the service: one bad scan never fails the batch.
    checkins: list[Any]


class FieldErrorOut(Schema):
    field: str | None
    code: str
    message: str


class CheckinRejectedOut(Schema):
    index: int
    nonce: str
    errors: list[FieldErrorOut]


class DuplicateScanOut(Schema):
    index: int
    nonce: str
    ticket: str
    name: str
    first_device: str
    first_scanned_at: str | None


class CheckinBatchOut(Schema):
    accepted: int
    duplicates: int
    rejected: list[CheckinRejectedOut]
    duplicate_scans: list[DuplicateScanOut]


@router.post(
    "/checkins/batch",
    auth=api_auth,
    response={200: CheckinBatchOut, 401: ErrorOut, 403: ErrorOut, 413: ErrorOut, 429: ErrorOut},
    summary="Gửi một lô lượt điểm danh (tối đa 500)",
)
def checkins_batch(request, payload: CheckinBatchIn, response: HttpResponse):
    """Idempotent by nonce; a ticket counts once whichever phone sends it first; valid
    entries are stored even when others are rejected."""
    actor = request.actor
    if not actor.has_action("learning.checkin"):
        raise DomainError(_("Vai trò của bạn không được phép điểm danh."), code="forbidden",
                          status=403)  # fmt: skip
    limit, window = conf.rate_limit()
    token = getattr(request, "api_token", None)
    who = f"t{token.pk}" if token is not None else f"u{request.user.pk}"
    retry = rate_hit(f"learning:{who}", limit=limit, window=window)
    if retry:
        return _rate_limited(response, retry)
    if len(payload.checkins) > conf.MAX_BATCH:
        raise DomainError(
            _("Mỗi lần gửi tối đa %(max)s lượt điểm danh; lần này có %(n)s lượt. "
              "Hãy chia nhỏ rồi gửi lại.") % {"max": conf.MAX_BATCH, "n": len(payload.checkins)},
            code="batch_too_large", status=413,
        )  # fmt: skip
    device = f"token-{token.prefix}" if token is not None else f"user-{request.user.pk}"
    return checkins_ingest(actor=actor, checkins=payload.checkins, device=device).as_dict()


@router.get("/checkin/config", auth=api_auth, summary="Cấu hình cho ứng dụng điểm danh")
def checkin_config(request):
    """The offerings the caller may check in, their ticket keys and revoked tickets."""
    if not request.actor.has_action("learning.checkin"):
        raise DomainError(_("Vai trò của bạn không được phép điểm danh."), code="forbidden",
                          status=403)  # fmt: skip
    return selectors.checkin_config(request.actor)


class RevocationsQuery(Schema):
    offering: Id


@router.get(
    "/checkin/revocations", auth=api_auth, response={200: dict, 401: ErrorOut, 404: ErrorOut},
    summary="Danh sách vé đã hủy",
)  # fmt: skip
def revocations(request, filters: Query[RevocationsQuery]):
    offering = selectors.get_offering_for_user(request.actor, filters.offering)
    return {"offering": offering.pk, "revoked": selectors.revocations([offering.pk]).get(
        offering.pk, [])}  # fmt: skip


class LookupQuery(Schema):
    offering: Id
    q: str = Field(..., min_length=1, max_length=100)


@router.get("/checkin/lookup", auth=api_auth, summary="Tra cứu người đăng ký theo tên hoặc mã")
def lookup(request, filters: Query[LookupQuery]):
    return selectors.checkin_lookup(request.actor, offering_id=filters.offering, q=filters.q)


# --- Certificates -----------------------------------------------------------------------------


class LearningCertificateOut(Schema):
    status: Literal["valid", "revoked"]
    name: str
    offering: str
    organiser: str
    date: dt.date


@router.get(
    "/certificates/{code}", response={200: LearningCertificateOut, 404: ErrorOut},
    summary="Xác thực giấy chứng nhận (công khai)",
)  # fmt: skip
def certificate(request, code: str):
    """Anyone may check a certificate by its code: valid or revoked, whose, for what."""
    return selectors.certificate_public(code)


# --- Totals ------------------------------------------------------------------------------------


class LearningTotalsQuery(Schema):
    campaign: Year | None = None
    province: str | None = Field(None, max_length=2)
    by: Literal["commune", "topic", "kind", "audience", "province"] = "commune"


class LearningTotalRow(Schema):
    province: str | None = None
    commune: str | None = None
    topic: str | None = None
    kind: str | None = None
    audience: str | None = None
    name: str
    registrants: int | None = None
    walk_ins: int | None = None
    attendance: int


@router.get(
    "/totals", response={200: list[LearningTotalRow], 404: ErrorOut}, summary="Số liệu tham gia"
)
def totals(request, filters: Query[LearningTotalsQuery]):
    """Attendance (registrants checked in + walk-ins) from the roll-up tables only."""
    campaign = selectors.campaign_for_year(filters.campaign)
    if campaign is None:
        raise NotFound(_("Không tìm thấy chiến dịch của năm này."))
    return selectors.attendance_totals(campaign=campaign, by=filters.by, province=filters.province)
