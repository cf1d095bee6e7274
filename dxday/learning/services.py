"""Every write of the learning capability except the check-in batch (checkin.py).

Capacity is a guarantee: a seat is taken by one conditional UPDATE (`_take_seat`), never by
reading the count and writing it back, so fifty people racing for the last five seats get
exactly five confirmations on SQLite and PostgreSQL alike (tests/test_concurrency.py).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dxday.certificates.services import certificates_issue
from dxday.core.audit import audit, audit_created, audit_saved, snapshot
from dxday.core.errors import DomainError, clean_or_raise
from dxday.core.pagecache import bump
from dxday.core.text import nfc, search_key
from dxday.orgs.models import Commune, Membership, Organisation
from dxday.orgs.permissions import Actor, ensure_can

from . import conf
from .checkin import registrations_attend
from .models import Offering, OfferingTopic, Registration
from .topics import Topic

# Letters and digits a person can read back over the phone (no 0/O, 1/I/L).
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
OFFERING_FIELDS = [
    "kind", "format", "title", "description", "commune", "address", "online_link", "starts_at",
    "ends_at", "capacity", "audience", "task", "speakers", "agenda", "livestream_url",
    "invitation_only", "invitation_code", "registration_open", "certificates_enabled",
    "attendance_code",
]  # fmt: skip


def new_code(length: int = 10) -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(length))


# --- Offerings ---------------------------------------------------------------------------------


def _offering_check(offering: Offering) -> None:
    errors: dict[str, list[str]] = {}
    in_person = offering.format in (Offering.Format.IN_PERSON, Offering.Format.HYBRID)
    online = offering.format in (Offering.Format.ONLINE, Offering.Format.HYBRID)
    if in_person and not offering.commune_id and not offering.address:
        errors["address"] = [_("Lớp học trực tiếp cần xã, phường hoặc địa điểm.")]
    if online and not offering.online_link and not offering.livestream_url:
        errors["online_link"] = [_("Lớp học trực tuyến cần đường dẫn học trực tuyến.")]
    if offering.invitation_only and not offering.invitation_code:
        errors["invitation_code"] = [_("Sự kiện chỉ theo giấy mời cần có mã giấy mời.")]
    if offering.starts_at and offering.ends_at and offering.ends_at < offering.starts_at:
        errors["ends_at"] = [_("Thời gian kết thúc phải sau thời gian bắt đầu.")]
    if offering.capacity is not None and offering.capacity < offering.seats_taken:
        errors["capacity"] = [
            _("Đã có %(n)s người giữ chỗ; số chỗ không được nhỏ hơn.") % {"n": offering.seats_taken}
        ]
    if errors:
        field = next(iter(errors))
        raise DomainError(errors[field][0], code="invalid", field=field, errors=errors)


def _offering_fill(offering: Offering) -> None:
    offering.title = nfc(offering.title).strip()
    offering.address = nfc(offering.address).strip()
    if offering.commune_id:
        offering.province_id = offering.commune.province_id
    else:
        offering.province_id = offering.organiser.province_id
    place = offering.commune.name if offering.commune_id else ""
    offering.search_key = search_key(f"{offering.title} {offering.address} {place}")[:600]


def _topics_set(offering: Offering, topics: Iterable[str]) -> None:
    codes = sorted({str(t) for t in topics})
    unknown = [c for c in codes if c not in Topic.values]
    if unknown:
        raise DomainError(
            _("Chủ đề “%(t)s” không có trong danh mục.") % {"t": unknown[0]},
            code="invalid",
            field="topics",
        )
    OfferingTopic.objects.filter(offering=offering).exclude(topic__in=codes).delete()
    have = set(OfferingTopic.objects.filter(offering=offering).values_list("topic", flat=True))
    OfferingTopic.objects.bulk_create(
        [OfferingTopic(offering=offering, topic=c) for c in codes if c not in have]
    )


@transaction.atomic
def offering_create(
    *, actor: Actor, campaign, organiser: Organisation, topics: Iterable[str] = (), **fields
) -> Offering:
    """A class, training, seminar, dialogue or booth organised by `organiser`."""
    ensure_can(actor, "learning.manage", organiser)
    unknown = set(fields) - set(OFFERING_FIELDS)
    if unknown:
        raise TypeError(f"unknown offering fields: {sorted(unknown)}")
    offering = Offering(campaign=campaign, organiser=organiser, **fields)
    if offering.kind == Offering.Kind.TRAINING and "audience" not in fields:
        offering.audience = Offering.Audience.OFFICIALS
    _offering_fill(offering)
    _offering_check(offering)
    clean_or_raise(offering)
    offering.save()
    _topics_set(offering, topics)
    audit_created(offering, "learning.offering.created", by=actor)
    bump("learning")  # the public class pages
    return offering


@transaction.atomic
def offering_update(
    *, actor: Actor, offering: Offering, topics: Iterable[str] | None = None, **fields
) -> Offering:
    ensure_can(actor, "learning.manage", offering.organiser)
    unknown = set(fields) - set(OFFERING_FIELDS)
    if unknown:
        raise TypeError(f"unknown offering fields: {sorted(unknown)}")
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    before = snapshot(offering)
    for name, value in fields.items():
        setattr(offering, name, value)
    _offering_fill(offering)
    _offering_check(offering)
    clean_or_raise(offering)
    offering.save(update_fields=[*fields, "province", "search_key", "title", "address",
                                 "updated_at"])  # fmt: skip
    if topics is not None:
        _topics_set(offering, topics)
    audit_saved(offering, before, "learning.offering", by=actor)
    bump("learning")
    return offering


# --- Registrations ----------------------------------------------------------------------------


def registration_closed_reason(offering: Offering, now: dt.datetime | None = None) -> str | None:
    """Why registration is closed (a sentence), or None while it is open."""
    now = now or timezone.now()
    if not offering.registration_open:
        return _("Lớp học này đã ngừng nhận đăng ký.")
    if offering.ends_at <= now:
        return _("Lớp học này đã kết thúc.")
    return None


def _take_seat(offering_id: int) -> bool:
    """Take one seat if one is left: a single conditional UPDATE, decided by the database."""
    return bool(
        Offering.objects.filter(pk=offering_id)
        .filter(Q(capacity__isnull=True) | Q(seats_taken__lt=F("capacity")))
        .update(seats_taken=F("seats_taken") + 1)
    )


def _free_seat(offering_id: int) -> None:
    Offering.objects.filter(pk=offering_id, seats_taken__gt=0).update(
        seats_taken=F("seats_taken") - 1
    )


def _clean_contact(contact: str) -> str:
    contact = nfc(contact or "").strip()
    if not contact:
        return ""
    if "@" in contact:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        try:
            validate_email(contact)
        except ValidationError as exc:
            raise DomainError(
                _("Địa chỉ thư điện tử không hợp lệ."), code="invalid", field="contact"
            ) from exc
        return contact.lower()
    digits = "".join(c for c in contact if c.isdigit())
    plain = contact.replace(" ", "").replace(".", "").lstrip("+")
    if not (plain.isdigit() and 9 <= len(digits) <= 12):
        raise DomainError(
            _("Số điện thoại hoặc thư điện tử không hợp lệ."), code="invalid", field="contact"
        )
    return digits


@transaction.atomic
def registration_create(
    *,
    offering: Offering,
    name: str,
    commune: Commune | None = None,
    contact: str = "",
    user=None,
    organisation: Organisation | None = None,
    invitation_code: str = "",
    by: Actor | None = None,
    now: dt.datetime | None = None,
) -> Registration:
    """Register one person: confirmed while seats are left, else on the waiting list.

    A citizen needs no account (name, commune, an optional contact); an official registers
    with their account, and registering again returns the registration they already have.
    """
    reason = registration_closed_reason(offering, now)
    if reason:
        raise DomainError(reason, code="registration_closed", status=409)
    if offering.invitation_only and not secrets.compare_digest(
        (invitation_code or "").strip().upper(), offering.invitation_code.strip().upper()
    ):
        raise DomainError(
            _("Sự kiện này chỉ dành cho khách mời; mã giấy mời không đúng."),
            code="invitation_required",
            status=403,
            field="invitation_code",
        )
    name = nfc(name or "").strip()
    if not name:
        raise DomainError(_("Hãy nhập họ và tên."), code="invalid", field="name")
    if user is not None:
        existing = (
            Registration.objects.filter(offering=offering, user=user)
            .exclude(status=Registration.Status.CANCELLED)
            .first()
        )
        if existing is not None:
            return existing
    registration = Registration(
        offering=offering,
        code=new_code(),
        name=name,
        commune=commune,
        contact=_clean_contact(contact),
        user=user,
        organisation=organisation,
        status=Registration.Status.WAITLISTED,
    )
    registration.fill_keys()
    # The related rows are objects the caller holds: no query per foreign key to re-check them.
    clean_or_raise(
        registration, exclude=["status", "code", "offering", "commune", "user", "organisation"]
    )
    if _take_seat(offering.pk):
        registration.status = Registration.Status.CONFIRMED
    registration.save()
    audit(
        registration,
        "learning.registration.created",
        by=by,
        changes={"status": [None, registration.status], "offering": [None, offering.pk]},
    )
    return registration


def _promote_next(offering: Offering, now: dt.datetime) -> Registration | None:
    """Give a freed seat to the first person waiting: held for them until `hold_until`."""
    nxt = (
        Registration.objects.select_for_update()
        .filter(offering_id=offering.pk, status=Registration.Status.WAITLISTED)
        .order_by("id")
        .first()
    )
    if nxt is None:
        _free_seat(offering.pk)
        return None
    nxt.status = Registration.Status.HELD
    nxt.hold_until = now + dt.timedelta(hours=conf.hold_hours())
    nxt.save(update_fields=["status", "hold_until", "updated_at"])
    audit(nxt, "learning.registration.promoted", by=None,
          changes={"status": ["waitlisted", "held"]})  # fmt: skip
    transaction.on_commit(lambda: _notify_later(nxt.pk))
    return nxt


@transaction.atomic
def registration_cancel(
    *, registration: Registration, by: Actor | None = None, now: dt.datetime | None = None
) -> Registration:
    """Cancel a registration; a seat it held goes to the next person waiting, with a hold."""
    now = now or timezone.now()
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return registration
    if registration.checkins.filter(counted=True).exists():
        raise DomainError(
            _("Người này đã điểm danh; không thể hủy đăng ký."), code="already_checked_in",
            status=409,
        )  # fmt: skip
    seated = registration.status in Registration.SEATED
    before = registration.status
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = now
    registration.hold_until = None
    registration.save(update_fields=["status", "cancelled_at", "hold_until", "updated_at"])
    audit(
        registration, "learning.registration.cancelled", by=by,
        changes={"status": [before, "cancelled"]},
    )  # fmt: skip
    if seated:
        _promote_next(registration.offering, now)
    return registration


@transaction.atomic
def registration_hold_confirm(
    *, registration: Registration, now: dt.datetime | None = None
) -> Registration:
    """The person a seat was held for takes it (before the hold expires)."""
    now = now or timezone.now()
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CONFIRMED:
        return registration
    if registration.status != Registration.Status.HELD:
        raise DomainError(_("Không có chỗ nào đang được giữ cho bạn."), code="no_hold", status=409)
    if registration.hold_until and registration.hold_until < now:
        raise DomainError(_("Thời hạn giữ chỗ đã hết."), code="hold_expired", status=409)
    registration.status = Registration.Status.CONFIRMED
    registration.hold_until = None
    registration.save(update_fields=["status", "hold_until", "updated_at"])
    audit(registration, "learning.registration.confirmed", by=None,
          changes={"status": ["held", "confirmed"]})  # fmt: skip
    return registration


def holds_expire(*, now: dt.datetime | None = None) -> int:
    """Release every hold past its time, each seat going on to the next person waiting.
    Returns how many holds expired (the periodic task calls it)."""
    now = now or timezone.now()
    expired = 0
    ids = list(
        Registration.objects.filter(status=Registration.Status.HELD, hold_until__lt=now)
        .order_by("id")
        .values_list("id", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            reg = Registration.objects.select_for_update().filter(pk=pk).first()
            if reg is None or reg.status != Registration.Status.HELD or reg.hold_until >= now:
                continue
            reg.status = Registration.Status.CANCELLED
            reg.cancelled_at = now
            reg.save(update_fields=["status", "cancelled_at", "updated_at"])
            audit(reg, "learning.registration.hold_expired", by=None,
                  changes={"status": ["held", "cancelled"]})  # fmt: skip
            _promote_next(reg.offering, now)
            expired += 1
    return expired


def _notify_later(registration_id: int) -> None:
    """Deliver the notice on the task worker (the database backend runs it; tests run tasks
    immediately)."""
    from .tasks import registration_notify_promoted as task

    task.enqueue(registration_id)


@transaction.atomic
def registrations_enrol(
    *, actor: Actor, offering: Offering, organisation: Organisation, names: list[str] | None = None
) -> list[Registration]:
    """Enrol a unit's officials: its accounts (when `names` is None) or a list of names."""
    ensure_can(actor, "learning.manage", offering.organiser)
    out = []
    if names is None:
        users = (
            Membership.objects.filter(organisation=organisation)
            .select_related("user")
            .order_by("user_id")
        )
        seen = set()
        for m in users:
            if m.user_id in seen or not m.user.is_active:
                continue
            seen.add(m.user_id)
            out.append(
                registration_create(
                    offering=offering, name=m.user.full_name or m.user.username, user=m.user,
                    organisation=organisation, by=actor,
                    invitation_code=offering.invitation_code,
                )
            )  # fmt: skip
    else:
        for name in names:
            if nfc(name or "").strip():
                out.append(
                    registration_create(
                        offering=offering, name=name, organisation=organisation, by=actor,
                        invitation_code=offering.invitation_code,
                    )
                )  # fmt: skip
    return out


