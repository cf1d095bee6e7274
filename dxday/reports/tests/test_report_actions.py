"""The report's POST actions through the test client: submitting upward, who may, and where a
refused action sends the person back to."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from dxday.orgs.tests.factories import DEFAULT_PASSWORD
from dxday.reports import services
from dxday.reports.models import Report, ReportJob

pytestmark = pytest.mark.django_db


def _login(client, user):
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)


@pytest.fixture
def draft(world):
    """The draft report of commune 1 of Thanh Hóa, drafted by its reporter."""
    actor = world.people.actor(world.people.th_c1_reporter)
    return services.report_draft(organisation=world.tree.th_c1, campaign=world.campaign, by=actor)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_report_submit_sends_the_draft_upward(client, world, draft):
    _login(client, world.people.th_c1_reporter)
    r = client.post(reverse("reports:report_submit", args=[draft.pk]))
    assert r.status_code == 302
    assert r.url == reverse("reports:report_detail", args=[draft.pk])
    assert "Đã gửi báo cáo lên cấp trên." in _messages(r)
    draft.refresh_from_db()
    assert draft.status == Report.Status.SUBMITTED
    assert draft.submitted_by == world.people.th_c1_reporter
    # The unit above now finds it to review.
    client.logout()
    _login(client, world.people.th_coordinator)
    assert 'data-testid="to-review"' in client.get(reverse("reports:home")).content.decode()


def test_report_submit_twice_is_refused_with_its_sentence(client, world, draft):
    _login(client, world.people.th_c1_reporter)
    client.post(reverse("reports:report_submit", args=[draft.pk]))
    detail = reverse("reports:report_detail", args=[draft.pk])
    r = client.post(reverse("reports:report_submit", args=[draft.pk]), {"next": detail})
    assert r.status_code == 302 and r.url == detail
    assert "Báo cáo đã gửi hoặc đã được tiếp nhận nên không thể sửa." in _messages(r)


def test_report_submit_by_a_coordinator_of_another_province_is_404(client, world, draft):
    _login(client, world.people.tq_coordinator)
    r = client.post(reverse("reports:report_submit", args=[draft.pk]))
    assert r.status_code == 404
    # Forbidden answers like missing.
    assert client.post(reverse("reports:report_submit", args=[99999])).status_code == 404
    draft.refresh_from_db()
    assert draft.status == Report.Status.DRAFT


def test_report_submit_by_a_viewer_is_403(client, world, draft):
    """Guards the one policy on pages: a viewer sees the report (reports.view) but may not
    send it (no reports.draft), so the action answers 403 like `ensure_can` says, instead of
    the old redirect with a flash message (302)."""
    _login(client, world.people.th_viewer)
    assert client.get(reverse("reports:report_detail", args=[draft.pk])).status_code == 200
    r = client.post(reverse("reports:report_submit", args=[draft.pk]))
    assert r.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Report.Status.DRAFT


def test_report_submit_needs_post_and_a_login(client, world, draft):
    url = reverse("reports:report_submit", args=[draft.pk])
    r = client.post(url)
    assert r.status_code == 302 and r.url.startswith(reverse("orgs:login"))
    _login(client, world.people.th_c1_reporter)
    assert client.get(url).status_code == 405
    draft.refresh_from_db()
    assert draft.status == Report.Status.DRAFT


@pytest.mark.parametrize(
    "data, referer",
    [
        ({"next": "https://evil.example/phishing"}, None),
        ({"next": "//evil.example/phishing"}, None),
        ({}, "https://evil.example/phishing"),
    ],
)
def test_a_refused_action_never_redirects_off_site(client, world, draft, data, referer):
    """Guards the open redirect (issue 9 §5): a refused action used to redirect to whatever
    `next` or Referer said, another site included; an off-site target is now ignored."""
    _login(client, world.people.th_c1_reporter)
    services.report_submit(report=draft, by=world.people.actor(world.people.th_c1_reporter))
    extra = {"HTTP_REFERER": referer} if referer else {}
    r = client.post(reverse("reports:report_submit", args=[draft.pk]), data, **extra)
    assert r.status_code == 302
    assert r.url == "/"
    assert "evil.example" not in r.url


def test_a_refused_action_goes_back_to_a_page_of_this_site(client, world, draft):
    _login(client, world.people.th_c1_reporter)
    services.report_submit(report=draft, by=world.people.actor(world.people.th_c1_reporter))
    detail = reverse("reports:report_detail", args=[draft.pk])
    url = reverse("reports:report_submit", args=[draft.pk])
    # An off-site `next` is skipped in favour of a same-site Referer.
    r = client.post(
        url, {"next": "https://evil.example/"}, HTTP_REFERER=f"http://testserver{detail}"
    )
    assert r.status_code == 302 and r.url == f"http://testserver{detail}"


def test_job_create_with_a_report_id_that_is_not_a_number_is_404(client, world):
    """Guards `int(request.POST["report"])`: "12a" or "²" used to raise a 500."""
    _login(client, world.people.th_coordinator)
    url = reverse("reports:job_create", args=["tinh-38", 2025, "docx"])
    for bad in ("12a", "²", "9" * 30):
        assert client.post(url, {"report": bad}).status_code == 404, bad
    assert not ReportJob.objects.exists()
