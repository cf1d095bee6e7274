"""No page a person opens is over 300 KB of HTML at national scope (issue 10: the national
door-to-door progress page was 921–954 KB, listing all 3,321 communes).

The full demo (34 provinces, their 3,321 commune committees, plans, reports, teams) is loaded
once; the national coordinator opens the long lists (pinned query counts), then every page
reachable from the menu and the landing page, three links deep.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dxday.orgs.models import Organisation, User

from .walk import walk

pytestmark = pytest.mark.django_db

LIMIT = 300_000

# The long lists of issue 10, with the queries each may make (pinned: a list that starts
# querying per row fails here).
LONG_LISTS = {
    "/outreach/tien-do/": 11,
    "/outreach/tien-do/?q=thanh&trang=2": 11,
    "/outreach/tien-do/?tinh=38": 11,
    "/reports/don-vi/bo-khcn/2025/ty-le-bao-cao/": 13,
    "/reports/don-vi/tinh-38/2025/ty-le-bao-cao/?q=xa&trang=2": 13,
    "/activities/duyet/": 6,
    "/don-vi/": 7,
    "/don-vi/tinh-38/": 9,
}


@pytest.fixture
def national(client):
    call_command("demo", stdout=io.StringIO())
    assert Organisation.objects.filter(kind=Organisation.Kind.COMMUNE).count() == 3321
    client.force_login(User.objects.get(username="qg.dieuphoi"))
    return client


def test_long_lists_are_paged_at_national_scope(national):
    sizes, queries = {}, {}
    for path in LONG_LISTS:
        national.get(path)  # warm the session and per-process caches
        with CaptureQueriesContext(connection) as ctx:
            response = national.get(path)
        assert response.status_code == 200, path
        sizes[path], queries[path] = len(response.content), len(ctx.captured_queries)
    assert {p: n for p, n in sizes.items() if n >= LIMIT} == {}
    assert queries == LONG_LISTS


def test_every_page_the_national_coordinator_reaches_is_under_300_kb(national):
    too_big, broken = {}, {}

    def visit(path):
        response = national.get(path)
        if response.status_code >= 500:
            broken[path] = response.status_code
        if "text/html" not in response.get("Content-Type", ""):
            return None
        if len(response.content) >= LIMIT:
            too_big[path] = len(response.content)
        return response.content.decode()

    visited = walk("/don-vi/", visit, depth=3, limit=200)
    assert len(visited) > 30  # the walk really went through the product
    assert too_big == {}
    assert broken == {}
