import datetime

import pytest
import time_machine
from django.urls import reverse

from dxday.orgs.tests.factories import DEFAULT_PASSWORD
from dxday.plans import services
from dxday.plans.models import Plan, Reminder, TaskTarget

from .factories import make_campaign, make_national_plan

G = TaskTarget.Group
NOW = datetime.datetime(2025, 10, 12, 3, tzinfo=datetime.UTC)


def _login(client, user):
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)


def _more_tasks(plan, n, tree):
    for i in range(n):
        t = services.task_create(
            plan=plan, by=None, title=f"Nhiệm vụ {i}", deadline=datetime.date(2025, 10, 10)
        )
        services.task_target_add(task=t, by=None, group=G.PROVINCES, role="lead")
        services.task_target_add(task=t, by=None, group=G.UNIT, organisation=tree.th_c1)
        services.task_assign(task=t, by=None)


@time_machine.travel(NOW)
def test_my_tasks_shows_deadline_and_status_in_pinned_queries(
    client, tree, people, django_assert_num_queries
):
    plan, task = make_national_plan(tree, deadline=datetime.date(2025, 10, 10))
    _login(client, people.th_coordinator)
    url = reverse("plans:my_tasks")
    client.get(url)  # warm caches (content types, sessions)
    with django_assert_num_queries(7) as ctx:
        r = client.get(url)
    first = len(ctx.captured_queries)
    body = r.content.decode()
    assert "Chiến dịch truyền thông" in body and "10/10/2025" in body
    assert 'data-status="late"' in body  # computed from the date, before the daily run
    assert f"/activities/bao-cao/?phan_cong={task.assignments.get(organisation=tree.th).pk}" in body
    _more_tasks(plan, 5, tree)
    with django_assert_num_queries(first):
        r = client.get(url)
    assert r.content.decode().count('data-status="late"') == 6


@time_machine.travel(NOW)
def test_plan_list_pinned_queries_and_other_province_plan_not_found(
    client, tree, people, django_assert_num_queries
):
    plan, task = make_national_plan(tree)
    tq_plan = services.plan_cascade(
        parent_plan=plan, organisation=tree.tq, by=None,
        groups=[{"group": G.COMMUNES_OF, "role": "lead"}],
    )  # fmt: skip
    _login(client, people.th_coordinator)
    url = reverse("plans:plan_list")
    client.get(url)
    with django_assert_num_queries(7) as ctx:
        r = client.get(url)
    assert "Kế hoạch quốc gia" in r.content.decode()
    assert tq_plan.title not in r.content.decode()
    for i in range(4):
        services.plan_create(
            campaign=plan.campaign, organisation=tree.th, by=None, title=f"Kế hoạch tỉnh {i}"
        )
    with django_assert_num_queries(len(ctx.captured_queries)):
        r = client.get(url)
    assert r.content.decode().count("Kế hoạch tỉnh") == 4
    assert client.get(reverse("plans:plan_detail", args=[tq_plan.pk])).status_code == 404
    assert client.get(reverse("plans:plan_detail", args=[plan.pk])).status_code == 200
    assert client.get(reverse("plans:plan_progress", args=[plan.pk])).status_code == 200


@time_machine.travel(NOW)
def test_cascade_page_one_submit(client, tree, people):
    plan, task = make_national_plan(tree)
    _login(client, people.th_coordinator)
    url = reverse("plans:plan_cascade")
    assert "Kế hoạch quốc gia" in client.get(url).content.decode()
    page = client.get(url, {"parent": plan.pk}).content.decode()
    assert "Chiến dịch truyền thông" in page
    r = client.post(
        url,
        {
            "parent": plan.pk,
            "title": "Kế hoạch của tỉnh Thanh Hóa",
            "number": "123/KH-UBND",
            "groups": [G.COMMUNES_OF, G.PRESS_OF],
            f"t{task.pk}_include": "on",
            f"t{task.pk}_title": "Truyền thông trên địa bàn tỉnh",
            f"t{task.pk}_deadline": "2025-10-20",
        },
    )
    assert r.status_code == 302
    child = Plan.objects.get(parent=plan)
    copied = child.tasks.get()
    assert copied.title == "Truyền thông trên địa bàn tỉnh"
    assert copied.deadline == datetime.date(2025, 10, 20)
    assert set(copied.assignments.values_list("organisation__code", flat=True)) == {
        "xa-16000", "xa-16001", "bao-thanh-hoa",
    }  # fmt: skip
    # A commune reporter may not cascade.
    _login(client, people.th_c1_reporter)
    assert client.get(url).status_code == 403


