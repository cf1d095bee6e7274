"""Applicants and their entries: drafts, files, submission before the deadline, the
organiser's screening, and reopening one entry past the deadline."""

from __future__ import annotations

import datetime

from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from dxday.core.audit import audit, diff, snapshot
from dxday.core.errors import DomainError, NotFound, clean_or_raise
from dxday.core.text import nfc
from dxday.core.uploads import sniff_content_type, strip_image_metadata
from dxday.identity.models import Identity
from dxday.orgs.permissions import Actor, ensure_can

from ..models import Applicant, Category, Entry, EntryFile, Programme
from ._common import ensure_organiser, ensure_phase, now
from .eligibility import eligibility_errors

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_ENTRY = 8


# An applicant has no account in the tree: their writes are audited with no user.
APPLICANT = None


@transaction.atomic
def applicant_register(
    *,
    identity: Identity,
    kind: str,
    name: str,
    org_type: str = "",
    is_foreign: bool = False,
    has_vn_representative: bool = False,
    has_permanent_residence: bool = False,
) -> Applicant:
    """The applicant profile of a verified identity, created or updated."""
    applicant = Applicant.objects.filter(identity=identity).first() or Applicant(identity=identity)
    before = snapshot(applicant) if applicant.pk else {}
    applicant.kind = kind
    applicant.name = nfc(name).strip()
    applicant.org_type = org_type if kind == Applicant.Kind.ORGANISATION else ""
    applicant.is_foreign = bool(is_foreign)
    applicant.has_vn_representative = bool(has_vn_representative)
    applicant.has_permanent_residence = bool(has_permanent_residence)
    clean_or_raise(applicant)
    applicant.save()
    audit(applicant, "awards.applicant.saved", by=APPLICANT, changes=diff(before, applicant))
    return applicant


def _clean_answers(category: Category, answers: dict, *, strict: bool) -> dict:
    cleaned: dict[str, str] = {}
    errors: dict[str, str] = {}
    known = {q["key"]: q for q in category.questions}
    for key, value in (answers or {}).items():
        if key not in known:
            continue
        text = nfc(str(value or "")).strip()[:5000]
        cleaned[key] = text
    if strict:
        for key, q in known.items():
            if q.get("required") and not cleaned.get(key):
                errors[key] = _("Câu “%(q)s” là bắt buộc.") % {"q": q["label"]}
    if errors:
        raise DomainError(
            _("Hồ sơ còn thiếu câu trả lời bắt buộc."),
            code="invalid",
            errors=errors,
            status=422,
        )
    return cleaned


def _clean_video(link: str) -> str:
    link = (link or "").strip()
    if not link:
        return ""
    try:
        URLValidator(schemes=["https", "http"])(link)
    except Exception:  # noqa: BLE001 - Django's ValidationError, re-raised as a domain error
        raise DomainError(
            _("Đường dẫn video không hợp lệ."), code="invalid", field="video_link", status=422
        ) from None
    return link[:200]


def entries_window_open(programme: Programme, entry: Entry | None = None) -> bool:
    moment = now()
    if entry is not None and entry.reopened_until and moment <= entry.reopened_until:
        return True
    return programme.entries_open <= moment <= programme.entries_close


def _ensure_window(programme: Programme, entry: Entry | None = None) -> None:
    if not entries_window_open(programme, entry):
        raise DomainError(
            _(
                "Đã hết hạn nhận hồ sơ (%(close)s). Hồ sơ không thể nộp thêm; nếu có lý do "
                "chính đáng, hãy liên hệ Ban Tổ chức."
            )
            % {"close": programme.entries_close.astimezone(_tz()).strftime("%H:%M %d/%m/%Y")},
            code="entries_closed",
            status=409,
        )


def _tz():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Ho_Chi_Minh")


def _ensure_own(applicant: Applicant, entry: Entry) -> None:
    if entry.applicant_id != applicant.pk:
        raise NotFound()


def _ensure_editable(entry: Entry) -> None:
    if entry.status not in (Entry.Status.DRAFT, Entry.Status.INCOMPLETE):
        raise DomainError(_("Hồ sơ đã nộp, không sửa được nữa."), code="not_editable", status=409)


@transaction.atomic
def entry_save(
    *,
    applicant: Applicant,
    programme: Programme,
    category: Category,
    title: str,
    answers: dict | None = None,
    video_link: str = "",
    entry: Entry | None = None,
) -> Entry:
    """Create or update a draft (the deadline applies to submitting, not to drafting)."""
    if programme.kind != Programme.Kind.AWARD or category.programme_id != programme.pk:
        raise DomainError(_("Hạng mục không thuộc chương trình này."), code="invalid", status=422)
    if entry is not None:
        _ensure_own(applicant, entry)
        _ensure_editable(entry)
    else:
        _ensure_window(programme)
    title = nfc(title or "").strip()
    if not title:
        raise DomainError(
            _("Hãy nhập tên hồ sơ hoặc sản phẩm."), code="invalid", field="title", status=422
        )
    reasons = eligibility_errors(category, applicant)
    if reasons:
        raise DomainError(reasons[0], code="not_eligible", errors=reasons, status=422)
    target = entry or Entry(programme=programme, applicant=applicant)
    before = snapshot(target) if target.pk else {}
    target.category = category
    target.title = title[:300]
    target.answers = _clean_answers(category, answers or {}, strict=False)
    target.video_link = _clean_video(video_link)
    target.save()
    audit(target, "awards.entry.saved", by=APPLICANT, changes=diff(before, target))
    return target


