"""dxday's URLs plus the baselines of P1–P3: bare Django views that return a body of a given
size (HTML or JSON) at once, through the same middleware stack as every page. Mounted only in
the bench's app server (`DJANGO_SETTINGS_MODULE=bench.portal.settings`)."""

from django.http import HttpResponse
from django.urls import path

from dxday.urls import urlpatterns as app_urlpatterns

_BODIES: dict[tuple[str, int], bytes] = {}


def _body(kind: str, size: int) -> bytes:
    body = _BODIES.get((kind, size))
    if body is None:
        if kind == "json":
            filler = max(0, size - len(b'{"x": ""}'))
            body = b'{"x": "' + b"a" * filler + b'"}'
        else:
            body = b"<!doctype html><p>" + b"a" * max(0, size - 18)
        _BODIES[(kind, size)] = body
    return body


def bare_html(request, size: int):
    return HttpResponse(_body("html", size), content_type="text/html; charset=utf-8")


def bare_json(request, size: int):
    return HttpResponse(_body("json", size), content_type="application/json")


urlpatterns = [
    path("__bench/bare/<int:size>", bare_html),
    path("__bench/json/<int:size>", bare_json),
    *app_urlpatterns,
]
