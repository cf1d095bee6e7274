"""A report without a task asks only for the figures of its type; the detail page shows only
the figures reported (not ~30 "không báo cáo" rows)."""

import pytest
from django.urls import reverse

from dxday.activities import services
from dxday.orgs.tests.factories import DEFAULT_PASSWORD
from dxday.plans.catalogue import catalogue_load
from dxday.plans.models import Indicator

from .factories import activity_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter_client(client, loop, people):
    catalogue_load()  # the real catalogue (about 30 indicators)
    assert client.login(username=people.th_c1_reporter.username, password=DEFAULT_PASSWORD)
    return client


def _fields(body: str) -> set[str]:
    return {chunk.split('"', 1)[0] for chunk in body.split('name="ind_')[1:]}


def test_free_standing_form_shows_only_the_type_indicators(reporter_client):
    assert Indicator.objects.count() > 25
    body = reporter_client.get(reverse("activities:create")).content.decode()
    shown = _fields(body)
    assert "articles" in shown and "people-reached" in shown
    assert "vneid-level2" not in shown and "contest-attempts" not in shown
    assert len(shown) < 10
    assert f'hx-get="{reverse("activities:indicator_fields")}"' in body
    # The htmx fragment for another type: door to door, with the totals of its parts.
    frag = reporter_client.get(reverse("activities:indicator_fields"), {"type": "door_to_door"})
    shown = _fields(frag.content.decode())
    assert {"households-visited", "people-guided", "vneid-level2"} <= shown
    assert "articles" not in shown


def test_posting_another_type_validates_that_types_figures(reporter_client, loop):
    data = {
        "title": "Hướng dẫn cài VNeID tại nhà văn hóa",
        "type": "door_to_door",
        "starts_on": "2025-10-05",
        "ends_on": "2025-10-05",
        "ind_people-guided": "10",
        "ind_vneid-level2": "12",  # part above its total: refused, nothing saved
        "ind_articles": "5",  # not a field of this type: ignored
    }
    r = reporter_client.post(reverse("activities:create"), data)
    assert r.status_code == 200 and "không được lớn hơn" in r.content.decode()
    data["ind_vneid-level2"] = "8"
    r = reporter_client.post(reverse("activities:create"), data)
    assert r.status_code == 302
    from dxday.activities.models import Activity

    a = Activity.objects.get(title="Hướng dẫn cài VNeID tại nhà văn hóa")
    reported = {iv.indicator.code: iv.value for iv in a.values.select_related("indicator")}
    assert reported["people-guided"] == 10 and reported["vneid-level2"] == 8
    assert "articles" not in reported


def test_detail_shows_only_reported_figures(reporter_client, loop, people):
    actor = people.actor(people.th_c1_reporter)
    a = services.activity_create(
        by=actor, assignment=None, data=activity_data(type="communication"),
        values={"articles": 4, "videos": None, "social-posts": None, "people-reached": 0},
    )  # fmt: skip
    body = reporter_client.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert "không báo cáo" not in body
    assert "Tin, bài" in body or "articles" in body
    section = body.split("Số liệu", 1)[1].split("Minh chứng", 1)[0]
    assert section.count("<tr>") == 2  # 4 articles and a reported zero; blanks are not rows


def test_edit_keeps_a_stored_figure_outside_the_type(reporter_client, loop, people):
    actor = people.actor(people.th_c1_reporter)
    a = services.activity_create(
        by=actor, assignment=None, data=activity_data(type="communication"),
        values={"articles": 4},
    )  # fmt: skip
    body = reporter_client.get(reverse("activities:edit", args=[a.pk])).content.decode()
    assert 'name="hoat_dong"' in body  # the htmx swap knows which report it is
    frag = reporter_client.get(
        reverse("activities:indicator_fields"), {"type": "radio", "hoat_dong": a.pk}
    ).content.decode()
    shown = _fields(frag)
    assert "radio-broadcasts" in shown
    assert "articles" in shown  # a stored figure stays editable after the type changes
    assert "videos" not in shown
