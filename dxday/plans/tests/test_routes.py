"""Every route of plans/urls.py through the test client: what it does, and who may not.

The rule (docs/architecture.md, "One permission policy"): an object the user may not see is
404, the same as a missing one (a coordinator of another province); an action that the role
may not perform on an object it can see is 403 (a viewer).
"""

import datetime

import pytest
import time_machine
from django.urls import reverse

from dxday.orgs.tests.factories import DEFAULT_PASSWORD
from dxday.plans import services
from dxday.plans.models import Assignment, Notification, Plan, Task, TaskTarget

from .factories import make_campaign, make_national_plan

G = TaskTarget.Group
NOW = datetime.datetime(2025, 10, 5, 3, tzinfo=datetime.UTC)
pytestmark = pytest.mark.django_db


def _login(client, user):
    client.logout()
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)


def _th_task(tree):
    """A Thanh Hóa plan with one task given to the province's communes."""
    campaign = make_campaign(2025)
    plan = services.plan_create(
        campaign=campaign, organisation=tree.th, by=None, title="Kế hoạch tỉnh Thanh Hóa"
    )
    task = services.task_create(
        plan=plan, by=None, title="Phát thanh cơ sở", deadline=datetime.date(2025, 10, 20)
    )
    target = services.task_target_add(task=task, by=None, group=G.COMMUNES_OF, organisation=tree.th)
    services.task_assign(task=task, by=None)
    return plan, task, target


@time_machine.travel(NOW)
def test_plan_create(client, tree, people):
    make_campaign(2025)
    url = reverse("plans:plan_create")
    _login(client, people.th_coordinator)
    assert client.get(url).status_code == 200
    r = client.post(
        url,
        {"campaign": make_campaign(2025).pk, "title": "Kế hoạch số 12", "number": "12/KH-UBND",
         "issued_on": "2025-10-01", "status": "issued", "summary": ""},
    )  # fmt: skip
    plan = Plan.objects.get(title="Kế hoạch số 12")
    assert r.status_code == 302 and r.url == reverse("plans:plan_detail", args=[plan.pk])
    assert plan.organisation == tree.th  # always the acting unit, never chosen in the form
    # A viewer (and a commune reporter) may look at plans but not issue one: 403.
    for user in (people.th_viewer, people.th_c1_reporter):
        _login(client, user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"title": "Không được"}).status_code == 403
    assert not Plan.objects.filter(title="Không được").exists()


@time_machine.travel(NOW)
def test_task_edit(client, tree, people):
    plan, task, _target = _th_task(tree)
    url = reverse("plans:task_edit", args=[task.pk])
    _login(client, people.th_coordinator)
    page = client.get(url).content.decode()
    assert "Phát thanh cơ sở" in page and "2 đơn vị được giao" in page
    assert "Thứ tự" in page and ">Order<" not in page  # the order field speaks Vietnamese
    r = client.post(
        url,
        {"title": "Phát thanh cơ sở (sửa)", "description": "", "category": "radio",
         "window": "", "deadline": "2025-10-25", "order": ""},
    )  # fmt: skip
    assert r.status_code == 302 and r.url == url
    task.refresh_from_db()
    assert task.title == "Phát thanh cơ sở (sửa)" and task.deadline == datetime.date(2025, 10, 25)
    assert set(task.assignments.values_list("deadline", flat=True)) == {task.deadline}
    # Another province's coordinator: the task does not exist for them.
    _login(client, people.tq_coordinator)
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "x"}).status_code == 404
    # A viewer of Thanh Hóa sees the plan but may not edit its task.
    _login(client, people.th_viewer)
    assert client.get(reverse("plans:plan_detail", args=[plan.pk])).status_code == 200
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "x", "category": "radio"}).status_code == 403
    task.refresh_from_db()
    assert task.title == "Phát thanh cơ sở (sửa)"


@time_machine.travel(NOW)
def test_target_remove(client, tree, people):
    plan, task, target = _th_task(tree)
    url = reverse("plans:target_remove", args=[target.pk])
    _login(client, people.tq_coordinator)
    assert client.post(url).status_code == 404
    _login(client, people.th_viewer)
    assert client.post(url).status_code == 403
    assert TaskTarget.objects.filter(pk=target.pk).exists() and task.assignments.count() == 2
    _login(client, people.th_coordinator)
    assert client.get(url).status_code == 405  # a POST action only
    # In use: a commune has reported, so the group stays and the page says why.
    a = task.assignments.get(organisation=tree.th_c1)
    services.assignment_status_set(assignment=a, status=Assignment.Status.REPORTED, by=None)
    r = client.post(url, follow=True)
    assert "Không thể bỏ nhóm này" in r.content.decode()
    assert TaskTarget.objects.filter(pk=target.pk).exists()
    services.assignment_status_set(assignment=a, status=Assignment.Status.NOT_STARTED, by=None)
    Assignment.objects.filter(pk=a.pk).update(first_reported_at=None)
    r = client.post(url)
    assert r.status_code == 302 and r.url == reverse("plans:task_edit", args=[task.pk])
    assert not TaskTarget.objects.filter(pk=target.pk).exists()
    assert task.assignments.count() == 0
    assert client.post(url).status_code == 404  # gone


