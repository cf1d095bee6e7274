"""Ed25519 signatures for payloads that a phone checks offline: festival tickets and
certificates. A scanner or a verifier page holds only the public key (`public_key_b64`), so it
can tell a real QR from a forged one without the server and without any list of people.

Signatures are 64 bytes (86 characters of base64url): short enough for a QR that a cheap phone
camera reads, and, unlike an HMAC, safe to check on a device nobody controls.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Bytes of an unpadded base64url text; ValueError when it is not one."""
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:  # binascii.Error is a ValueError
        raise ValueError("not base64url") from exc


@lru_cache(maxsize=4)
def _private_key(secret: str) -> Ed25519PrivateKey:
    # Domain-separated, so the same secret text never yields a key used for anything else.
    seed = hashlib.sha256(b"dxday.signing.ed25519\x00" + secret.encode("utf-8")).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def _key() -> Ed25519PrivateKey:
    return _private_key(settings.SIGNING_KEY or settings.SECRET_KEY)


def sign(data: bytes) -> bytes:
    """The 64-byte Ed25519 signature of `data`."""
    return _key().sign(data)


def verify(data: bytes, signature: bytes) -> bool:
    try:
        _key().public_key().verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def public_key_raw() -> bytes:
    return (
        _key()
        .public_key()
        .public_bytes(encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw)
    )


def public_key_b64() -> str:
    """The raw 32-byte public key, base64url: what offline verifiers are given."""
    return b64url(public_key_raw())


def verify_with_public_key(public_b64: str, data: bytes, signature: bytes) -> bool:
    """Check as an offline device does, with nothing but the published key."""
    try:
        key = Ed25519PublicKey.from_public_bytes(b64url_decode(public_b64))
        key.verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def sign_text(text: str) -> str:
    """`text` + "." + base64url(signature): one printable token for a QR."""
    return f"{text}.{b64url(sign(text.encode('utf-8')))}"


def open_text(token: str) -> str | None:
    """The text of a token made by `sign_text`, or None when it is not genuine."""
    text, dot, sig = token.rpartition(".")
    if not dot:
        return None
    try:
        signature = b64url_decode(sig)
    except ValueError:
        return None
    return text if verify(text.encode("utf-8"), signature) else None
