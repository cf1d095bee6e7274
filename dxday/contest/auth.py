"""Who a participant is, on the API and on pages.

INTERIM (until `dxday.identity` lands): a participant token is a signed participant id
(django.core.signing, salt "contest.participant"), so the API and the tests run end to end.
It is replaced by the identity app's `IdentityBearer` (request.auth is the Identity) and
`identity_from_request`, the participant then found by (contest, identity).
"""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest
from ninja.security import HttpBearer

from dxday.core.errors import DomainError, NotFound

from .models import Contest, Participant

SALT = "contest.participant"
SESSION_KEY = "contest_participants"


def participant_token(participant: Participant) -> str:
    return signing.dumps({"p": participant.pk}, salt=SALT)


class ParticipantBearer(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        try:
            data = signing.loads(token, salt=SALT)
        except signing.BadSignature:
            return None
        participant = Participant.objects.filter(pk=data.get("p")).first()
        return participant


participant_auth = ParticipantBearer()


def participant_ids(request: HttpRequest) -> list[int]:
    auth = getattr(request, "auth", None)
    return [auth.pk] if isinstance(auth, Participant) else []


def participant_for(request: HttpRequest, contest: Contest) -> Participant:
    auth = getattr(request, "auth", None)
    if not isinstance(auth, Participant):
        raise NotFound()
    if auth.contest_id != contest.pk:
        from django.utils.translation import gettext as _

        raise DomainError(
            _("Bạn chưa đăng ký dự thi cuộc thi này."), code="not_registered", status=403
        )
    return auth


def participant_from_request(request: HttpRequest, contest: Contest) -> Participant | None:
    """The participant the browser session stands for in this contest, if any."""
    pid = (request.session.get(SESSION_KEY) or {}).get(str(contest.pk))
    if pid is None:
        return None
    return Participant.objects.filter(pk=pid, contest=contest).select_related("commune").first()


def participant_login(request: HttpRequest, participant: Participant) -> None:
    chosen = dict(request.session.get(SESSION_KEY) or {})
    chosen[str(participant.contest_id)] = participant.pk
    request.session[SESSION_KEY] = chosen
