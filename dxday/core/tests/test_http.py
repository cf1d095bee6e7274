"""`redirect_back`: the one way a redirect is built from request data."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from dxday.core.http import redirect_back, safe_next


@pytest.fixture
def rf():
    return RequestFactory()


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        "https:///evil.example/",
    ],
)
def test_an_off_site_next_or_referer_is_ignored(rf, target):
    request = rf.post("/x/", {"next": target}, HTTP_REFERER=target)
    assert redirect_back(request, "/fallback/").url == "/fallback/"


def test_next_first_then_referer_then_fallback(rf):
    assert redirect_back(rf.post("/x/", {"next": "/a/"}, HTTP_REFERER="/b/")).url == "/a/"
    assert redirect_back(rf.post("/x/", HTTP_REFERER="http://testserver/b/?q=1")).url == (
        "http://testserver/b/?q=1"
    )
    assert redirect_back(rf.post("/x/"), "core:healthz").url == "/healthz"


def test_on_https_a_plain_http_target_is_not_followed(rf):
    request = rf.post("/x/", {"next": "http://testserver/a/"}, secure=True)
    assert safe_next(request, "http://testserver/a/") is None
    assert safe_next(request, "https://testserver/a/") == "https://testserver/a/"
    assert redirect_back(request).url == "/"
