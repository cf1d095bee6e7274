"""Every write in activities goes through here: reports, evidence, figures, review, publishing,
state-management areas and offers. Each step is audited."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxday.core.audit import audit, audit_created, diff, snapshot
from dxday.core.errors import DomainError
from dxday.core.text import nfc, search_key
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import Actor, can, ensure_can
from dxday.plans.models import Assignment, Campaign, Indicator
from dxday.plans.services import assignment_status_set

from .models import (
    Activity,
    ActivityType,
    Evidence,
    IndicatorValue,
    Offer,
    Sector,
    SectorMilestone,
)

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
MAX_EVIDENCE_PER_ACTIVITY = 10
MAX_IMAGE_PIXELS = 40_000_000
_IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}

ACTIVITY_FIELDS = (
    "title", "type", "starts_on", "ends_on", "province", "commune", "is_online",
    "description", "links", "sector",
)  # fmt: skip


# --- helpers ---------------------------------------------------------------------------------


def _activity_search_key(activity: Activity) -> str:
    parts = [activity.title, activity.description, activity.organisation.name]
    if activity.province_id:
        parts.append(activity.province.name)
    if activity.commune_id:
        parts.append(activity.commune.name)
    return search_key(" ".join(p for p in parts if p))


def _ensure_editable(activity: Activity) -> None:
    if activity.status == Activity.Status.ACCEPTED:
        raise DomainError(
            _("Báo cáo đã được duyệt nên đã khóa, không thể sửa."), code="locked", status=409
        )
    if activity.status == Activity.Status.SUBMITTED:
        raise DomainError(
            _("Báo cáo đang chờ duyệt, không thể sửa. Hãy chờ kết quả duyệt."),
            code="under_review",
            status=409,
        )


def _ensure_reviewer(by: Actor, organisation: Organisation) -> None:
    """Only a coordinator above the unit reviews it, never the unit itself."""
    ensure_can(by, "activities.review", organisation)
    if not by.is_operator and by.organisation_id == organisation.pk:
        raise DomainError(
            _("Đơn vị không thể tự duyệt báo cáo của chính mình; cấp trên sẽ duyệt."),
            code="self_review",
            status=403,
        )


def _allowed_indicators(activity: Activity) -> dict[str, Indicator]:
    if activity.assignment_id:
        qs = activity.assignment.task.indicators.all()
    else:
        qs = Indicator.objects.all()
    return {i.code: i for i in qs.select_related("part_of")}


def _clean_value(indicator: Indicator, raw: Any) -> int | None:
    """'' / None → None (not reported); anything else must be a whole number ≥ 0.

    Text may use Vietnamese thousands separators ("10.250")."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    value: int | None = None
    if isinstance(raw, bool):
        value = None
    elif isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, str):
        text = raw.strip().replace(".", "").replace(" ", "")
        if text.lstrip("-").isdigit():
            value = int(text)
    if value is None:
        raise DomainError(
            _("Chỉ tiêu “%(name)s” phải là số nguyên.") % {"name": indicator.name},
            code="invalid_value",
            field=indicator.code,
        )
    if value < 0:
        raise DomainError(
            _("Chỉ tiêu “%(name)s” không được là số âm.") % {"name": indicator.name},
            code="invalid_value",
            field=indicator.code,
        )
    return value


def parts_errors(values: dict[Indicator, int | None]) -> list[str]:
    """Messages for every part that exceeds its total (both must be reported to compare)."""
    by_pk = {ind.pk: (ind, v) for ind, v in values.items()}
    errors = []
    for indicator, value in values.items():
        if indicator.part_of_id is None or value is None or indicator.part_of_id not in by_pk:
            continue
        total, total_value = by_pk[indicator.part_of_id]
        if total_value is not None and value > total_value:
            errors.append(
                _(
                    "Chỉ tiêu “%(part)s” (%(pv)s) không được lớn hơn chỉ tiêu tổng "
                    "“%(total)s” (%(tv)s)."
                )
                % {"part": indicator.name, "pv": value, "total": total.name, "tv": total_value}
            )
    return errors


def _check_parts(values: dict[Indicator, int | None]) -> None:
    errors = parts_errors(values)
    if errors:
        raise DomainError(" ".join(errors), code="part_exceeds_total", errors=errors)


