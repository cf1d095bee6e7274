"""Walking the product as a person does: the same-site links of a page, one visit per route.

Used by the page-size test (test client) and the 360 px test (Chromium). A route is the URL
pattern a path resolves to, with the names of its query parameters, so `/plans/1/` and
`/plans/2/` are one route and `/don-vi/tinh-38/` stands for every unit page.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.urls import Resolver404, resolve

HREF = re.compile(r'<a\b[^>]*\bhref="([^"#][^"]*)"', re.I)
# Files and machine answers, not pages: downloads, feeds, the field app's worker.
NOT_A_PAGE = re.compile(
    r"\.(?:xlsx|csv|json|pdf|docx|zip|js|svg|webmanifest|ics|xml|png)$"
    r"|/tep(?:/\d+)?/?$|/xem$"  # stored files served through their views (materials, awards)
)
# Links that end the session or leave the product's pages.
SKIP_PREFIXES = ("/dang-xuat/", "/admin/", "/static/", "/media/", "/api/")


def links(html: str, current: str) -> list[str]:
    """Same-site paths (with their query) linked from `html`, in page order."""
    out = []
    for href in HREF.findall(html):
        url = urlsplit(urljoin("http://testserver" + current, unescape(href)))
        if url.scheme not in ("http", "https") or url.netloc != "testserver":
            continue
        path = url.path + (f"?{url.query}" if url.query else "")
        if url.path.startswith(SKIP_PREFIXES) or NOT_A_PAGE.search(url.path):
            continue
        out.append(path)
    return out


def route_key(path: str) -> str | None:
    """The route a path belongs to (its URL name and the names of its query parameters), or
    None for a path no view answers."""
    url = urlsplit(path)
    try:
        match = resolve(url.path)
    except Resolver404:
        return None
    params = sorted({k for k, _v in parse_qsl(url.query, keep_blank_values=True)})
    return f"{match.view_name}?{'&'.join(params)}"


def nav_html(html: str) -> str:
    """The main menu of a page (the shell's first <nav>)."""
    found = re.search(r'<nav class="navbar.*?</nav>', html, flags=re.S)
    return found.group(0) if found else ""


def main_html(html: str) -> str:
    found = re.search(r"<main\b.*?</main>", html, flags=re.S)
    return found.group(0) if found else ""


def walk(start: str, visit, *, depth: int = 2, limit: int = 80) -> list[str]:
    """Visit what a person reaches from `start` (their landing page): the menu and the page's
    own links, then the links of each of those pages, `depth` levels in all, one path per
    route, at most `limit` pages. `visit(path)` opens a page (asserting what it must) and
    returns its HTML, or None for something that is not a page. Returns the paths visited."""
    seen: dict[str, str] = {}
    frontier = [start]
    for level in range(depth + 1):
        following = []
        for path in frontier:
            key = route_key(path)
            if key is None or key in seen or len(seen) >= limit:
                continue
            seen[key] = path
            html = visit(path)
            if html and level < depth:
                following += links(nav_html(html) + main_html(html), path)
        frontier = following
    return list(seen.values())