@transaction.atomic
def entry_file_add(*, applicant: Applicant, entry: Entry, upload) -> EntryFile:
    _ensure_own(applicant, entry)
    _ensure_editable(entry)
    if entry.files.count() >= MAX_FILES_PER_ENTRY:
        raise DomainError(
            _("Mỗi hồ sơ có tối đa %(n)s tệp.") % {"n": MAX_FILES_PER_ENTRY},
            code="too_many_files",
            status=422,
        )
    if upload.size > MAX_FILE_BYTES:
        raise DomainError(
            _("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)},
            code="file_too_large",
            status=422,
        )
    content_type = sniff_content_type(upload)
    if content_type.startswith("image/"):
        upload = strip_image_metadata(upload, content_type)
    original = nfc(getattr(upload, "name", "") or "")[:200]
    stored = EntryFile(
        entry=entry, content_type=content_type, size=upload.size, original_name=original
    )
    stored.file.save(f"{entry.pk}", upload, save=False)
    # The stored name is random and has no extension the browser could act on.
    stored.save()
    audit(entry, "awards.entry.file_added", by=APPLICANT, changes={"file": original})
    return stored


@transaction.atomic
def entry_submit(*, applicant: Applicant, entry: Entry) -> Entry:
    entry = (
        Entry.objects.select_for_update().select_related("programme", "category").get(pk=entry.pk)
    )
    _ensure_own(applicant, entry)
    _ensure_editable(entry)
    _ensure_window(entry.programme, entry)
    reasons = eligibility_errors(entry.category, applicant)
    if reasons:
        raise DomainError(reasons[0], code="not_eligible", errors=reasons, status=422)
    _clean_answers(entry.category, entry.answers, strict=True)
    entry.status = Entry.Status.SUBMITTED
    entry.submitted_at = now()
    entry.save(update_fields=["status", "submitted_at", "updated_at"])
    audit(entry, "awards.entry.submitted", by=APPLICANT)
    return entry


@transaction.atomic
def entry_reopen(*, by: Actor, entry: Entry, until: datetime.datetime, reason: str) -> Entry:
    """Let one entry be completed and submitted past the deadline, for a stated reason."""
    ensure_organiser(by, entry.programme)
    reason = nfc(reason or "").strip()
    if not reason:
        raise DomainError(
            _("Hãy ghi lý do mở lại hồ sơ."), code="reason_required", field="reason", status=422
        )
    if until <= now():
        raise DomainError(
            _("Thời hạn mở lại phải ở tương lai."), code="invalid", field="until", status=422
        )
    entry.reopened_until = until
    entry.reopen_reason = reason[:2000]
    if entry.status == Entry.Status.SUBMITTED:
        entry.status = Entry.Status.DRAFT
    entry.save(update_fields=["reopened_until", "reopen_reason", "status", "updated_at"])
    audit(entry, "awards.entry.reopened", by=by, changes={"until": until, "reason": reason})
    return entry


@transaction.atomic
def entry_screen(
    *,
    by: Actor,
    entry: Entry,
    verdict: str,
    reason: str = "",
    complete_by: datetime.datetime | None = None,
) -> Entry:
    """The organiser's screening: eligible, ineligible with a reason, or incomplete (returned
    for completion by a deadline)."""
    programme = Programme.objects.get(pk=entry.programme_id)  # its phase as it is now
    ensure_organiser(by, programme)
    ensure_phase(programme, Programme.Phase.ENTRIES, Programme.Phase.SCREENING)
    if entry.status not in (Entry.Status.SUBMITTED, Entry.Status.ELIGIBLE, Entry.Status.INELIGIBLE):
        raise DomainError(_("Chỉ sơ loại được hồ sơ đã nộp."), code="not_submitted", status=409)
    reason = nfc(reason or "").strip()
    if verdict == Entry.Status.ELIGIBLE:
        entry.screening_reason, entry.complete_by = "", None
    elif verdict == Entry.Status.INELIGIBLE:
        if not reason:
            raise DomainError(
                _("Hãy ghi lý do hồ sơ không hợp lệ."), code="reason_required", status=422
            )
        entry.screening_reason, entry.complete_by = reason, None
    elif verdict == Entry.Status.INCOMPLETE:
        if not reason or complete_by is None or complete_by <= now():
            raise DomainError(
                _("Hãy ghi phần cần bổ sung và hạn bổ sung (ở tương lai)."),
                code="reason_required",
                status=422,
            )
        entry.screening_reason, entry.complete_by = reason, complete_by
        entry.reopened_until = complete_by  # completing it may go past the entry deadline
    else:
        raise DomainError(_("Kết quả sơ loại không hợp lệ."), code="invalid", status=422)
    entry.status = verdict
    entry.save(
        update_fields=["status", "screening_reason", "complete_by", "reopened_until", "updated_at"]
    )
    audit(entry, f"awards.entry.{verdict}", by=by, changes={"reason": reason})
    return entry


@transaction.atomic
def applicant_link(
    *, by: Actor, programme: Programme, applicant: Applicant, organisation
) -> Applicant:
    """The organiser ties an applicant to its node of the tree (a state agency entering), so
    its entries count in that unit's report. Both must be within the organiser's subtree."""
    ensure_organiser(by, programme)
    if organisation is not None:
        ensure_can(by, "orgs.view", organisation)
    old = applicant.organisation_id
    applicant.organisation = organisation
    applicant.save(update_fields=["organisation", "updated_at"])
    audit(
        applicant,
        "awards.applicant.linked",
        by=by,
        changes={"organisation": [old, getattr(organisation, "pk", None)]},
    )
    return applicant
