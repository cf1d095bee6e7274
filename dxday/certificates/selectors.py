"""Reads of certificates: by code for the public, per source for the issuers, and the signed
QR payload that a phone checks offline."""

from __future__ import annotations

import json

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from dxday.core import signing
from dxday.core.errors import NotFound

from .models import Certificate

_CODE_CHARS = set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def clean_code(code: str) -> str | None:
    """A code as typed from paper: spaces and dashes dropped, upper case, O→0 and I/L→1."""
    text = "".join(ch for ch in (code or "").upper() if ch not in " -")[:32]
    text = text.replace("O", "0").replace("I", "1").replace("L", "1")
    if not text or not set(text) <= _CODE_CHARS:
        return None
    return text


def certificate_by_code(code: str) -> Certificate:
    """The certificate with that code; NotFound for anything else, malformed codes included."""
    cleaned = clean_code(code)
    if cleaned is None:
        raise NotFound()
    found = Certificate.objects.select_related("issuer").filter(code=cleaned).first()
    if found is None:
        raise NotFound()
    return found


def certificate_public(code: str) -> dict:
    """What anyone may know of a certificate: the API's and the verification page's answer."""
    cert = certificate_by_code(code)
    return {
        "status": cert.status,
        "name": cert.holder_name,
        "offering": cert.title,
        "organiser": cert.issuer.name,
        "date": cert.issued_on,
        "revoked_reason": cert.revoked_reason if not cert.is_valid else "",
    }


def certificates_for_source(source: str) -> QuerySet[Certificate]:
    return Certificate.objects.filter(source=source).select_related("issuer").order_by("pk")


def verify_url(cert: Certificate) -> str:
    return settings.PUBLIC_URL + reverse("certificates:verify", args=[cert.code])


def certificate_claims(cert: Certificate) -> dict:
    """The facts the QR carries, signed: code, name, title, issuer, date."""
    return {
        "c": cert.code,
        "n": cert.holder_name,
        "t": cert.title,
        "o": cert.issuer.name,
        "d": cert.issued_on.isoformat(),
    }


def certificate_token(cert: Certificate) -> str:
    """base64url(JSON claims) + "." + base64url(Ed25519 signature)."""
    body = json.dumps(certificate_claims(cert), ensure_ascii=False, separators=(",", ":"))
    return signing.sign_text(signing.b64url(body.encode("utf-8")))


def certificate_qr_text(cert: Certificate) -> str:
    """What the QR on the paper says: the verification page, with the signed claims in the
    fragment (never sent to the server; read by the page's script, online or not)."""
    return f"{verify_url(cert)}#{certificate_token(cert)}"


def claims_from_token(token: str) -> dict | None:
    """The claims of a genuine token, None for a forged or damaged one."""
    body = signing.open_text(token)
    if body is None:
        return None
    try:
        claims = json.loads(signing.b64url_decode(body).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    return claims if isinstance(claims, dict) else None