@time_machine.travel(NOW)
def test_chase_page_lists_late_units_and_reminds(
    client, tree, people, django_capture_on_commit_callbacks
):
    plan, task = make_national_plan(tree, deadline=datetime.date(2025, 10, 10))
    services.plan_cascade(
        parent_plan=plan, organisation=tree.th, by=None,
        groups=[{"group": G.COMMUNES_OF, "role": "lead"}],
    )  # fmt: skip
    _login(client, people.th_coordinator)
    url = reverse("plans:chase")
    body = client.get(url).content.decode()
    assert "UBND phường Hạc Thành" in body and "UBND xã Quảng Phú" in body
    assert "UBND phường Minh Xuân" not in body  # another province
    a = plan.tasks.get().child_tasks.get().assignments.get(organisation=tree.th_c1)
    r = client.post(url, {"unit": [tree.th_c1.pk]})  # step 1: the count, nothing sent yet
    assert "Gửi 1 nhắc nhở cho 1 đơn vị?" in r.content.decode()
    assert not Reminder.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, {"unit": [tree.th_c1.pk], "xac_nhan": "1"})
    assert r.status_code == 302
    assert Reminder.objects.filter(assignment=a, kind="manual").count() == 1
    _login(client, people.th_c1_reporter)
    page = client.get(reverse("plans:notifications")).content.decode()
    assert "Đôn đốc báo cáo" in page
    assert client.get(url).status_code == 403  # reporters do not chase


@pytest.mark.django_db
def test_campaign_edit_moves_the_ceremony(client, tree, people):
    campaign = make_campaign(2025)
    ceremony = campaign.key_dates.get()
    window = campaign.windows.get()
    _login(client, people.national_coordinator)
    url = reverse("plans:campaign_edit", args=[2025])
    assert client.get(url).status_code == 200
    data = {
        "year": 2025, "theme": campaign.theme, "message": campaign.message,
        "legal_basis_number": campaign.legal_basis_number, "legal_basis_date": "2025-09-24",
        "legal_basis_issuer": campaign.legal_basis_issuer,
        "legal_basis_title": campaign.legal_basis_title, "summary": "",
        "w-TOTAL_FORMS": 2, "w-INITIAL_FORMS": 1, "w-MIN_NUM_FORMS": 0, "w-MAX_NUM_FORMS": 1000,
        "w-0-id": window.pk, "w-0-kind": "communication", "w-0-name": window.name,
        "w-0-starts_on": "2025-10-01", "w-0-ends_on": "2025-10-10",
        "w-1-kind": "peak", "w-1-name": "Tháng cao điểm",
        "w-1-starts_on": "2025-10-01", "w-1-ends_on": "2025-10-31",
        "k-TOTAL_FORMS": 1, "k-INITIAL_FORMS": 1, "k-MIN_NUM_FORMS": 0, "k-MAX_NUM_FORMS": 1000,
        "k-0-id": ceremony.pk, "k-0-kind": "ceremony", "k-0-name": "Lễ hưởng ứng",
        "k-0-date": "2025-10-21", "k-0-note": "Lùi do bão",
    }  # fmt: skip
    r = client.post(url, data)
    assert r.status_code == 302, r.content.decode()[:2000]
    ceremony.refresh_from_db()
    assert ceremony.date == datetime.date(2025, 10, 21)
    assert campaign.windows.count() == 2
    detail = client.get(reverse("plans:campaign_detail", args=[2025])).content.decode()
    assert "21/10/2025" in detail
    _login(client, people.th_coordinator)
    assert client.get(url).status_code == 403


@time_machine.travel(NOW)
def test_task_create_and_target_outside_subtree_is_refused(client, tree, people):
    campaign = make_campaign(2025)
    th_plan = services.plan_create(
        campaign=campaign, organisation=tree.th, by=None, title="Kế hoạch tỉnh"
    )
    _login(client, people.th_coordinator)
    r = client.post(
        reverse("plans:task_create", args=[th_plan.pk]),
        {"title": "Phát thanh cơ sở", "category": "radio", "deadline": "2025-10-20"},
    )
    assert r.status_code == 302
    task = th_plan.tasks.get()
    r = client.post(
        reverse("plans:target_add", args=[task.pk]),
        {"group": G.COMMUNES_OF, "organisation": "tinh-08", "role": "lead"},
        follow=True,
    )
    assert "không thuộc phạm vi quản lý" in r.content.decode()
    r = client.post(
        reverse("plans:target_add", args=[task.pk]),
        {"group": G.COMMUNES_OF, "organisation": "", "role": "lead"},
        follow=True,
    )
    assert task.assignments.count() == 2


