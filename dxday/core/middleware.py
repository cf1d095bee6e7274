"""Pages show a DomainError's sentence; NotFound is Django's ordinary 404, byte for byte.

Bad input never reaches a view as a 500: `RejectNulMiddleware` answers 400 for a NUL character
anywhere in the request, and `DomainErrorMiddleware` turns a constraint race or a busy SQLite
into 409 / 503 as a last resort (see core/db.py).
"""

from __future__ import annotations

import json
from functools import wraps

from django.http import Http404, JsonResponse
from django.shortcuts import render

from .db import BUSY_RETRY_AFTER, busy_error, integrity_error, is_busy, is_constraint_race
from .errors import DomainError, NotFound
from .nul import contains_nul, invalid_characters_error


def domain_error_response(request, exc: DomainError):
    """The page for a DomainError a view let through (NotFound becomes a plain Http404, so
    a forbidden object and a missing one answer exactly the same)."""
    if isinstance(exc, NotFound) or exc.status == 404:
        raise Http404
    return render(
        request,
        "core/error.html",
        {"message": exc.message, "code": exc.code, "status": exc.status},
        status=exc.status,
    )


class DomainErrorMiddleware:
    """Add after ActorMiddleware: views may raise DomainError/NotFound and get a proper page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        api = request.path.startswith("/api/")
        if isinstance(exception, DomainError) and not api:
            return domain_error_response(request, exception)
        # Last resort: a constraint race no service translated, or SQLite's write lock held by
        # another process. The API's own handlers (dxday/api.py) catch these inside its views;
        # this covers pages and whatever runs outside them.
        if is_constraint_race(exception):
            error = integrity_error()
        elif is_busy(exception):
            error = busy_error()
        else:
            return None
        response = JsonResponse(error.as_dict(), status=error.status) if api else None
        response = response or domain_error_response(request, error)
        if error.status == 503:
            response["Retry-After"] = str(BUSY_RETRY_AFTER)
        return response


def domain_errors(view):
    """The same handling for one view (for use before the middleware is installed)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return domain_error_response(request, exc)

    return wrapper


# Paths that validate each item of a batch themselves (one bad session must not fail the whole
# batch): the ingest rejects a session with a NUL character on its own (outreach/ingest.py,
# through core.nul.contains_nul).
NUL_CHECKED_PER_ITEM = ("/api/v1/outreach/sessions",)


def requestcontains_nul(request) -> bool:
    """A NUL character in the path, the query string, form fields or a JSON body.

    PostgreSQL refuses NUL in text, and no legitimate input contains one, so it is refused at
    the door for every view instead of in each form and schema."""
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if any(contains_nul(k) or contains_nul(v) for k, v in request.GET.lists()):
        return True
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return False
    content_type = request.content_type or ""
    if content_type in {"multipart/form-data", "application/x-www-form-urlencoded"}:
        return any(contains_nul(k) or contains_nul(v) for k, v in request.POST.lists())
    body = request.body
    if b"\x00" in body:
        return True
    if b"\\u0000" not in body:  # a JSON string spells NUL as \u0000
        return False
    try:
        return contains_nul(json.loads(body))
    except ValueError:
        return False


class RejectNulMiddleware:
    """400 `invalid_characters` for a NUL character in any input (JSON on /api/, a page else)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(NUL_CHECKED_PER_ITEM) and requestcontains_nul(request):
            error = invalid_characters_error()
            if request.path.startswith("/api/"):
                return JsonResponse(error.as_dict(), status=400)
            return domain_error_response(request, error)
        return self.get_response(request)
