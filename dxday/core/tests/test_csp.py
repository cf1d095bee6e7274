"""Content-Security-Policy on every page; an injected inline script does not run (issue 9 §3).

The browser tests all run under the policy, and the `page` fixture fails any of them that logs a
CSP violation, so a page that still relies on an inline script is caught there.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from dxday.orgs.tests.factories import DEFAULT_PASSWORD


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/", "/dang-nhap/", "/outreach/to/", "/api/v1/provinces", "/khong-co-trang-nay/"]
)
def test_every_response_carries_a_strict_policy(client, url):
    response = client.get(url)
    d = _directives(response)
    assert d["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in d.get("script-src", []) + d["default-src"]
    assert "'unsafe-eval'" not in d["script-src"]
    assert d["object-src"] == ["'none'"] and d["base-uri"] == ["'none'"]
    assert d["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_signed_in_pages_carry_the_policy(client, people):
    client.login(username="th_dieuphoi", password=DEFAULT_PASSWORD)
    for name in ("orgs:workspace", "orgs:token_list", "orgs:password_change"):
        assert _directives(client.get(reverse(name)))["script-src"] == ["'self'"]


def test_no_template_has_an_inline_script_or_handler():
    """The policy forbids them, so none may be written: <script> without src, on*=, javascript:."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    bad = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|javascript:", re.I)
    found = [
        f"{path.relative_to(root)}: {m.group(0)}"
        for path in root.glob("*/templates/**/*.html")
        for m in bad.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


INJECT = """() => {
  const s = document.createElement("script");
  s.textContent = "window.__injected = 1";
  document.head.appendChild(s);
  const img = '<img src="/x.png" onerror="window.__handler = 1">';
  document.body.insertAdjacentHTML("beforeend", img);
  return new Promise((resolve) => setTimeout(resolve, 300));
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_injected_inline_script_is_blocked_by_the_policy(page, tree):
    page.csp_violations_expected = True
    page.goto(page.base_url + "/dang-nhap/")
    page.evaluate(INJECT)
    assert page.evaluate("window.__injected") is None
    assert page.evaluate("window.__handler") is None
    assert any("Content Security Policy" in v for v in page.csp_violations)
    # The page's own static scripts still run under the same policy.
    assert page.evaluate("typeof window.htmx") == "object"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_the_policy_the_same_injection_runs(page, tree):
    """The control: the injection above is real, only the header stops it."""

    def strip_csp(route):
        response = route.fetch()
        headers = {
            k: v for k, v in response.headers.items() if k.lower() != "content-security-policy"
        }
        route.fulfill(response=response, headers=headers)

    page.route("**/dang-nhap/", strip_csp)
    page.goto(page.base_url + "/dang-nhap/")
    page.evaluate(INJECT)
    assert page.evaluate("window.__injected") == 1
    assert page.evaluate("window.__handler") == 1
