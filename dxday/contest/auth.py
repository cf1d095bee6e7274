"""Who a participant is, on the API and on pages: the identity app's verified contact.

The API's "participant token" is an identity token (`IdentityBearer`: request.auth is the
Identity); the participant is the identity's registration in the round's contest. Pages read
the identity the browser proved (`identity_from_request`, the session).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from dxday.core.errors import DomainError, NotFound
from dxday.identity.auth import IdentityBearer
from dxday.identity.models import Identity
from dxday.identity.selectors import identity_from_request
from dxday.identity.services import identity_token_issue

from .models import Contest, Participant

TOKEN_PURPOSE = "contest"
SESSION_TOKEN = "contest_token"

participant_auth = IdentityBearer()


def participant_for(request: HttpRequest, contest: Contest) -> Participant:
    identity = getattr(request, "auth", None)
    if not isinstance(identity, Identity):
        raise NotFound()
    participant = (
        Participant.objects.filter(contest=contest, identity=identity)
        .select_related("contest")
        .first()
    )
    if participant is None:
        raise DomainError(
            _("Bạn chưa đăng ký dự thi cuộc thi này."), code="not_registered", status=403
        )
    return participant


def participant_from_request(request: HttpRequest, contest: Contest) -> Participant | None:
    """The participant the browser's proved identity stands for in this contest, if any."""
    identity = identity_from_request(request)
    if identity is None:
        return None
    return (
        Participant.objects.filter(contest=contest, identity=identity)
        .select_related("commune")
        .first()
    )


def page_token(request: HttpRequest, participant: Participant) -> str:
    """The bearer token the attempt page's script uses: issued once per browser session (kept
    in the server-side session, never in a cookie of its own)."""
    raw = request.session.get(SESSION_TOKEN)
    if not isinstance(raw, str) or request.session.get(SESSION_TOKEN + "_id") != (
        participant.identity_id
    ):
        raw = identity_token_issue(identity=participant.identity, purpose=TOKEN_PURPOSE)
        request.session[SESSION_TOKEN] = raw
        request.session[SESSION_TOKEN + "_id"] = participant.identity_id
    return raw