def registrations_erase_contacts(*, now: dt.datetime | None = None) -> int:
    """Erase the contacts of registrants of offerings that ended more than the retention
    period ago (a daily task and `dxday learning-erase-contacts`). Returns rows erased."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=conf.contact_retention_days())
    return (
        Registration.objects.filter(offering__ends_at__lt=cutoff)
        .exclude(contact="")
        .update(contact="", contact_erased_at=now)
    )


@transaction.atomic
def headcount_set(*, actor: Actor, campaign, organisation: Organisation, officials: int):
    """A unit's number of officials (the share trained is read against it)."""
    from .models import OfficialHeadcount

    ensure_can(actor, "learning.manage", organisation)
    if officials < 0:
        raise DomainError(_("Số cán bộ phải là số không âm."), code="invalid", field="officials")
    row, _created = OfficialHeadcount.objects.update_or_create(
        campaign=campaign, organisation=organisation, defaults={"officials": officials}
    )
    audit(row, "learning.headcount.set", by=actor, changes={"officials": [None, officials]})
    return row


def attendance_by_code(
    *, registration: Registration, code: str, now: dt.datetime | None = None
) -> bool:
    """An online attendee enters the code shown at the end of the class. True when counted
    now, False when they were counted already."""
    now = now or timezone.now()
    offering = registration.offering
    if not offering.attendance_code or not secrets.compare_digest(
        (code or "").strip().upper(), offering.attendance_code.strip().upper()
    ):
        raise DomainError(_("Mã điểm danh không đúng."), code="bad_attendance_code", field="code")
    if now < offering.starts_at:
        raise DomainError(_("Lớp học chưa bắt đầu."), code="not_started", status=409)
    if registration.status not in Registration.SEATED:
        raise DomainError(_("Vé này không còn hiệu lực."), code="revoked", status=409)
    return registrations_attend(registrations=[registration], device="ma-diem-danh",
                                now=now).accepted == 1  # fmt: skip


