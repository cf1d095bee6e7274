"""Proving a contact: start a challenge (a code is sent), verify it (the identity is found or
created), and bearer tokens for the phone that proved it."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dxday.core.errors import DomainError, NotFound, RateLimited
from dxday.core.ratelimit import rate_hit

from .channels import channel_for
from .models import Challenge, Identity, IdentityToken

CODE_TTL = datetime.timedelta(minutes=10)
MAX_ATTEMPTS = 5
# Codes asked for per contact and per client address in a window: enough for a typo and a
# resend, too few to spam someone's phone or to mint identities in bulk from one place.
PER_CONTACT = (3, 600)
PER_ADDRESS = (20, 600)


def _keyed(*parts: str) -> str:
    # The household salt is the key that never rotates, so a contact keeps its identity.
    key = hashlib.sha256(b"dxday.identity\x00" + settings.HOUSEHOLD_SALT.encode()).digest()
    return hmac.new(key, "\x00".join(parts).encode("utf-8"), hashlib.sha256).hexdigest()


def contact_hash(kind: str, contact: str) -> str:
    return _keyed("contact", kind, contact)


def address_hash(client_ip: str) -> str:
    return _keyed("address", client_ip or "")[:32] if client_ip else ""


def _limit(key: str, limit: tuple[int, int]) -> None:
    wait = rate_hit(key, limit=limit[0], window=limit[1])
    if wait is not None:
        raise RateLimited(
            _("Bạn đã yêu cầu quá nhiều lần. Hãy thử lại sau %(n)s giây.") % {"n": wait},
            retry_after=wait,
            code="too_many_attempts",
        )


def identity_challenge_start(
    *, kind: str, contact: str, purpose: str, client_ip: str = ""
) -> Challenge:
    """Send a 6-digit code to the contact. The contact itself is kept nowhere."""
    channel = channel_for(kind)
    value = channel.normalise(contact)
    hashed = contact_hash(kind, value)
    place = address_hash(client_ip)
    if place:
        _limit(f"identity:addr:{place}", PER_ADDRESS)
    _limit(f"identity:contact:{hashed[:32]}", PER_CONTACT)
    code = f"{secrets.randbelow(10**6):06d}"
    challenge_id = uuid.uuid4()
    with transaction.atomic():
        challenge = Challenge.objects.create(
            id=challenge_id,
            kind=kind,
            purpose=(purpose or "")[:40],
            contact_hash=hashed,
            contact_masked=channel.mask(value),
            code_hash=_keyed("code", str(challenge_id), code),
            expires_at=timezone.now() + CODE_TTL,
            created_from=place,
        )
        text = _("Mã xác minh dxday của bạn là %(code)s. Mã có hiệu lực trong 10 phút.") % {
            "code": code
        }
        # Sent only once the challenge is stored; the contact lives on in this closure only.
        transaction.on_commit(lambda: channel.send(value, text))
    return challenge


def _count_failure(challenge_id) -> None:
    # Its own statement, outside the caller's error: a wrong code must still count.
    Challenge.objects.filter(pk=challenge_id).update(attempts=F("attempts") + 1)


def identity_challenge_verify(*, challenge_id, code: str, client_ip: str = "") -> Identity:
    """The identity of the contact the code was sent to, created on first proof."""
    now = timezone.now()
    challenge = Challenge.objects.filter(pk=challenge_id).first()
    if challenge is None:
        raise NotFound()
    if challenge.verified_at is not None:
        raise DomainError(
            _("Mã này đã được dùng. Hãy yêu cầu mã mới."), code="challenge_used", status=409
        )
    if challenge.expires_at <= now:
        raise DomainError(
            _("Mã đã hết hạn. Hãy yêu cầu mã mới."), code="challenge_expired", status=409
        )
    if challenge.attempts >= MAX_ATTEMPTS:
        raise DomainError(
            _("Đã nhập sai quá %(n)s lần. Hãy yêu cầu mã mới.") % {"n": MAX_ATTEMPTS},
            code="too_many_attempts",
            status=409,
        )
    typed = "".join(ch for ch in str(code or "") if ch.isascii() and ch.isdigit())[:6]
    expected = challenge.code_hash
    if not hmac.compare_digest(_keyed("code", str(challenge.pk), typed), expected):
        _count_failure(challenge.pk)
        raise DomainError(_("Mã xác minh không đúng."), code="wrong_code", field="code", status=422)
    with transaction.atomic():
        # Only one of two racing verifications of the same code wins.
        won = Challenge.objects.filter(pk=challenge.pk, verified_at__isnull=True).update(
            verified_at=now
        )
        if not won:
            raise DomainError(
                _("Mã này đã được dùng. Hãy yêu cầu mã mới."), code="challenge_used", status=409
            )
        Identity.objects.bulk_create(
            [
                Identity(
                    kind=challenge.kind,
                    contact_hash=challenge.contact_hash,
                    contact_masked=challenge.contact_masked,
                    verified_at=now,
                    created_from=challenge.created_from,
                )
            ],
            ignore_conflicts=True,  # the same contact proved twice is one identity
        )
        return Identity.objects.get(kind=challenge.kind, contact_hash=challenge.contact_hash)


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def identity_token_issue(*, identity: Identity, purpose: str) -> str:
    """A new bearer token (shown once, stored hashed)."""
    raw = "idt_" + secrets.token_urlsafe(32)
    # Issued is used: the first calls of a fresh token then write nothing (touched once a minute).
    IdentityToken.objects.create(
        key_hash=_token_hash(raw),
        identity=identity,
        purpose=(purpose or "")[:40],
        last_used_at=timezone.now(),
    )
    return raw


def identity_token_revoke(*, raw: str) -> None:
    IdentityToken.objects.filter(key_hash=_token_hash(raw), revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
