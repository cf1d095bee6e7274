"""Ticket signing: the one place that knows how a ticket's QR payload is made and checked.

A payload is ``L1.<offering>.<ticket>.<signature>`` (ids in base 36, the signature the first
12 bytes of an HMAC-SHA256, base64url: about 30 characters, a version-2 QR code that a cheap
phone camera reads at arm's length). Each offering has its own key derived from the master
secret (`offering_key`); a check-in phone downloads the keys of the offerings it scans for
(`GET /api/v1/learning/checkin/config`) and verifies tickets offline with WebCrypto, without
the registrant list. A leaked offering key lets someone forge tickets for that one offering
only, and the server verifies every scan again when the batch arrives.

Switching to Ed25519 (dxday.core.signing) later changes `ticket_payload` / `ticket_parse`
and the phone's verifier, nothing else.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
from dataclasses import dataclass

from . import conf

PREFIX = "L1"
SIG_BYTES = 12
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def b36(n: int) -> str:
    if n <= 0:
        return "0"
    out = []
    while n:
        n, r = divmod(n, 36)
        out.append(_DIGITS[r])
    return "".join(reversed(out))


def unb36(text: str) -> int | None:
    if not text or len(text) > 12 or any(c not in _DIGITS for c in text):
        return None
    return int(text, 36)


def offering_key(offering_id: int) -> bytes:
    return _offering_key(conf.ticket_secret(), offering_id)


@functools.lru_cache(maxsize=4096)
def _offering_key(secret: bytes, offering_id: int) -> bytes:
    return hmac.new(secret, f"offering:{offering_id}".encode(), "sha256").digest()


def offering_key_b64(offering_id: int) -> str:
    return base64.urlsafe_b64encode(offering_key(offering_id)).decode().rstrip("=")


def _signature(offering_id: int, ticket_id: int) -> str:
    message = f"{PREFIX}.{b36(offering_id)}.{b36(ticket_id)}".encode()
    digest = hmac.new(offering_key(offering_id), message, hashlib.sha256).digest()[:SIG_BYTES]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def ticket_payload(offering_id: int, ticket_id: int) -> str:
    return f"{PREFIX}.{b36(offering_id)}.{b36(ticket_id)}.{_signature(offering_id, ticket_id)}"


@dataclass(frozen=True)
class ParsedTicket:
    offering_id: int
    ticket_id: int


def ticket_parse(payload: str) -> ParsedTicket | None:
    """The ids of a genuine payload, or None (malformed or a bad signature)."""
    if not isinstance(payload, str) or len(payload) > 80:
        return None
    parts = payload.strip().split(".")
    if len(parts) != 4 or parts[0] != PREFIX:
        return None
    offering_id, ticket_id = unb36(parts[1]), unb36(parts[2])
    if not offering_id or not ticket_id or offering_id > 2**31 or ticket_id > 2**63:
        return None
    if not hmac.compare_digest(parts[3], _signature(offering_id, ticket_id)):
        return None
    return ParsedTicket(offering_id, ticket_id)
