"""/api/v1/identity: prove a contact by a code, get a token for this phone."""

from __future__ import annotations

import datetime
import uuid
from typing import Literal

from ninja import Field, Router, Schema, Status

from dxday.core.api import ErrorOut
from dxday.core.http import client_ip

from .services import identity_challenge_start, identity_challenge_verify, identity_token_issue

router = Router(tags=["identity"])


class ChallengeIn(Schema):
    kind: Literal["email", "phone"]
    contact: str = Field(max_length=200)
    purpose: str = Field(default="", max_length=40)


class ChallengeOut(Schema):
    challenge: uuid.UUID
    sent_to: str
    expires_at: datetime.datetime


class VerifyIn(Schema):
    code: str = Field(max_length=20)


class TokenOut(Schema):
    token: str
    identity: int
    contact: str


@router.post(
    "/challenges",
    response={201: ChallengeOut, 429: ErrorOut},
    summary="Gửi mã xác minh tới thư điện tử hoặc số điện thoại",
)
def challenge_start(request, payload: ChallengeIn):
    challenge = identity_challenge_start(
        kind=payload.kind,
        contact=payload.contact,
        purpose=payload.purpose,
        client_ip=client_ip(request),
    )
    return Status(
        201,
        {
            "challenge": challenge.pk,
            "sent_to": challenge.contact_masked,
            "expires_at": challenge.expires_at,
        },
    )


@router.post(
    "/challenges/{challenge_id}/verify",
    response={200: TokenOut},
    summary="Nhập mã xác minh, nhận token cho thiết bị này",
)
def challenge_verify(request, challenge_id: uuid.UUID, payload: VerifyIn):
    identity = identity_challenge_verify(
        challenge_id=challenge_id, code=payload.code, client_ip=client_ip(request)
    )
    token = identity_token_issue(identity=identity, purpose="api")
    return {"token": token, "identity": identity.pk, "contact": identity.contact_masked}