def clean_values(activity: Activity, values: dict[str, Any]) -> dict[Indicator, int | None]:
    """Validate figures keyed by indicator code; raise DomainError on the first problem."""
    allowed = _allowed_indicators(activity)
    cleaned: dict[Indicator, int | None] = {}
    for code, raw in values.items():
        indicator = allowed.get(code)
        if indicator is None:
            raise DomainError(
                _("Chỉ tiêu “%(code)s” không thuộc nhiệm vụ này.") % {"code": code},
                code="unknown_indicator",
                field=code,
            )
        cleaned[indicator] = _clean_value(indicator, raw)
    # Compare with the figures already stored for indicators not being changed now.
    if activity.pk:
        for iv in activity.values.select_related("indicator"):
            if iv.indicator not in cleaned and iv.indicator.code in allowed:
                cleaned[allowed[iv.indicator.code]] = iv.value
    _check_parts(cleaned)
    return cleaned


def _store_values(activity: Activity, cleaned: dict[Indicator, int | None]) -> dict:
    existing = {iv.indicator_id: iv for iv in activity.values.all()}
    changes = {}
    for indicator, value in cleaned.items():
        iv = existing.get(indicator.pk)
        if iv is None:
            IndicatorValue.objects.create(activity=activity, indicator=indicator, value=value)
            if value is not None:
                changes[indicator.code] = [None, value]
        elif iv.value != value:
            changes[indicator.code] = [iv.value, value]
            iv.value = value
            iv.save(update_fields=["value"])
    return changes


def _check_links(links: str) -> None:
    """Only web addresses (http/https): a `javascript:` link would run on the public portal."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    validate = URLValidator(schemes=["http", "https"])
    for line in links.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            validate(line)
        except ValidationError as exc:
            raise DomainError(
                _(
                    "Đường dẫn “%(link)s” không hợp lệ: chỉ nhận địa chỉ bắt đầu bằng http:// hoặc "
                    "https://."
                )
                % {"link": line[:100]},
                code="invalid_link",
                field="links",
            ) from exc


def _apply(activity: Activity, data: dict[str, Any]) -> None:
    for name in ACTIVITY_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name in {"title", "description", "links"}:
            value = nfc(value or "")
        setattr(activity, name, value)
    if "links" in data:
        _check_links(activity.links)
    if activity.type and activity.type not in ActivityType.values:
        raise DomainError(_("Loại hoạt động không hợp lệ."), code="invalid_type", field="type")


def _full_clean(instance) -> None:
    from django.core.exceptions import ValidationError

    try:
        instance.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(
            " ".join(messages),
            code="invalid",
            field=None if field == "__all__" else field,
            errors=exc.message_dict,
        ) from exc


# --- activities ------------------------------------------------------------------------------


@transaction.atomic
def activity_create(
    *,
    by: Actor,
    data: dict[str, Any],
    assignment: Assignment | None = None,
    organisation: Organisation | None = None,
    campaign: Campaign | None = None,
    values: dict[str, Any] | None = None,
) -> Activity:
    """A draft report, against an assignment or (without one) on the unit's own initiative."""
    if assignment is not None:
        organisation = assignment.organisation
        campaign = assignment.task.plan.campaign
    if organisation is None:
        organisation = by.organisation
    ensure_can(by, "activities.report", organisation)
    if campaign is None:
        campaign = Campaign.objects.order_by("-year").first()
    if campaign is None:
        raise DomainError(_("Chưa có chiến dịch nào để báo cáo."), code="no_campaign")
    activity = Activity(
        campaign=campaign,
        organisation=organisation,
        assignment=assignment,
        created_by=by.user if by.user.pk else None,
        province_id=organisation.province_id,
        commune_id=organisation.commune_id,
    )
    _apply(activity, data)
    activity.search_key = _activity_search_key(activity)
    _full_clean(activity)
    activity.save()
    if values:
        _store_values(activity, clean_values(activity, values))
    audit_created(activity, "activities.activity.created", by=by)
    if assignment is not None and assignment.status == Assignment.Status.NOT_STARTED:
        assignment_status_set(assignment=assignment, status=Assignment.Status.IN_PROGRESS, by=by)
    return activity


