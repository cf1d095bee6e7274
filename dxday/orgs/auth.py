"""API authentication: `Authorization: Bearer <token>`; tokens are stored hashed."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from .models import ApiToken
from .permissions import Actor, actor_for


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_generate() -> tuple[str, str]:
    """A new random token and its hash. Only the hash is stored."""
    raw = "dxd_" + secrets.token_urlsafe(32)
    return raw, token_hash(raw)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        found = (
            ApiToken.objects.select_related("user", "membership", "membership__organisation")
            .filter(key_hash=token_hash(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        # Touch at most once a minute: the ingest path must not write on every call.
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token = found
        if found.membership is not None:
            # Bound to one membership: that membership's role at its node, and nothing more.
            request.actor = Actor(user=found.user, membership=found.membership, token_bound=True)
        else:
            request.actor = actor_for(found.user, request.headers.get("X-Membership"))
        return found


class SessionActorAuth(SessionAuth):
    """The signed-in browser session (CSRF-checked), for pages that call the API."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user:
            from .middleware import get_actor

            request.actor = get_actor(request)
        return user


api_auth = [TokenAuth(), SessionActorAuth()]
