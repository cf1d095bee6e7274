"""Redirects built from request data go through here, so that none can send a user off-site."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, candidate: str | None) -> str | None:
    """`candidate` when it points to this site (same host; HTTPS when the request is), else None."""
    if not candidate:
        return None
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def redirect_back(request, fallback: str = "/") -> HttpResponseRedirect:
    """Back to where the person came from: the form's `next`, else the Referer, else `fallback`
    (a URL or URL name). A target on another site is ignored, never followed."""
    for candidate in (request.POST.get("next"), request.META.get("HTTP_REFERER")):
        target = safe_next(request, candidate)
        if target is not None:
            return redirect(target)
    return redirect(fallback)


def client_ip(request) -> str:
    """The client's address. Behind our proxy (DXDAY_BEHIND_PROXY) it is the entry the nearest
    trusted proxy appended to X-Forwarded-For (DXDAY_PROXY_COUNT proxies, default 1); entries
    further left were written by the client and are ignored. Otherwise REMOTE_ADDR."""
    count = getattr(settings, "DXDAY_PROXY_COUNT", 0)
    if count:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "")
