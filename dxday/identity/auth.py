"""`IdentityBearer`: the API auth for people outside the org tree (participants, voters).
`request.auth` is the Identity."""

from __future__ import annotations

from ninja.security import HttpBearer

from .selectors import identity_for_token


class IdentityBearer(HttpBearer):
    def authenticate(self, request, token):
        identity = identity_for_token(token)
        if identity is not None:
            request.identity = identity
        return identity
