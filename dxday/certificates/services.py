"""Issuing and revoking certificates: the only writes of the app."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxday.core.audit import audit, audit_bulk
from dxday.core.errors import DomainError
from dxday.core.text import nfc
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import Actor, ensure_can

from .models import Certificate

# Crockford base32 without I, L, O, U: read aloud or typed from paper without confusion.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12


def new_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(CODE_LENGTH))


def _manage_action(kind: str) -> str:
    if kind not in Certificate.Kind.values:
        raise DomainError(_("Loại chứng nhận không hợp lệ."), code="invalid_kind", status=422)
    return f"{kind}.manage"


@transaction.atomic
def certificates_issue(
    *,
    by: Actor,
    issuer: Organisation,
    kind: str,
    source: str,
    title: str,
    issued_on: datetime.date,
    holders: Iterable[tuple[str, str]],
) -> list[Certificate]:
    """One certificate per (holder_key, holder_name), idempotent per (source, holder_key):
    issuing again returns the existing certificates and creates only the new ones."""
    ensure_can(by, _manage_action(kind), issuer)
    title = nfc(title).strip()
    if not title:
        raise DomainError(_("Nội dung chứng nhận không được để trống."), code="invalid")
    wanted: dict[str, str] = {}
    for key, name in holders:
        name = nfc(name or "").strip()
        if not key or not name:
            raise DomainError(
                _("Mỗi người nhận phải có họ và tên."), code="invalid_holder", status=422
            )
        wanted[str(key)[:80]] = name[:200]
    existing = {
        c.holder_key: c
        for c in Certificate.objects.filter(source=source, holder_key__in=list(wanted))
    }
    fresh = [
        Certificate(
            code=new_code(),
            kind=kind,
            source=source[:80],
            holder_key=key,
            holder_name=name,
            title=title[:300],
            issuer=issuer,
            issued_on=issued_on,
        )
        for key, name in wanted.items()
        if key not in existing
    ]
    # ignore_conflicts: a concurrent issue of the same list loses nothing and doubles nothing.
    Certificate.objects.bulk_create(fresh, batch_size=500, ignore_conflicts=True)
    issued = list(Certificate.objects.filter(source=source, holder_key__in=list(wanted)))
    created = [c for c in issued if c.holder_key not in existing]
    audit_bulk(
        Certificate,
        "certificates.certificate.issued",
        [(c.pk, str(c), {"source": c.source, "title": c.title}) for c in created],
        by=by,
    )
    return sorted(issued, key=lambda c: c.pk)


@transaction.atomic
def certificate_revoke(*, by: Actor, certificate: Certificate, reason: str) -> Certificate:
    ensure_can(by, _manage_action(certificate.kind), certificate.issuer)
    reason = nfc(reason or "").strip()
    if not reason:
        raise DomainError(
            _("Hãy ghi lý do thu hồi chứng nhận."), code="reason_required", status=422
        )
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.status == Certificate.Status.REVOKED:
        raise DomainError(
            _("Chứng nhận này đã bị thu hồi trước đó."), code="already_revoked", status=409
        )
    locked.status = Certificate.Status.REVOKED
    locked.revoked_reason = reason[:500]
    locked.revoked_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["status", "revoked_reason", "revoked_at", "updated_at"])
    audit(locked, "certificates.certificate.revoked", by=by, changes={"reason": reason})
    return locked
