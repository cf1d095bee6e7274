"""Event notifications: in the app at once, e-mailed once after commit."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from dxday.plans import services
from dxday.plans.models import Notification, TaskTarget

from .factories import make_national_plan

pytestmark = pytest.mark.django_db
G = TaskTarget.Group


def _emails(tree):
    tree.th_c1.email = "hacthanh@thanhhoa.gov.vn"
    tree.th_c1.save(update_fields=["email"])
    tree.th.email = "ubnd@thanhhoa.gov.vn"
    tree.th.save(update_fields=["email"])


def test_new_assignment_notified_in_app_and_by_email_once(
    tree, people, django_capture_on_commit_callbacks
):
    _emails(tree)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        plan, task = make_national_plan(tree)
        assert not mail.outbox  # nothing leaves before the transaction commits
    assert callbacks
    note = Notification.objects.get(organisation=tree.th, kind="assigned")
    assert "Chiến dịch truyền thông" in note.title and "15/10/2025" in note.body
    assert note.sent_at is not None
    assert [m.to for m in mail.outbox] == [["ubnd@thanhhoa.gov.vn"]]
    # Expanding again creates nothing and announces nothing again.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.task_assign(task=task, by=None) == 0
        services.notifications_deliver()
    assert Notification.objects.filter(kind="assigned", organisation=tree.th).count() == 1
    assert len(mail.outbox) == 1


def test_cascade_received_one_notification_per_unit(
    tree, people, django_capture_on_commit_callbacks
):
    _emails(tree)
    plan, task = make_national_plan(tree)
    with django_capture_on_commit_callbacks(execute=True):
        child = services.plan_cascade(
            parent_plan=plan,
            organisation=tree.th,
            by=people.actor(people.th_coordinator),
            groups=[{"group": G.COMMUNES_OF, "role": "lead"}],
        )
    notes = Notification.objects.filter(kind="cascaded")
    assert {n.organisation_id for n in notes} == {tree.th_c1.pk, tree.th_c2.pk}
    mine = notes.get(organisation=tree.th_c1)
    assert child.title in mine.title and "1 nhiệm vụ" in mine.body
    assert not Notification.objects.filter(kind="assigned", organisation=tree.th_c1).exists()
    to_commune = [m for m in mail.outbox if m.to == ["hacthanh@thanhhoa.gov.vn"]]
    assert len(to_commune) == 1 and child.title in to_commune[0].subject


def test_failed_email_is_retried_and_sent_once(
    tree, people, settings, django_capture_on_commit_callbacks
):
    from .mail_backends import FailingBackend

    _emails(tree)
    FailingBackend.reset(failures=1)
    settings.EMAIL_BACKEND = "dxday.plans.tests.mail_backends.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        make_national_plan(tree, deadline=datetime.date(2025, 10, 15))
    note = Notification.objects.get(organisation=tree.th, kind="assigned")
    # The first try was refused: recorded, not counted as sent, not due again at once.
    assert note.attempts == 1 and note.sent_at is None and "451" in note.last_error
    assert services.notifications_deliver()["sent"] == 0 and mail.outbox == []
    later = timezone.now() + datetime.timedelta(minutes=6)
    with time_machine.travel(later):
        assert services.notifications_deliver() == {"sent": 1, "failed": 0}
        assert services.notifications_deliver() == {"sent": 0, "failed": 0}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ubnd@thanhhoa.gov.vn"]


def test_unit_joining_later_is_told_of_the_tasks_it_receives(tree, people):
    from dxday.orgs.models import Organisation
    from dxday.orgs.signals import organisations_created
    from dxday.orgs.tests.factories import make_commune, make_org

    with time_machine.travel(datetime.datetime(2025, 10, 2, 9, tzinfo=datetime.UTC)):
        plan, task = make_national_plan(tree)
        services.plan_cascade(
            parent_plan=plan, organisation=tree.th, by=None,
            groups=[{"group": G.COMMUNES_OF, "role": "lead"}],
        )  # fmt: skip
        commune = make_commune(tree.th_province, "16002", "Xã Mới")
        new = make_org(tree.th, kind=Organisation.Kind.COMMUNE, code="xa-16002",
                       name="UBND xã Mới", province=tree.th_province, commune=commune)  # fmt: skip
        organisations_created.send(sender=Organisation, organisations=[new])
        organisations_created.send(sender=Organisation, organisations=[new])  # harmless again
    notes = Notification.objects.filter(organisation=new, kind="assigned")
    assert notes.count() == 1 and "Chiến dịch truyền thông" in notes.get().title