@time_machine.travel(NOW)
def test_target_add_refuses_other_province_and_viewer(client, tree, people):
    plan, task, _target = _th_task(tree)
    url = reverse("plans:target_add", args=[task.pk])
    data = {"group": G.PRESS_OF, "organisation": "", "role": "cooperate"}
    _login(client, people.tq_coordinator)
    assert client.post(url, data).status_code == 404
    _login(client, people.th_viewer)
    assert client.post(url, data).status_code == 403
    assert task.targets.count() == 1
    _login(client, people.th_coordinator)
    r = client.post(url, {**data, "organisation": "khong-co"}, follow=True)
    assert "Không tìm thấy đơn vị “khong-co”" in r.content.decode()
    r = client.post(url, data, follow=True)
    assert "Đã giao nhiệm vụ thêm cho 1 đơn vị" in r.content.decode()
    assert task.assignments.filter(organisation=tree.th_press, role="cooperate").exists()


@time_machine.travel(NOW)
def test_plan_pages_other_province_is_not_found_viewer_is_forbidden(client, tree, people):
    plan, task, _target = _th_task(tree)
    edit = reverse("plans:plan_edit", args=[plan.pk])
    new_task = reverse("plans:task_create", args=[plan.pk])
    _login(client, people.tq_coordinator)
    for name in ("plan_detail", "plan_progress", "plan_edit", "task_create"):
        assert client.get(reverse(f"plans:{name}", args=[plan.pk])).status_code == 404, name
    _login(client, people.th_viewer)
    assert client.get(reverse("plans:plan_progress", args=[plan.pk])).status_code == 200
    assert client.get(edit).status_code == 403
    assert client.post(new_task, {"title": "Không được"}).status_code == 403
    assert not Task.objects.filter(title="Không được").exists()
    # Bad ids are a plain 404, never a 500.
    _login(client, people.th_coordinator)
    assert client.get(reverse("plans:plan_cascade"), {"parent": "²"}).status_code == 404
    assert client.get(reverse("plans:plan_cascade"), {"parent": "9" * 30}).status_code == 404
    assert client.get(reverse("plans:plan_list"), {"nam": "99999999999"}).status_code == 200
    assert client.get(reverse("plans:chase"), {"trang": "x"}).status_code == 200


@time_machine.travel(NOW)
def test_notification_badge_and_mark_read(client, tree, people):
    Notification.objects.create(organisation=tree.th_c1, title="Đôn đốc báo cáo: A")
    Notification.objects.create(organisation=tree.th_c1, title="Đôn đốc báo cáo: B")
    Notification.objects.create(organisation=tree.th_c2, title="Của xã khác")
    badge = reverse("plans:notification_badge")
    _login(client, people.th_c1_reporter)
    body = client.get(badge).content.decode()
    assert ">2</a>" in body and "2 thông báo chưa đọc" in body
    page = client.get(reverse("plans:notifications")).content.decode()
    assert "Đôn đốc báo cáo: A" in page and "Của xã khác" not in page
    assert client.post(reverse("plans:notifications")).status_code == 302
    assert client.get(badge).content.decode().strip() == ""
    assert Notification.objects.get(organisation=tree.th_c2).read_at is None  # not mine
    # Another unit's badge counts only its own inbox.
    _login(client, people.th_c2_reporter)
    assert ">1</a>" in client.get(badge).content.decode()
    client.logout()
    assert client.get(badge).status_code == 302  # login first


@pytest.mark.django_db
def test_campaign_list(client, tree, people):
    make_campaign(2025)
    make_campaign(2024)
    url = reverse("plans:campaign_list")
    assert client.get(url).status_code == 302  # login first
    _login(client, people.national_coordinator)
    body = client.get(url).content.decode()
    assert body.index(">2025</a>") < body.index(">2024</a>")  # newest first, no "2.025"
    assert reverse("plans:campaign_create") in body
    _login(client, people.th_viewer)
    body = client.get(url).content.decode()
    assert ">2025</a>" in body and reverse("plans:campaign_create") not in body
    assert client.get(reverse("plans:campaign_create")).status_code == 403
    assert client.get(reverse("plans:campaign_detail", args=[2030])).status_code == 404


@time_machine.travel(NOW)
def test_chase_and_cascade_are_forbidden_to_a_viewer(client, tree, people):
    plan, task = make_national_plan(tree, deadline=datetime.date(2025, 10, 1))
    _login(client, people.th_viewer)
    assert client.post(reverse("plans:chase"), {"unit": [tree.th_c1.pk]}).status_code == 403
    assert client.get(reverse("plans:plan_cascade"), {"parent": plan.pk}).status_code == 403
    assert client.get(reverse("plans:indicator_create")).status_code == 403
    _login(client, people.moderator)  # moderates activities; plans are not its work
    assert client.get(reverse("plans:indicator_list")).status_code == 403
    assert client.get(reverse("plans:plan_list")).status_code == 403
    _login(client, people.national_coordinator)
    assert client.get(reverse("plans:indicator_edit", args=[999999])).status_code == 404


def test_api_remind_and_plans_follow_the_same_rule(client, tree, people):
    from dxday.orgs.auth import token_generate
    from dxday.orgs.models import ApiToken

    def bearer(user):
        raw, hashed = token_generate()
        ApiToken.objects.create(user=user, key_hash=hashed, prefix=raw[:8])
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    plan, task = make_national_plan(tree)
    th_a = task.assignments.get(organisation=tree.th)
    body = {"assignment_ids": [th_a.pk]}
    r = client.post(
        "/api/v1/campaigns/reminders", body, content_type="application/json",
        **bearer(people.th_viewer),
    )  # fmt: skip
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    r = client.post(
        "/api/v1/campaigns/reminders", body, content_type="application/json",
        **bearer(people.tq_coordinator),
    )  # fmt: skip
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = client.get("/api/v1/campaigns/2025/plans", **bearer(people.moderator))
    assert r.status_code == 403  # as on the page: moderators do not read plans