@transaction.atomic
def activity_update(
    *, activity: Activity, by: Actor, data: dict[str, Any], values: dict[str, Any] | None = None
) -> Activity:
    ensure_can(by, "activities.report", activity.organisation)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _ensure_editable(activity)
    before = snapshot(activity)
    _apply(activity, data)
    activity.search_key = _activity_search_key(activity)
    _full_clean(activity)
    activity.save()
    changes = diff(before, activity)
    changes.pop("search_key", None)
    if values is not None:
        changes.update(_store_values(activity, clean_values(activity, values)))
    if changes:
        audit(activity, "activities.activity.updated", by=by, changes=changes)
    return activity


@transaction.atomic
def activity_values_set(*, activity: Activity, by: Actor, values: dict[str, Any]) -> Activity:
    """Set figures by indicator code. Empty means "not reported" (NULL), never 0."""
    ensure_can(by, "activities.report", activity.organisation)
    _ensure_editable(activity)
    changes = _store_values(activity, clean_values(activity, values))
    if changes:
        audit(activity, "activities.values.set", by=by, changes=changes)
    return activity


def _sniff(upload) -> str:
    """The verified content type of an upload, or raise. Never trusts the name or the browser."""
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(upload) as image:
            fmt = image.format
            too_big = image.width * image.height > MAX_IMAGE_PIXELS
            image.verify()
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
    ) as exc:
        raise DomainError(
            _("Chỉ nhận ảnh JPEG, PNG, WebP hoặc tệp PDF."), code="unsupported_file_type"
        ) from exc
    finally:
        upload.seek(0)
    if too_big:
        raise DomainError(
            _("Ảnh quá lớn: tối đa %(mp)s triệu điểm ảnh.") % {"mp": MAX_IMAGE_PIXELS // 10**6},
            code="image_too_large",
        )
    if fmt not in _IMAGE_FORMATS:
        raise DomainError(
            _("Chỉ nhận ảnh JPEG, PNG, WebP hoặc tệp PDF."), code="unsupported_file_type"
        )
    return _IMAGE_FORMATS[fmt]


def _strip_metadata(upload, content_type: str):
    """Re-encode a photo without its metadata: phones write the GPS position and the device into
    EXIF, and re-encoding also drops anything smuggled after the image data."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageOps

    fmt = {v: k for k, v in _IMAGE_FORMATS.items()}[content_type]
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        buffer = io.BytesIO()
        options = {"quality": 90} if fmt in ("JPEG", "WEBP") else {"optimize": True}
        image.save(buffer, format=fmt, **options)
    upload.seek(0)
    return SimpleUploadedFile(upload.name or "anh", buffer.getvalue(), content_type=content_type)


@transaction.atomic
def evidence_add(*, activity: Activity, by: Actor, upload) -> Evidence:
    ensure_can(by, "activities.report", activity.organisation)
    _ensure_editable(activity)
    if upload.size > MAX_EVIDENCE_BYTES:
        raise DomainError(
            _("Tệp “%(name)s” quá lớn: mỗi tệp tối đa %(mb)s MB.")
            % {"name": upload.name, "mb": MAX_EVIDENCE_BYTES // (1024 * 1024)},
            code="file_too_large",
        )
    if activity.evidence.count() >= MAX_EVIDENCE_PER_ACTIVITY:
        raise DomainError(
            _("Mỗi hoạt động có tối đa %(n)s tệp minh chứng.") % {"n": MAX_EVIDENCE_PER_ACTIVITY},
            code="too_many_files",
        )
    content_type = _sniff(upload)
    if content_type != "application/pdf":
        upload = _strip_metadata(upload, content_type)
    evidence = Evidence(
        activity=activity,
        content_type=content_type,
        original_name=nfc(upload.name or "")[-200:] or "tep",
        size=upload.size,
    )
    evidence.file.save(upload.name or "upload", upload, save=False)
    evidence.save()
    audit(
        activity,
        "activities.evidence.added",
        by=by,
        changes={"evidence": [None, evidence.original_name]},
    )
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by: Actor) -> None:
    activity = evidence.activity
    ensure_can(by, "activities.report", activity.organisation)
    _ensure_editable(activity)
    name, storage = evidence.file.name, evidence.file.storage
    audit(activity, "activities.evidence.removed", by=by, changes={"evidence": [name, None]})
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def activity_submit(*, activity: Activity, by: Actor) -> Activity:
    ensure_can(by, "activities.report", activity.organisation)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status not in {Activity.Status.DRAFT, Activity.Status.RETURNED}:
        raise DomainError(
            _("Chỉ gửi được báo cáo ở trạng thái nháp hoặc bị trả lại."),
            code="not_draft",
            status=409,
        )
    values = {iv.indicator: iv.value for iv in activity.values.select_related("indicator")}
    _check_parts(values)
    before = activity.status
    activity.status = Activity.Status.SUBMITTED
    activity.submitted_at = timezone.now()
    _full_clean(activity)
    activity.save(update_fields=["status", "submitted_at", "updated_at"])
    audit(
        activity, "activities.activity.submitted", by=by, changes={"status": [before, "submitted"]}
    )
    if activity.assignment_id:
        assignment_status_set(
            assignment=activity.assignment, status=Assignment.Status.REPORTED, by=by
        )
    return activity


@transaction.atomic
def activity_accept(*, activity: Activity, by: Actor) -> Activity:
    """Accept a submitted report: it is locked and published on the portal."""
    _ensure_reviewer(by, activity.organisation)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status != Activity.Status.SUBMITTED:
        raise DomainError(
            _("Chỉ duyệt được báo cáo đang chờ duyệt."), code="not_submitted", status=409
        )
    now = timezone.now()
    activity.status = Activity.Status.ACCEPTED
    activity.return_reason = ""
    activity.reviewed_at = now
    activity.reviewed_by = by.user
    activity.is_published = True
    activity.published_at = now
    activity.save(
        update_fields=[
            "status", "return_reason", "reviewed_at", "reviewed_by", "is_published",
            "published_at", "updated_at",
        ]
    )  # fmt: skip
    audit(
        activity,
        "activities.activity.accepted",
        by=by,
        changes={"status": ["submitted", "accepted"]},
    )
    if activity.assignment_id:
        assignment_status_set(
            assignment=activity.assignment, status=Assignment.Status.ACCEPTED, by=by
        )
    return activity


@transaction.atomic
def activity_return(*, activity: Activity, by: Actor, reason: str) -> Activity:
    """Send a submitted report back for correction; the reason is required and kept."""
    _ensure_reviewer(by, activity.organisation)
    reason = nfc(reason)
    if not reason:
        raise DomainError(
            _("Hãy ghi lý do trả lại để đơn vị biết cần sửa gì."),
            code="reason_required",
            field="reason",
        )
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status != Activity.Status.SUBMITTED:
        raise DomainError(
            _("Chỉ trả lại được báo cáo đang chờ duyệt."), code="not_submitted", status=409
        )
    activity.status = Activity.Status.RETURNED
    activity.return_reason = reason
    activity.reviewed_at = timezone.now()
    activity.reviewed_by = by.user
    activity.save(
        update_fields=["status", "return_reason", "reviewed_at", "reviewed_by", "updated_at"]
    )
    audit(
        activity,
        "activities.activity.returned",
        by=by,
        changes={"status": ["submitted", "returned"], "reason": reason},
    )
    if activity.assignment_id:
        assignment_status_set(
            assignment=activity.assignment, status=Assignment.Status.RETURNED, by=by, reason=reason
        )
    return activity


def _ensure_publisher(by: Actor, organisation: Organisation) -> None:
    if can(by, "activities.moderate", organisation):
        return
    _ensure_reviewer(by, organisation)


@transaction.atomic
def activity_unpublish(*, activity: Activity, by: Actor, reason: str = "") -> Activity:
    _ensure_publisher(by, activity.organisation)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if not activity.is_published:
        return activity
    activity.is_published = False
    activity.save(update_fields=["is_published", "updated_at"])
    audit(activity, "activities.activity.unpublished", by=by, changes={"reason": nfc(reason)})
    return activity


@transaction.atomic
def activity_publish(*, activity: Activity, by: Actor) -> Activity:
    _ensure_publisher(by, activity.organisation)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status != Activity.Status.ACCEPTED:
        raise DomainError(
            _("Chỉ công khai được hoạt động đã được duyệt."), code="not_accepted", status=409
        )
    if activity.is_published:
        return activity
    activity.is_published = True
    activity.published_at = timezone.now()
    activity.save(update_fields=["is_published", "published_at", "updated_at"])
    audit(activity, "activities.activity.published", by=by)
    return activity


# --- state-management areas ------------------------------------------------------------------


def _ensure_ministry(organisation: Organisation) -> None:
    if organisation.kind not in {Organisation.Kind.MINISTRY, Organisation.Kind.NATIONAL}:
        raise DomainError(
            _("Chỉ bộ, ngành mới đăng ký lĩnh vực quản lý nhà nước."), code="not_ministry"
        )


@transaction.atomic
def sector_create(
    *,
    by: Actor,
    organisation: Organisation,
    name: str,
    target: str = "",
    progress: int = 0,
    ai_usage: str = "",
    campaign: Campaign | None = None,
) -> Sector:
    ensure_can(by, "sectors.manage", organisation)
    _ensure_ministry(organisation)
    sector = Sector(
        organisation=organisation,
        campaign=campaign or Campaign.objects.order_by("-year").first(),
        name=nfc(name),
        target=nfc(target),
        progress=progress,
        ai_usage=nfc(ai_usage),
    )
    _full_clean(sector)
    sector.save()
    audit_created(sector, "activities.sector.created", by=by)
    return sector


@transaction.atomic
def sector_update(*, sector: Sector, by: Actor, **fields: Any) -> Sector:
    ensure_can(by, "sectors.manage", sector.organisation)
    before = snapshot(sector)
    for name in ("name", "target", "progress", "ai_usage"):
        if name in fields:
            value = fields[name]
            setattr(sector, name, nfc(value) if isinstance(value, str) else value)
    _full_clean(sector)
    sector.save()
    audit(sector, "activities.sector.updated", by=by, changes=diff(before, sector))
    return sector


@transaction.atomic
def sector_milestone_add(
    *, sector: Sector, by: Actor, date: datetime.date, text: str
) -> SectorMilestone:
    ensure_can(by, "sectors.manage", sector.organisation)
    milestone = SectorMilestone(sector=sector, date=date, text=nfc(text))
    _full_clean(milestone)
    milestone.save()
    audit(sector, "activities.sector.milestone_added", by=by, changes={"milestone": [None, text]})
    return milestone


# --- offers ----------------------------------------------------------------------------------

OFFER_FIELDS = ("provider", "title", "discount", "starts_on", "ends_on", "how_to_claim", "link")


@transaction.atomic
def offer_register(
    *,
    by: Actor,
    data: dict[str, Any],
    organisation: Organisation | None = None,
    campaign: Campaign | None = None,
) -> Offer:
    """Register an offer; it waits for a moderator before anyone sees it."""
    organisation = organisation or by.organisation
    ensure_can(by, "offers.register", organisation)
    offer = Offer(
        organisation=organisation,
        campaign=campaign or Campaign.objects.order_by("-year").first(),
    )
    for name in OFFER_FIELDS:
        if name in data:
            value = data[name]
            setattr(offer, name, nfc(value) if isinstance(value, str) else value)
    offer.search_key = search_key(f"{offer.provider} {offer.title} {offer.discount}")
    _full_clean(offer)
    offer.save()
    audit_created(offer, "activities.offer.registered", by=by)
    return offer


@transaction.atomic
def offer_approve(*, offer: Offer, by: Actor) -> Offer:
    ensure_can(by, "offers.moderate", offer.organisation)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status == Offer.Status.APPROVED:
        return offer
    before = offer.status
    offer.status = Offer.Status.APPROVED
    offer.reject_reason = ""
    offer.reviewed_at = timezone.now()
    offer.reviewed_by = by.user
    offer.save(
        update_fields=["status", "reject_reason", "reviewed_at", "reviewed_by", "updated_at"]
    )
    audit(offer, "activities.offer.approved", by=by, changes={"status": [before, "approved"]})
    return offer


@transaction.atomic
def offer_reject(*, offer: Offer, by: Actor, reason: str) -> Offer:
    ensure_can(by, "offers.moderate", offer.organisation)
    reason = nfc(reason)
    if not reason:
        raise DomainError(
            _("Hãy ghi lý do từ chối ưu đãi."), code="reason_required", field="reason"
        )
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    before = offer.status
    offer.status = Offer.Status.REJECTED
    offer.reject_reason = reason
    offer.reviewed_at = timezone.now()
    offer.reviewed_by = by.user
    offer.save(
        update_fields=["status", "reject_reason", "reviewed_at", "reviewed_by", "updated_at"]
    )
    audit(
        offer,
        "activities.offer.rejected",
        by=by,
        changes={"status": [before, "rejected"], "reason": reason},
    )
    return offer
