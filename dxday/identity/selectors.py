"""Reads of identities: by token (API), by session (pages), and bursts of new identities from
one place (for the organisers of a vote or a contest to review)."""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.utils import timezone

from .models import Identity, IdentityToken
from .services import _token_hash

SESSION_KEY = "identity_id"
TOUCH_EVERY = datetime.timedelta(minutes=1)


def identity_for_token(raw: str | None) -> Identity | None:
    if not raw or len(raw) > 200:
        return None
    token = (
        IdentityToken.objects.select_related("identity")
        .filter(key_hash=_token_hash(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        IdentityToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.identity


def identity_from_request(request) -> Identity | None:
    """The identity this browser proved, if any (pages; the API uses IdentityBearer)."""
    pk = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not isinstance(pk, int):
        return None
    return Identity.objects.filter(pk=pk).first()


def identity_login(request, identity: Identity) -> None:
    """Remember the proved identity in this browser's session (a new session key: no fixation)."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = identity.pk


def identity_logout(request) -> None:
    request.session.pop(SESSION_KEY, None)


def identity_bursts(
    *, since: datetime.datetime, min_count: int = 5, within: set[int] | None = None
) -> list[dict]:
    """Places (hashed addresses) that created at least `min_count` identities since `since`,
    most first; `within` narrows to some identities (a programme's voters)."""
    qs = Identity.objects.filter(created_at__gte=since).exclude(created_from="")
    if within is not None:
        qs = qs.filter(pk__in=within)
    rows = (
        qs.values("created_from")
        .annotate(n=Count("id"))
        .filter(n__gte=min_count)
        .order_by("-n", "created_from")
    )
    return [{"place": r["created_from"], "count": r["n"]} for r in rows]
