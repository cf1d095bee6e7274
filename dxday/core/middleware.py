"""Pages show a DomainError's sentence; NotFound is Django's ordinary 404, byte for byte."""

from __future__ import annotations

from functools import wraps

from django.http import Http404
from django.shortcuts import render

from .errors import DomainError, NotFound


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
        if isinstance(exception, DomainError) and not request.path.startswith("/api/"):
            return domain_error_response(request, exception)
        return None


def domain_errors(view):
    """The same handling for one view (for use before the middleware is installed)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return domain_error_response(request, exc)

    return wrapper
