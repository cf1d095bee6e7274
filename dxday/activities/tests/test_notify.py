"""A unit hears about its reports: returned with the reason, accepted (app and e-mail)."""

import pytest
from django.core import mail

from dxday.activities import services as activity_services
from dxday.core.errors import DomainError
from dxday.plans.models import Notification

from .factories import activity_data

pytestmark = pytest.mark.django_db


def _emails(tree):
    tree.th_c1.email = "hacthanh@thanhhoa.gov.vn"
    tree.th_c1.save(update_fields=["email"])


def test_report_returned_and_accepted_notify_the_unit_with_reason(
    loop, people, django_capture_on_commit_callbacks
):
    _emails(loop.tree)
    reporter = people.actor(people.th_c1_reporter)
    reviewer = people.actor(people.th_coordinator)
    a = activity_services.activity_create(
        by=reporter, assignment=loop.a_c1, data=activity_data(title="Phát loa tháng 10")
    )
    activity_services.activity_submit(activity=a, by=reporter)
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.activity_return(activity=a, by=reviewer, reason="Thiếu ảnh minh chứng")
    returned = Notification.objects.get(kind="returned")
    assert returned.organisation_id == loop.tree.th_c1.pk
    assert "Thiếu ảnh minh chứng" in returned.body and returned.url == f"/activities/{a.pk}/sua/"
    assert len(mail.outbox) == 1
    assert "Thiếu ảnh minh chứng" in mail.outbox[0].body
    assert mail.outbox[0].to == ["hacthanh@thanhhoa.gov.vn"]

    activity_services.activity_submit(activity=a, by=reporter)
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.activity_accept(activity=a, by=reviewer)
    accepted = Notification.objects.get(kind="accepted")
    assert "Phát loa tháng 10" in accepted.title and accepted.sent_at is not None
    assert len(mail.outbox) == 2 and "đã duyệt" in mail.outbox[1].body


def test_a_refused_step_sends_nothing(loop, people, django_capture_on_commit_callbacks):
    """A step the service refuses rolls back: no notification, no e-mail."""
    reporter = people.actor(people.th_c1_reporter)
    a = activity_services.activity_create(by=reporter, assignment=loop.a_c1, data=activity_data())
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        activity_services.activity_accept(activity=a, by=people.actor(people.th_coordinator))
    assert not Notification.objects.filter(kind__in=["accepted", "returned"]).exists()
    assert mail.outbox == []
