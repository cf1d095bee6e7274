"""Public pages and public API reads served from cache, invalidated by versioned scopes.

A view marked `@cached(scopes=..., ttl=...)` (or an API path given to `register_path`) is, for
an anonymous visitor (no session cookie, no `Authorization` header), answered by
`PageCacheMiddleware` from the Django cache (Redis with `REDIS_URL`, the local memory cache
otherwise) before the session, CSRF and authentication middleware run. An entry is kept with
the version of each of its scopes; a service that changes what the public sees (publishes,
accepts or moderates an activity, moderates an offer, changes a campaign) calls
`bump("portal")`, which takes effect when its transaction commits, and every entry of that
scope is stale at once. `ttl` bounds what no service bumps (the outreach figures move with
every ingest batch and are kept for seconds).

Versions must be shared by every worker: with Redis they live in the cache; with the local
memory cache (one machine, several gunicorn processes) in one small file per scope under
`var/pagecache/`, since each process has its own memory.

Every answer of such a view also gets its HTTP caching headers here: anonymous ones
`Cache-Control: public, max-age, s-maxage, stale-while-revalidate` with an `ETag` (and, from
the cache, `Last-Modified`), and a 304 for a matching `If-None-Match` / `If-Modified-Since`;
signed-in ones `private, max-age=0`. `DXDAY_PAGECACHE=0` switches the server-side cache off
(the headers stay).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

PORTAL = "portal"  # campaigns, published activities, approved offers


@dataclass(frozen=True)
class Policy:
    scopes: tuple[str, ...]
    ttl: int  # seconds the server keeps an entry (a bump ends it sooner)
    max_age: int = 30  # browsers
    s_maxage: int = 5  # shared caches (the nginx micro-cache)
    stale_while_revalidate: int = 30
    # Pages differ for signed-in people (their shell) and by the language cookie; the public
    # API reads are the same JSON for every caller, so a shared cache keeps one copy.
    vary_cookie: bool = True


def cached(*, scopes: tuple[str, ...] = (PORTAL,), ttl: int = 300, max_age: int = 30):
    """Mark a public view: anonymous answers are cached server-side and by shared caches."""
    policy = Policy(scopes=tuple(scopes), ttl=ttl, max_age=min(max_age, ttl))

    def mark(view):
        view.pagecache = policy
        return view

    return mark


_PATHS: list[tuple[re.Pattern, Policy]] = []


def register_path(pattern: str, *, scopes: tuple[str, ...] = (PORTAL,), ttl: int = 300) -> None:
    """Mark the paths matching `pattern` (public API reads) like a `@cached` view."""
    _PATHS.append((re.compile(pattern), Policy(scopes=tuple(scopes), ttl=ttl, vary_cookie=False)))
    policy_for_path.cache_clear()


@functools.lru_cache(maxsize=4096)
def policy_for_path(path: str) -> Policy | None:
    try:
        match = resolve(path)  # first: it loads the URLconf, whose dxday.api registers paths
    except Resolver404:
        return None
    for pattern, policy in _PATHS:
        if pattern.match(path):
            return policy
    return getattr(match.func, "pagecache", None)


# --- Versions -----------------------------------------------------------------------------


class _CacheVersions:
    """Versions in the shared cache (Redis): read with the entry in one round trip."""

    @staticmethod
    def keys(scopes) -> list[str]:
        return [f"pcv:{s}" for s in scopes]

    def bump(self, scope: str) -> None:
        cache.set(f"pcv:{scope}", secrets.token_hex(8), None)


class _FileVersions:
    """Versions in files, for processes that share a disk but not a cache (local memory)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get(self, scopes) -> tuple[str, ...]:
        out = []
        for scope in scopes:
            try:
                out.append((self.folder / scope).read_text())
            except FileNotFoundError:
                out.append("")
        return tuple(out)

    def bump(self, scope: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{scope}.{os.getpid()}.{secrets.token_hex(4)}"
        tmp.write_text(secrets.token_hex(8))
        os.replace(tmp, self.folder / scope)


_CACHE = _CacheVersions()


def _is_local() -> bool:
    return isinstance(caches["default"], LocMemCache)


def bump(*scopes: str) -> None:
    """Make every cached entry of these scopes stale once the current transaction commits
    (at once outside a transaction). Called by the services that change public content."""

    def run():
        store = _FileVersions(Path(settings.DXDAY_PAGECACHE_DIR)) if _is_local() else _CACHE
        for scope in scopes:
            store.bump(scope)

    transaction.on_commit(run)


# --- The middleware -----------------------------------------------------------------------


def _anonymous(request) -> bool:
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _public_headers(response: HttpResponse, policy: Policy) -> None:
    if not policy.vary_cookie and response.has_header("Vary"):
        vary = [v.strip() for v in response["Vary"].split(",")]
        response["Vary"] = ", ".join(v for v in vary if v.lower() != "cookie")
    patch_cache_control(
        response,
        public=True,
        max_age=policy.max_age,
        s_maxage=policy.s_maxage,
        stale_while_revalidate=policy.stale_while_revalidate,
    )


def _etag(content: bytes) -> str:
    return f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'


class PageCacheMiddleware:
    """Serve marked views and paths to anonymous visitors from the cache (see module doc).

    Placed right after WhiteNoise: a hit skips sessions, CSRF, authentication and the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        policy = policy_for_path(request.path_info)
        if policy is None:
            return self.get_response(request)
        if not _anonymous(request):
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if response.status_code == 200 and not response.has_header("Cache-Control"):
                if "HTTP_AUTHORIZATION" in request.META or (user and user.is_authenticated):
                    patch_cache_control(response, private=True, max_age=0)
                else:
                    _public_headers(response, policy)
            return response
        if not settings.DXDAY_PAGECACHE:
            response = self.get_response(request)
            if self._cacheable(response):
                _public_headers(response, policy)
                response.headers["ETag"] = _etag(response.content)
                return get_conditional_response(
                    request, etag=response.headers["ETag"], response=response
                )
            return response
        return self._cached(request, policy)

    @staticmethod
    def _cacheable(response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )

    def _cached(self, request, policy: Policy):
        raw = "|".join(
            (
                translation.get_language_from_request(request),
                timezone.localdate().isoformat(),  # countdowns and "today" move at midnight
                request.get_full_path(),
            )
        )
        key = "pc:" + hashlib.md5(raw.encode(), usedforsecurity=False).hexdigest()
        if _is_local():
            entry = cache.get(key)
            versions = _FileVersions(Path(settings.DXDAY_PAGECACHE_DIR)).get(policy.scopes)
        else:
            vkeys = _CacheVersions.keys(policy.scopes)
            got = cache.get_many([key, *vkeys])
            entry = got.get(key)
            versions = tuple(got.get(k, "") for k in vkeys)
        if entry is not None and entry["versions"] == versions:
            at = entry["at"]
            response = HttpResponse(entry["content"], status=entry["status"])
            for name, value in entry["headers"]:
                response.headers[name] = value
            response.headers["Age"] = str(max(0, int(time.time() - at)))
        else:
            response = self.get_response(request)
            if not self._cacheable(response):
                return response
            _public_headers(response, policy)
            at = time.time()
            response.headers["ETag"] = _etag(response.content)
            response.headers["Last-Modified"] = http_date(at)
            cache.set(
                key,
                {
                    "versions": versions,
                    "status": response.status_code,
                    "headers": list(response.headers.items()),
                    "content": response.content,
                    "at": at,
                },
                policy.ttl,
            )
        return get_conditional_response(
            request,
            etag=response.headers["ETag"],
            last_modified=int(at),
            response=response,
        )
