"""Walk the product as a person does: log in as a demo role, start at the landing page and follow
every same-site link (GET only), recording each answer. Used by the dead-link test and the
English-leak test (`test_crawl.py`), which share one crawl of the demo.

Links are deduplicated by *pattern*: the URL's route name and the keys of its query string
(`/plans/12/?trang=3` → `plans:plan_detail?trang=`), so that a list of 3,321 communes costs two
visits (two different objects of each kind), not 3,321. Each role's crawl is bounded.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve, reverse

# Links a person follows but a crawl must not: they end the session, switch language (a POST
# anyway), or download large generated files (covered by their own tests).
SKIP = re.compile(
    r"^/(dang-xuat|logout|i18n|admin|static|media)/"
    r"|\.(pdf|docx|xlsx|csv|json|zip|png|svg|webmanifest|js)$"
    r"|/(tai-ve|tai-xuong|download|tai)/"
    r"|/tep(/\d+)?/?$|/xem$"  # stored files served through their views (materials, awards)
)
MAX_PAGES = 160
PER_PATTERN = 2


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.text: list[str] = []
        # Inside <script>/<style>, or <code>: an identifier shown on purpose (an API path, an
        # indicator code a coordinator types in a spreadsheet), not prose.
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code"):
            self._skip += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)
        # Attributes a person reads: titles, placeholders, labels of controls.
        for name, value in attrs:
            if name in ("title", "placeholder", "aria-label", "alt") and value:
                self.text.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def pattern(url: str) -> str:
    """`/plans/12/tien-do/?nam=2025&trang=2` → `plans:plan_progress?nam=&trang=`."""
    parts = urlsplit(url)
    try:
        route = resolve(parts.path).view_name
    except Resolver404:
        route = re.sub(r"(?<=/)[^/]*\d[^/]*(?=/|$)", "#", parts.path)
    keys = sorted({k for k, _v in parse_qsl(parts.query, keep_blank_values=True)})
    return route + ("?" + "&".join(f"{k}=" for k in keys) if keys else "")


@dataclass
class Visit:
    url: str
    status: int
    referrer: str
    content_type: str = ""
    text: str = ""


@dataclass
class Crawl:
    role: str
    visits: list[Visit] = field(default_factory=list)

    def failures(self) -> list[Visit]:
        return [v for v in self.visits if v.status >= 400]


def crawl(client: Client, role: str, start: list[str], max_pages: int = MAX_PAGES) -> Crawl:
    result = Crawl(role=role)
    queue: list[tuple[str, str]] = [(url, "(start)") for url in start]
    seen: set[str] = set()
    per_pattern: Counter[str] = Counter()
    while queue and len(result.visits) < max_pages:
        url, referrer = queue.pop(0)
        key = pattern(url)
        if url in seen or per_pattern[key] >= PER_PATTERN:
            continue
        seen.add(url)
        per_pattern[key] += 1
        response = client.get(url, follow=True)
        content_type = response.get("Content-Type", "")
        visit = Visit(url, response.status_code, referrer, content_type)
        result.visits.append(visit)
        if response.redirect_chain:
            seen.add(response.redirect_chain[-1][0])
        if response.streaming:
            # Read to the end, which closes it (response.close() would fire request_finished
            # and close the test's database connection on PostgreSQL).
            for _chunk in response.streaming_content:
                pass
            continue
        if "text/html" not in content_type:
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        visit.text = " ".join(" ".join(parser.text).split())
        base = response.request["PATH_INFO"]
        for href in parser.links:
            target = _same_site(base, href)
            if target and target not in seen:
                queue.append((target, url))
    return result


def _same_site(base: str, href: str) -> str | None:
    href, _fragment = urldefrag(href.strip())
    if not href or href.startswith(("mailto:", "tel:", "javascript:", "data:")):
        return None
    absolute = urljoin("http://testserver" + base, href)
    parts = urlsplit(absolute)
    if parts.netloc != "testserver":
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if SKIP.search(parts.path):
        return None
    return path


def landing_urls() -> list[str]:
    return [reverse(settings.LOGIN_REDIRECT_URL), "/"]
