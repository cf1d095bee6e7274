"""Bad request values never give a 5xx on the pages and API of activities (issue 9 §4).

"²" passes `str.isdigit()` and then breaks `int()`; a 20-digit number overflows SQLite's
integers in an OFFSET; NUL bytes are refused by PostgreSQL.
"""

import pytest
from django.urls import reverse

from dxday.activities import services

from .factories import activity_data
from .test_api import bearer
from .test_views import login

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
BAD = ["²", "٣", HUGE, "-1", "1.5", "\x00", "x" * 300]


def _no_server_error(response, url):
    assert response.status_code < 500, (url, response.status_code)


def refused_or(response, value, *allowed: int) -> bool:
    """A NUL anywhere in the input is refused at the door (400, RejectNulMiddleware); any
    other bad value gets one of `allowed`."""
    values = value.values() if isinstance(value, dict) else [value]
    if any("\x00" in str(v) for v in values):
        return response.status_code == 400
    return response.status_code in allowed


@pytest.fixture
def data(loop, people):
    services.activity_create(
        by=people.actor(people.th_c1_reporter), assignment=loop.a_c1, data=activity_data()
    )


PAGES = {
    "activities:mine": ["trang"],
    "activities:subtree": ["trang", "trang_thai"],
    "activities:review": ["trang", "q", "loai"],
    "activities:published": ["trang"],
    "activities:task_results_index": ["trang"],
    "activities:create": ["phan_cong"],
    "activities:sectors": ["trang"],
    "activities:offers": ["trang"],
    "activities:offer_moderation": ["trang"],
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_workspace_pages_take_bad_numbers(client, data, people, name):
    login(
        client, people.moderator if name == "activities:offer_moderation" else people.th_coordinator
    )
    url = reverse(name)
    for param in PAGES[name]:
        for bad in BAD:
            response = client.get(url, {param: bad})
            _no_server_error(response, f"{url}?{param}={bad!r}")
            assert refused_or(response, bad, 200, 404), (url, param, bad)


def test_workspace_posts_take_bad_numbers(client, data, people, tree):
    login(client, people.moderator)
    for bad in BAD:
        response = client.post(reverse("activities:offer_moderation"), {"offer": bad})
        assert refused_or(response, bad, 404)
    login(client, people.th_c1_reporter)
    for bad in BAD:
        response = client.post(reverse("activities:create"), {"phan_cong": bad})
        assert refused_or(response, bad, 404)


@pytest.mark.parametrize(
    "path",
    [
        "/activities/99999999999999999999/",
        "/activities/99999999999999999999/sua/",
        "/activities/minh-chung/99999999999999999999/",
        "/activities/nhiem-vu/99999999999999999999/ket-qua/",
    ],
)
def test_huge_ids_in_paths_are_not_found(client, data, people, path):
    login(client, people.th_coordinator)
    assert client.get(path).status_code == 404


def test_api_lists_take_bad_values(client, data, people):
    auth = bearer(people.th_coordinator)
    for params in (
        {"campaign": "²"}, {"campaign": HUGE}, {"province": "²"}, {"province": "\x00"},
        {"q": "\x00"}, {"type": "\x00"}, {"offset": HUGE}, {"offset": "²"}, {"limit": HUGE},
        {"offset": str(2**63)}, {"limit": "-5", "offset": "-5"},
    ):  # fmt: skip
        response = client.get("/api/v1/activities", params)
        _no_server_error(response, params)
        assert refused_or(response, params, 200, 422), params
    too_far = client.get("/api/v1/activities", {"offset": HUGE})
    assert too_far.status_code == 422 and too_far.json()["code"] == "validation_error"
    for path in ("/api/v1/activities/mine", "/api/v1/activities/review-queue"):
        for params in ({"status": "²"}, {"status": "\x00"}, {}):
            _no_server_error(client.get(path, params, **auth), (path, params))
    assert client.get(f"/api/v1/activities/{HUGE}").status_code == 404


@pytest.mark.parametrize(
    "raw", ["²", "1²", "٣", "-", "1" * 40, 10**20, "10.000.000.000.000.000.000"]
)
def test_indicator_value_that_is_not_a_small_ascii_number_is_a_sentence_not_a_500(raw):
    """`"²".isdigit()` is True and int("²") raises: an indicator typed as ² gave a 500."""
    from dxday.activities.services import clean_value
    from dxday.core.errors import DomainError
    from dxday.plans.models import Indicator

    indicator = Indicator(code="articles", name="Tin, bài", unit="bài")
    with pytest.raises(DomainError) as caught:
        clean_value(indicator, raw)
    assert caught.value.code == "invalid_value"


def test_indicator_value_with_vietnamese_thousands_separators():
    from dxday.activities.services import clean_value
    from dxday.plans.models import Indicator

    assert clean_value(Indicator(code="a", name="a", unit="a"), "10.250") == 10250