def attendance_from_list(
    *, actor: Actor, offering: Offering, codes: list[str], now: dt.datetime | None = None
) -> tuple[int, list[str]]:
    """The organiser's list of attendees (ticket codes, one a line) of an online class.
    Returns (newly counted, codes not found)."""
    ensure_can(actor, "learning.manage", offering.organiser)
    wanted = {c.strip().upper()[:20] for c in codes if c.strip()}
    regs = list(offering.registrations.filter(code__in=wanted))
    missing = sorted(wanted - {r.code for r in regs})
    result = registrations_attend(
        registrations=regs, device="danh-sach", staff_id=actor.user.pk, now=now
    )
    audit(offering, "learning.attendance.list_uploaded", by=actor,
          changes={"counted": [None, result.accepted]})  # fmt: skip
    return result.accepted, missing


# --- Certificates (through the shared certificates app) ---------------------------------------


def certificate_source(offering: Offering) -> str:
    return f"learning.offering:{offering.pk}"


def certificates_issue_for(*, actor: Actor, offering: Offering) -> list:
    """Certificates for everyone who attended (counted check-in), idempotent: issuing again
    adds only the people who attended since. Officials' trainings always give certificates;
    other offerings when the organiser turned them on. Audited by the certificates app."""
    ensure_can(actor, "learning.manage", offering.organiser)
    if not offering.gives_certificates:
        raise DomainError(
            _("Lớp học này không cấp giấy chứng nhận; hãy bật “Cấp giấy chứng nhận” trước."),
            code="certificates_off",
            status=409,
        )
    attendees = (
        Registration.objects.filter(offering=offering, checkins__counted=True)
        .distinct()
        .order_by("id")
        .values_list("id", "name")
    )
    holders = [(f"registration:{pk}", name) for pk, name in attendees]
    if not holders:
        raise DomainError(_("Chưa có ai tham gia lớp học này."), code="no_attendees", status=409)
    return certificates_issue(
        by=actor, issuer=offering.organiser, kind="learning", source=certificate_source(offering),
        title=offering.title, issued_on=timezone.localtime(offering.ends_at).date(),
        holders=holders,
    )  # fmt: skip
