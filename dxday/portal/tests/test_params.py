"""Bad request values never give a 5xx on the public portal and its API (issue 9 §4).

`?nam=²` passed `str.isdigit()` and then broke `int()`; `?thang=0001-01` stepped the calendar
out of Python's date range; NUL bytes are refused by PostgreSQL.
"""

import pytest
from django.urls import reverse

from dxday.activities.tests.test_params import BAD, HUGE, refused_or
from dxday.portal.tests.test_views import body_of

pytestmark = pytest.mark.django_db

PAGES = {
    "portal:home": ["nam"],
    "portal:activities": ["nam", "loai", "tu", "den", "q", "trang"],
    "portal:calendar": ["thang"],
    "portal:offers": ["q", "trang"],
    "portal:open_data": ["nam"],
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_public_pages_take_bad_values(client, loop, name):
    url = reverse(name)
    for param in PAGES[name]:
        for bad in [*BAD, "0001-01", "9999-12", "0001-01-01", "31/12/9999"]:
            response = client.get(url, {param: bad})
            assert refused_or(response, bad, 200), (url, param, bad, response.status_code)


def test_a_province_that_does_not_exist_is_a_422(client, loop):
    """`?tinh=` names a province: a code that names none is said so, not an empty list."""
    for bad in [*BAD, "0001-01", "99"]:
        response = client.get(reverse("portal:activities"), {"tinh": bad})
        assert refused_or(response, bad, 422), (bad, response.status_code)
    assert client.get(reverse("portal:activities"), {"tinh": ""}).status_code == 200


def test_open_data_takes_bad_years(client, loop):
    for name in ("portal:open_data_activities", "portal:open_data_offers"):
        for fmt in ("csv", "json", "xlsx"):
            for bad in BAD:
                response = client.get(reverse(name, args=[fmt]), {"nam": bad})
                body_of(response)  # read to its end, which closes a stream
                assert refused_or(response, bad, 200), (name, fmt, bad)


def test_calendar_at_the_edges_of_the_date_range_shows_the_campaign_month(client, loop):
    """`?thang=0001-01` used to raise OverflowError when the page linked to the month before."""
    for month in ("0001-01", "9999-12"):
        response = client.get(reverse("portal:calendar"), {"thang": month})
        assert response.status_code == 200
        assert response.context["first"].year == 2025


def test_huge_ids_and_years_in_paths_are_not_found(client, loop):
    assert client.get(f"/hoat-dong/{HUGE}/").status_code == 404
    assert client.get(f"/nam/{HUGE}/").status_code == 404


def test_portal_api_takes_bad_values(client, loop):
    for params in ({"campaign": "²"}, {"campaign": HUGE}, {"campaign": "-1"}):
        response = client.get("/api/v1/portal/summary", params)
        assert response.status_code in (404, 422), (params, response.status_code)
    for params in ({"campaign": "²"}, {"campaign": HUGE}, {"q": "\x00"}, {"q": "x" * 500}):
        response = client.get("/api/v1/portal/offers", params)
        assert refused_or(response, params, 200, 422), (params, response.status_code)
