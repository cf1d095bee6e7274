"""The API docs work offline (nothing from a CDN, no inline script under the strict CSP) and
speak Vietnamese (issue 10)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from dxday.api import api

VIETNAMESE = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I
)


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            if attrs.get("src"):
                self.urls.append(attrs["src"])
            elif attrs.get("type") != "application/json":  # data, never run
                self._in_script = True
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])
        if tag == "img" and attrs.get("src"):
            self.urls.append(attrs["src"])
        if any(name.startswith("on") for name in attrs):
            self.inline_scripts += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts += 1


@pytest.mark.django_db
def test_api_docs_load_only_same_origin_assets_that_are_served(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn.jsdelivr.net" not in html and "django-ninja.dev" not in html
    parser = _Assets()
    parser.feed(html)
    assert parser.inline_scripts == 0  # script-src 'self' would block it
    assert any(url.endswith("swagger-ui-bundle.js") for url in parser.urls)
    assert any(url.endswith("swagger-ui.css") for url in parser.urls)
    for url in parser.urls:
        assert url.startswith("/") and not url.startswith("//"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
        if asset.streaming:  # read to its end, which closes the file
            b"".join(asset.streaming_content)


def test_every_api_operation_has_a_vietnamese_summary():
    schema = api.get_openapi_schema()
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            summary = operation.get("summary") or ""
            if not VIETNAMESE.search(summary):
                missing.append(f"{method.upper()} {path}: {summary!r}")
    assert not missing, "\n".join(missing)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_api_docs_render_in_chromium_offline_under_the_csp(page):
    """Every request the docs page makes stays on this server (offline-safe), and Swagger UI
    draws the operations with their Vietnamese summaries, with no CSP violation (fixture)."""
    foreign = []
    page.on(
        "request",
        lambda r: foreign.append(r.url) if not r.url.startswith((page.base_url, "data:")) else None,
    )
    page.goto(page.base_url + "/api/v1/docs")
    page.wait_for_selector(".opblock-summary-description")
    assert "Hoạt động đã công khai" in page.content()
    assert foreign == []