@time_machine.travel(NOW)
def test_chase_page_query_count_does_not_grow(client, tree, people, django_assert_num_queries):
    plan, task = make_national_plan(tree, deadline=datetime.date(2025, 10, 10))
    services.plan_cascade(
        parent_plan=plan, organisation=tree.th, by=None,
        groups=[{"group": G.COMMUNES_OF, "role": "lead"}],
    )  # fmt: skip
    _login(client, people.th_coordinator)
    url = reverse("plans:chase")
    client.get(url)
    with django_assert_num_queries(7) as ctx:
        client.get(url)
    child = Plan.objects.get(parent=plan)
    for i in range(3):
        t = services.task_create(plan=child, by=None, title=f"Thêm {i}", deadline=NOW.date())
        services.task_target_add(task=t, by=None, group=G.COMMUNES_OF, organisation=tree.th)
        services.task_assign(task=t, by=None)
    with django_assert_num_queries(len(ctx.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count('name="unit"') == 2  # one row per unit
    assert "4 nhiệm vụ chưa báo cáo" in body


@time_machine.travel(NOW)
def test_plan_edit(client, tree, people):
    plan, _task = make_national_plan(tree)
    _login(client, people.national_coordinator)
    r = client.post(
        reverse("plans:plan_edit", args=[plan.pk]),
        {"campaign": plan.campaign_id, "title": "Kế hoạch 2873", "number": "2873/QĐ-BKHCN",
         "issued_on": "2025-09-24", "status": "issued", "summary": ""},
    )  # fmt: skip
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Kế hoạch 2873" and plan.number == "2873/QĐ-BKHCN"
    _login(client, people.th_coordinator)
    assert client.get(reverse("plans:plan_edit", args=[plan.pk])).status_code == 404


@pytest.mark.django_db
def test_campaign_create_with_windows(client, tree, people):
    _login(client, people.national_coordinator)
    data = {
        "year": 2026, "theme": "Chủ đề 2026", "message": "", "legal_basis_number": "",
        "legal_basis_date": "", "legal_basis_issuer": "", "legal_basis_title": "", "summary": "",
        "w-TOTAL_FORMS": 1, "w-INITIAL_FORMS": 0, "w-MIN_NUM_FORMS": 0, "w-MAX_NUM_FORMS": 1000,
        "w-0-kind": "door_to_door", "w-0-name": "Đi từng ngõ",
        "w-0-starts_on": "2026-10-10", "w-0-ends_on": "2026-10-01",
        "k-TOTAL_FORMS": 1, "k-INITIAL_FORMS": 0, "k-MIN_NUM_FORMS": 0, "k-MAX_NUM_FORMS": 1000,
        "k-0-kind": "", "k-0-name": "", "k-0-date": "", "k-0-note": "",
    }  # fmt: skip
    url = reverse("plans:campaign_create")
    r = client.post(url, data)
    assert r.status_code == 200  # window ends before it starts: nothing saved
    assert "Ngày kết thúc đợt phải sau" in r.content.decode()
    from dxday.plans.models import Campaign

    assert not Campaign.objects.filter(year=2026).exists()
    data["w-0-ends_on"] = "2026-10-20"
    r = client.post(url, data)
    assert r.status_code == 302
    assert Campaign.objects.get(year=2026).windows.get().name == "Đi từng ngõ"


@pytest.mark.django_db
def test_indicator_catalogue_pages(client, tree, people):
    from dxday.plans.models import Indicator

    _login(client, people.national_coordinator)
    body = client.get(reverse("plans:indicator_list")).content.decode()
    assert "Tài khoản định danh điện tử (VNeID) mức 2" in body
    guided = Indicator.objects.get(code="people-guided")
    r = client.post(
        reverse("plans:indicator_create"),
        {"code": "zalo-guided", "name": "Người được hướng dẫn dùng Zalo", "unit": "người",
         "definition": "", "part_of": guided.pk, "order": 999},
    )  # fmt: skip
    assert r.status_code == 302
    assert Indicator.objects.get(code="zalo-guided").part_of == guided
    # No cycles: a total cannot become a part of its own part.
    vneid = Indicator.objects.get(code="vneid-level2")
    r = client.post(
        reverse("plans:indicator_edit", args=[guided.pk]),
        {"code": guided.code, "name": guided.name, "unit": guided.unit, "definition": "",
         "part_of": vneid.pk, "order": guided.order},
    )  # fmt: skip
    assert "không thể là một phần của chính nó" in r.content.decode()
    _login(client, people.th_coordinator)
    assert client.get(reverse("plans:indicator_create")).status_code == 403
