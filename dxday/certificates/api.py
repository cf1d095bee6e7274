"""/api/v1/certificates: the public check of a certificate, and the key offline checks use."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Path, Router, Schema

from dxday.core import signing

from .selectors import certificate_public

router = Router(tags=["certificates"])


class CertificateOut(Schema):
    status: Literal["valid", "revoked"]
    name: str
    offering: str
    organiser: str
    date: datetime.date
    revoked_reason: str = ""


class KeyOut(Schema):
    algorithm: Literal["Ed25519"]
    public_key: str


@router.get("/key", response=KeyOut, summary="Khóa công khai để kiểm tra mã QR khi không có mạng")
def signing_key(request):
    return {"algorithm": "Ed25519", "public_key": signing.public_key_b64()}


@router.get("/{code}", response=CertificateOut, summary="Xác thực một chứng nhận theo mã")
def certificate(request, code: str = Path(..., min_length=12, max_length=32)):
    return certificate_public(code)
