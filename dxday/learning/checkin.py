"""`checkins_ingest`: scans and walk-in counts from staff phones, exactly once.

    {"checkins": [{"nonce": "<uuid>", "offering": 12, "ticket": "L1.c.2s.…",
                   "scanned_at": "2025-10-10T08:01:00+07:00", "device": "may-2"},
                  {"nonce": "<uuid>", "offering": 12, "walk_ins": 3, "age_group": "60+",
                   "scanned_at": "…"}]}
    → {"accepted": n, "duplicates": n, "rejected": [{"index", "nonce", "errors"}],
       "duplicate_scans": [{"index", "nonce", "ticket", "first_device", "first_scanned_at"}]}

- A nonce resent with the same content is a duplicate; with different content it is rejected
  (code ``conflict``). Valid entries are stored even when others are rejected.
- A ticket counts once, whichever phone sends it first: the partial unique index
  ``checkin_ticket_counted_once`` decides, also between two batches racing. A later scan of
  the same ticket (another phone that was offline) is stored uncounted and reported in
  ``duplicate_scans``; the organiser's duplicates page lists both devices and times.
- Everything a batch counts feeds the offering counters and the roll-ups in the same
  transaction (`rollups.rollups_apply`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from dxday.orgs.permissions import Actor, can

from . import conf
from .models import CheckIn, Offering, OfferingTopic, Registration
from .rollups import Counted, rollups_apply
from .sql import db_datetime, db_uuid, insert_rows, quote_name
from .tickets import ParsedTicket, ticket_parse
from .topics import AgeGroup

COLUMNS = [
    "nonce", "content_hash", "offering_id", "registration_id", "walk_ins", "age_group",
    "counted", "scanned_at", "device", "staff_id", "received_at",
]  # fmt: skip
FUTURE_SKEW = dt.timedelta(minutes=10)


@dataclass
class IngestResult:
    accepted: int = 0
    duplicates: int = 0
    rejected: list[dict] = field(default_factory=list)
    duplicate_scans: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "duplicate_scans": self.duplicate_scans,
        }


@dataclass
class Valid:
    index: int
    nonce: uuid.UUID
    content_hash: str
    offering: Offering
    registration: Registration | None
    walk_ins: int | None
    age_group: str
    scanned_at: dt.datetime
    device: str
    ticket: str = ""


def _err(field_name: str | None, code: str, message: str) -> dict:
    return {"field": field_name, "code": code, "message": str(message)}


def _load(actor: Actor, items: list):
    """The offerings and registrations a batch names: two queries whatever its size; and
    each ticket parsed (signature checked) once."""
    offering_ids, ticket_ids = set(), set()
    parsed_tickets: dict[str, ParsedTicket | None] = {}
    for item in items:
        if not isinstance(item, dict):
            continue
        oid = item.get("offering")
        if isinstance(oid, int) and not isinstance(oid, bool) and 0 < oid < 2**31:
            offering_ids.add(oid)
        ticket = item.get("ticket")
        if isinstance(ticket, str) and ticket not in parsed_tickets:
            parsed = parsed_tickets[ticket] = ticket_parse(ticket)
            if parsed:
                ticket_ids.add(parsed.ticket_id)
    # Only the columns the batch reads: a batch loads up to 500 registrations.
    offerings = {
        o.pk: o
        for o in Offering.objects.filter(pk__in=offering_ids)
        .select_related("organiser")
        .only("campaign_id", "province_id", "commune_id", "kind", "audience", "organiser__path")
        .order_by()
    }
    registrations = {
        r.pk: r
        for r in Registration.objects.filter(pk__in=ticket_ids)
        .only("offering_id", "status", "name", "organisation_id", "person_key")
        .order_by()
    }
    return offerings, registrations, parsed_tickets


def _may_check_in(actor: Actor, offering: Offering) -> bool:
    allowed = getattr(offering, "_may_check_in", None)
    if allowed is None:
        allowed = offering._may_check_in = can(actor, "learning.checkin", offering.organiser)
    return allowed


def _validate(
    actor: Actor,
    index: int,
    item,
    offerings,
    registrations,
    now: dt.datetime,
    default_device,
    parsed_tickets=None,
) -> tuple[Valid | None, list[dict], str]:
    if not isinstance(item, dict):
        return None, [_err(None, "invalid", _("Mỗi lượt phải là một đối tượng JSON."))], ""
    errors: list[dict] = []
    raw_nonce = item.get("nonce")
    nonce = None
    try:
        nonce = uuid.UUID(str(raw_nonce)) if isinstance(raw_nonce, str) else None
    except ValueError:
        nonce = None
    if nonce is None:
        errors.append(_err("nonce", "invalid", _("Thiếu mã lượt (nonce) hoặc mã không hợp lệ.")))
    raw_nonce = str(raw_nonce)[:64] if raw_nonce is not None else ""

    offering = None
    oid = item.get("offering")
    if isinstance(oid, int) and not isinstance(oid, bool):
        offering = offerings.get(oid)
    if offering is None or not _may_check_in(actor, offering):
        errors.append(_err("offering", "not_found", _("Không tìm thấy lớp học này.")))
        offering = None

    scanned_at = None
    raw_time = item.get("scanned_at")
    if isinstance(raw_time, str) and len(raw_time) <= 40:
        try:
            scanned_at = parse_datetime(raw_time)
        except ValueError:
            scanned_at = None
    if scanned_at is None or timezone.is_naive(scanned_at):
        errors.append(
            _err("scanned_at", "invalid", _("Thời điểm quét phải có dạng ISO 8601 kèm múi giờ."))
        )
        scanned_at = None
    elif scanned_at > now + FUTURE_SKEW:
        errors.append(_err("scanned_at", "future", _("Thời điểm quét nằm trong tương lai.")))

    device = item.get("device", default_device)
    device = str(device)[:64] if device is not None else ""

    ticket = item.get("ticket")
    walk_ins = item.get("walk_ins")
    registration = None
    age_group = ""
    if (ticket is None) == (walk_ins is None):
        message = _("Mỗi lượt có đúng một trong hai: vé hoặc số khách vãng lai.")
        errors.append(_err("ticket", "invalid", message))
    elif ticket is not None:
        parsed = None
        if isinstance(ticket, str):
            parsed = (parsed_tickets or {}).get(ticket) or ticket_parse(ticket)
        if parsed is None:
            errors.append(_err("ticket", "bad_signature", _("Vé không hợp lệ (sai chữ ký).")))
        elif offering is not None and parsed.offering_id != offering.pk:
            errors.append(_err("ticket", "wrong_offering", _("Vé này của một lớp học khác.")))
        else:
            registration = registrations.get(parsed.ticket_id)
            if registration is None or registration.offering_id != parsed.offering_id:
                errors.append(_err("ticket", "not_found", _("Không tìm thấy vé này.")))
                registration = None
            elif registration.status == Registration.Status.CANCELLED:
                errors.append(_err("ticket", "revoked", _("Vé này đã bị hủy.")))
            elif registration.status == Registration.Status.WAITLISTED:
                errors.append(
                    _err("ticket", "not_confirmed", _("Người này còn trong danh sách chờ."))
                )
    else:
        if (
            not isinstance(walk_ins, int)
            or isinstance(walk_ins, bool)
            or not (1 <= walk_ins <= conf.MAX_WALK_INS)
        ):
            errors.append(
                _err("walk_ins", "invalid",
                     _("Số khách vãng lai phải là số nguyên từ 1 đến %(max)s.")
                     % {"max": conf.MAX_WALK_INS})
            )  # fmt: skip
            walk_ins = None
        raw_age = item.get("age_group") or ""
        if raw_age not in ("", *AgeGroup.values):
            errors.append(_err("age_group", "invalid", _("Nhóm tuổi không hợp lệ.")))
        age_group = raw_age if isinstance(raw_age, str) else ""
    if errors:
        return None, errors, raw_nonce
    content = "|".join(
        [str(offering.pk), str(registration.pk if registration else ""), str(walk_ins or ""),
         age_group, scanned_at.astimezone(dt.UTC).isoformat()]
    )  # fmt: skip
    return (
        Valid(
            index=index,
            nonce=nonce,
            content_hash=hashlib.sha256(content.encode()).hexdigest(),
            offering=offering,
            registration=registration,
            walk_ins=walk_ins,
            age_group=age_group,
            scanned_at=scanned_at,
            device=device,
            ticket=ticket or "",
        ),  # fmt: skip
        [],
        raw_nonce,
    )


def _conflict(v: Valid) -> dict:
    return {
        "index": v.index,
        "nonce": str(v.nonce),
        "errors": [
            _err("nonce", "conflict",
                 _("Mã lượt này đã được gửi trước đó với nội dung khác; lượt mới không được ghi nhận."))  # noqa: E501
        ],
    }  # fmt: skip


def _stored(nonces) -> dict[uuid.UUID, str]:
    nonces = list(nonces)
    if not nonces:
        return {}
    return dict(CheckIn.objects.filter(nonce__in=nonces).values_list("nonce", "content_hash"))


def _row(v: Valid, *, counted: bool, staff_id, now) -> tuple:
    return (
        db_uuid(v.nonce), v.content_hash, v.offering.pk,
        v.registration.pk if v.registration else None, v.walk_ins, v.age_group, counted,
        db_datetime(v.scanned_at), v.device, staff_id, db_datetime(now),
    )  # fmt: skip


def _as_uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def checkins_ingest(
    *, actor: Actor, checkins: list, device: str = "", now: dt.datetime | None = None
) -> IngestResult:
    """Validate, dedupe and store a batch of scans and walk-in counts; keep roll-ups current."""
    now = now or timezone.now()
    result = IngestResult()
    offerings, registrations, parsed_tickets = _load(actor, checkins)
    valids: dict[uuid.UUID, Valid] = {}
    for index, item in enumerate(checkins):
        v, errors, raw = _validate(
            actor, index, item, offerings, registrations, now, device, parsed_tickets
        )
        if v is None:
            result.rejected.append({"index": index, "nonce": raw, "errors": errors})
            continue
        earlier = valids.get(v.nonce)
        if earlier is not None:
            if earlier.content_hash == v.content_hash:
                result.duplicates += 1
            else:
                result.rejected.append(_conflict(v))
            continue
        valids[v.nonce] = v
    stored = _stored(valids)
    fresh = []
    for nonce, v in valids.items():
        if nonce in stored:
            if stored[nonce] == v.content_hash:
                result.duplicates += 1
            else:
                result.rejected.append(_conflict(v))
        else:
            fresh.append(v)
    if fresh:
        with transaction.atomic():
            _store(actor.user.pk if actor.user and actor.user.pk else None, fresh, result, now)
    result.rejected.sort(key=lambda r: r["index"])
    result.duplicate_scans.sort(key=lambda r: r["index"])
    return result


def _store(staff_id: int | None, fresh: list[Valid], result: IngestResult, now) -> None:
    # The earliest scan of a ticket counts; rows in one order so concurrent batches lock alike.
    fresh.sort(key=lambda v: (v.registration.pk if v.registration else 0, v.scanned_at,
                              v.nonce.hex))  # fmt: skip
    returned = insert_rows(
        CheckIn, COLUMNS, [_row(v, counted=True, staff_id=staff_id, now=now) for v in fresh],
        suffix="ON CONFLICT DO NOTHING", returning=quote_name("nonce"),
    )  # fmt: skip
    inserted = {_as_uuid(r[0]) for r in returned}
    counted = [v for v in fresh if v.nonce in inserted]
    lost = [v for v in fresh if v.nonce not in inserted]
    if lost:
        # Either another request stored this nonce a moment ago (a resend racing), or the
        # ticket had already been counted (another phone): store the latter uncounted.
        raced = _stored(v.nonce for v in lost)
        again = []
        for v in lost:
            if v.nonce in raced:
                if raced[v.nonce] == v.content_hash:
                    result.duplicates += 1
                else:
                    result.rejected.append(_conflict(v))
            else:
                again.append(v)
        returned = insert_rows(
            CheckIn, COLUMNS, [_row(v, counted=False, staff_id=staff_id, now=now) for v in again],
            suffix=f"ON CONFLICT ({quote_name('nonce')}) DO NOTHING",
            returning=quote_name("nonce"),
        )  # fmt: skip
        second = {_as_uuid(r[0]) for r in returned}
        firsts = {
            c.registration_id: c
            for c in CheckIn.objects.filter(
                registration_id__in=[v.registration.pk for v in again if v.registration],
                counted=True,
            )
        }
        for v in again:
            if v.nonce not in second:
                result.duplicates += 1  # a resend that raced this very statement
                continue
            result.duplicates += 1
            first = firsts.get(v.registration.pk) if v.registration else None
            result.duplicate_scans.append(
                {
                    "index": v.index,
                    "nonce": str(v.nonce),
                    "ticket": v.ticket,
                    "name": v.registration.name if v.registration else "",
                    "first_device": first.device if first else "",
                    "first_scanned_at": first.scanned_at.isoformat() if first else None,
                }
            )
    result.accepted += len(counted)
    if not counted:
        return
    offering_ids = {v.offering.pk for v in counted}
    topics: dict[int, list[str]] = {}
    for oid, topic in OfferingTopic.objects.filter(offering_id__in=offering_ids).values_list(
        "offering_id", "topic"
    ):
        topics.setdefault(oid, []).append(topic)
    rollups_apply(
        [
            Counted(
                offering_id=v.offering.pk,
                registration_id=v.registration.pk if v.registration else None,
                walk_ins=v.walk_ins or 0,
                organisation_id=v.registration.organisation_id if v.registration else None,
                person_key=v.registration.person_key if v.registration else "",
            )
            for v in counted
        ],
        {v.offering.pk: v.offering for v in counted},
        topics,
    )


ONLINE_NAMESPACE = uuid.UUID("0c6f2f0e-8a0b-4d6c-a9f4-1f3e5b7d9a21")


def registrations_attend(
    *, registrations: list[Registration], device: str, staff_id: int | None = None,
    now: dt.datetime | None = None,
) -> IngestResult:  # fmt: skip
    """Count attendance without a scan (online classes: the end-of-class code, or the
    organiser's list). Each registration gets one fixed nonce, so repeating is harmless; a
    registration already counted by a scan stays counted once."""
    now = now or timezone.now()
    result = IngestResult()
    valids = []
    for index, reg in enumerate(registrations):
        if reg.status not in Registration.SEATED:
            continue
        nonce = uuid.uuid5(ONLINE_NAMESPACE, str(reg.pk))
        valids.append(
            Valid(
                index=index, nonce=nonce, content_hash=hashlib.sha256(nonce.bytes).hexdigest(),
                offering=reg.offering, registration=reg, walk_ins=None, age_group="",
                scanned_at=now, device=device[:64],
            )
        )  # fmt: skip
    stored = _stored(v.nonce for v in valids)
    fresh = [v for v in valids if v.nonce not in stored]
    result.duplicates += len(valids) - len(fresh)
    if fresh:
        with transaction.atomic():
            _store(staff_id, fresh, result, now)
    return result
