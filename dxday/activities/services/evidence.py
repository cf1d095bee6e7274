"""Evidence files: photos and PDFs, checked by their content (never by name or browser type),
photos re-encoded without their metadata, stored under random names."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from dxday.core.audit import audit
from dxday.core.errors import DomainError
from dxday.core.text import nfc
from dxday.core.uploads import MAX_IMAGE_PIXELS  # noqa: F401  (re-exported)
from dxday.core.uploads import sniff_content_type as _sniff
from dxday.core.uploads import strip_image_metadata as _strip_metadata
from dxday.orgs.permissions import Actor, ensure_can

from ..models import Activity, Evidence
from ._common import ensure_editable

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
MAX_EVIDENCE_PER_ACTIVITY = 10


def _prepare(upload) -> tuple[str, object]:
    """(verified content type, the bytes to store) for one upload, or raise."""
    if upload.size > MAX_EVIDENCE_BYTES:
        raise DomainError(
            _("Tệp “%(name)s” quá lớn: mỗi tệp tối đa %(mb)s MB.")
            % {"name": upload.name, "mb": MAX_EVIDENCE_BYTES // (1024 * 1024)},
            code="file_too_large",
        )
    content_type = _sniff(upload)
    if content_type != "application/pdf":
        upload = _strip_metadata(upload, content_type)
    return content_type, upload


@transaction.atomic
def evidence_attach(*, activity: Activity, by: Actor, uploads: Sequence) -> list[Evidence]:
    """Attach several files as one step: every file is checked before any is stored, and if a
    write fails midway the files already written are deleted again, so nothing half-written
    remains (the rows go with the transaction)."""
    ensure_can(by, "activities.report", activity.organisation)
    ensure_editable(activity)
    if not uploads:
        return []
    if activity.evidence.count() + len(uploads) > MAX_EVIDENCE_PER_ACTIVITY:
        raise DomainError(
            _("Mỗi hoạt động có tối đa %(n)s tệp minh chứng.") % {"n": MAX_EVIDENCE_PER_ACTIVITY},
            code="too_many_files",
        )
    prepared = [_prepare(upload) for upload in uploads]
    stored: list[Evidence] = []
    try:
        for content_type, upload in prepared:
            evidence = Evidence(
                activity=activity,
                content_type=content_type,
                original_name=nfc(upload.name or "")[-200:] or "tep",
                size=upload.size,
            )
            evidence.file.save(upload.name or "upload", upload, save=False)
            stored.append(evidence)
            evidence.save()
            audit(
                activity,
                "activities.evidence.added",
                by=by,
                changes={"evidence": [None, evidence.original_name]},
            )
    except BaseException:
        for evidence in stored:
            evidence.file.storage.delete(evidence.file.name)
        raise
    return stored


@transaction.atomic
def evidence_add(*, activity: Activity, by: Actor, upload) -> Evidence:
    """Attach one photo (JPEG/PNG/WebP) or PDF of at most 5 MB to a draft or returned report."""
    (evidence,) = evidence_attach(activity=activity, by=by, uploads=[upload])
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by: Actor) -> None:
    activity = evidence.activity
    ensure_can(by, "activities.report", activity.organisation)
    ensure_editable(activity)
    name, storage = evidence.file.name, evidence.file.storage
    audit(activity, "activities.evidence.removed", by=by, changes={"evidence": [name, None]})
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))
