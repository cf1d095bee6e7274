"""Every capability's public pages are cached for anonymous visitors and refreshed at once when
its service publishes (the same versioned scopes as the portal's pages)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dxday.awards import services as awards_services
from dxday.awards.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on(settings, tmp_path):
    settings.DXDAY_PAGECACHE = True
    settings.DXDAY_PAGECACHE_DIR = str(tmp_path / "pagecache")
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_awards_page_is_cached_and_refreshed_by_its_service(
    client, cache_on, tree, people, django_capture_on_commit_callbacks
):
    now = timezone.now()
    programme = Programme.objects.create(
        kind="award", year=2024, name="Giải thưởng thử", organiser=tree.national,
        organiser_label="Ban tổ chức", entries_open=now - datetime.timedelta(days=1),
        entries_close=now + datetime.timedelta(days=1),
    )  # fmt: skip
    url = f"/giai-thuong/{programme.pk}/"
    first = client.get(url)
    assert first.status_code == 200 and not first.cookies
    assert "public" in first["Cache-Control"]
    # A write behind the services' back is not seen: the page comes from the cache.
    Programme.objects.filter(pk=programme.pk).update(name="Đổi tên ngoài dịch vụ")
    assert "Giải thưởng thử" in client.get(url).content.decode()
    # The service's write is seen at once.
    with django_capture_on_commit_callbacks(execute=True):  # the bump waits for the commit
        awards_services.phase_set(
            by=people.actor(people.national_coordinator), programme=programme, phase="screening"
        )
    assert "Đổi tên ngoài dịch vụ" in client.get(url).content.decode()
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.parametrize(
    "url", ["/giai-thuong/", "/tai-lieu/", "/api/v1/awards/programmes", "/api/v1/materials"]
)
def test_other_public_pages_set_no_cookie_and_are_public(client, cache_on, tree, url):
    from dxday.plans.models import Campaign

    Campaign.objects.create(year=2025, theme="Chuyển đổi số", status="published")
    response = client.get(url)
    assert response.status_code == 200, url
    assert not response.cookies
    assert "public" in response["Cache-Control"]
