"""An accepted report is locked: its edit page shows why instead of a form that loses input."""

import pytest
from django.urls import reverse

from dxday.activities import services
from dxday.activities.models import Activity
from dxday.orgs.tests.factories import DEFAULT_PASSWORD

from .factories import activity_data

pytestmark = pytest.mark.django_db


def _accepted(loop):
    people = loop.people
    reporter = people.actor(people.th_c1_reporter)
    a = services.activity_create(
        by=reporter, assignment=loop.a_c1, data=activity_data(), values={"articles": 3}
    )
    services.activity_submit(activity=a, by=reporter)
    return services.activity_accept(activity=a, by=people.actor(people.th_coordinator))


def test_locked_report_edit_page_shows_locked_state_not_a_form(client, loop, people):
    activity = _accepted(loop)
    assert client.login(username=people.th_c1_reporter.username, password=DEFAULT_PASSWORD)
    r = client.get(reverse("activities:edit", args=[activity.pk]))
    body = r.content.decode()
    assert r.status_code == 200
    assert 'data-testid="locked"' in body and "đã được duyệt nên đã khóa" in body
    assert 'name="title"' not in body and "Lưu bản nháp" not in body


def test_post_to_locked_report_is_refused_and_echoes_the_input(client, loop, people):
    activity = _accepted(loop)
    assert client.login(username=people.th_c1_reporter.username, password=DEFAULT_PASSWORD)
    data = {
        "title": "Tên mới gõ sau khi duyệt",
        "type": "radio",
        "starts_on": "2025-10-01",
        "ends_on": "2025-10-10",
        "description": "Đoạn mô tả dài người dùng vừa gõ",
        "ind_articles": "99",
    }
    r = client.post(reverse("activities:edit", args=[activity.pk]), data)
    body = r.content.decode()
    assert r.status_code == 409
    assert "CHƯA được lưu" in body
    assert "Đoạn mô tả dài người dùng vừa gõ" in body  # shown back, not silently dropped
    activity.refresh_from_db()
    assert activity.title != "Tên mới gõ sau khi duyệt"
    assert activity.status == Activity.Status.ACCEPTED


def test_submitted_report_edit_page_says_it_waits_for_review(client, loop, people):
    reporter = people.actor(people.th_c1_reporter)
    a = services.activity_create(by=reporter, assignment=loop.a_c1, data=activity_data())
    services.activity_submit(activity=a, by=reporter)
    assert client.login(username=people.th_c1_reporter.username, password=DEFAULT_PASSWORD)
    body = client.get(reverse("activities:edit", args=[a.pk])).content.decode()
    assert "đang chờ cấp trên duyệt" in body and 'name="title"' not in body
