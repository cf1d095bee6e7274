"""The trail on a report's page reads as sentences, not action codes (issue 10)."""

from django.urls import reverse

from dxday.activities import services
from dxday.orgs.tests.factories import DEFAULT_PASSWORD

from .factories import activity_data, png_upload


def test_report_trail_reads_as_sentences(client, loop, people):
    actor = people.actor(people.th_c1_reporter)
    a = services.activity_create(by=actor, assignment=loop.a_c1, data=activity_data())
    services.evidence_add(activity=a, by=actor, upload=png_upload())
    services.activity_submit(activity=a, by=actor)
    services.activity_accept(activity=a, by=people.actor(people.th_coordinator))
    assert client.login(username=people.th_c1_reporter.username, password=DEFAULT_PASSWORD)
    page = client.get(reverse("activities:detail", args=[a.pk])).content.decode()
    trail = page[page.index("<details>") :]
    assert "UBND phường Hạc Thành đã gửi báo cáo lên cấp trên" in trail
    assert "UBND tỉnh Thanh Hóa đã duyệt báo cáo" in trail
    assert "activities.activity" not in trail and "submitted" not in trail
