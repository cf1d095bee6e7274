"""The to-do inbox a field user lands on (issue 10): tasks due with the overdue first and a
"Báo cáo" button, reports returned with their reason, reviews waiting, the field app first for
community teams; one selector at a pinned number of queries."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from dxday.activities import selectors, services
from dxday.orgs.models import Organisation, Role
from dxday.orgs.tests.factories import DEFAULT_PASSWORD, make_member, make_org
from dxday.plans import demo as plans_demo
from dxday.plans.models import Assignment

from .factories import activity_data

pytestmark = pytest.mark.django_db
AFTER_DEADLINES = datetime.datetime(2025, 10, 20, 3, tzinfo=datetime.UTC)


def _sign_in(client, user):
    """Sign in through the login page, as a person does, and follow where it lands."""
    r = client.post(
        reverse("orgs:login"), {"username": user.username, "password": DEFAULT_PASSWORD}
    )
    assert r.status_code == 302
    return client.get(r["Location"], follow=True)


@time_machine.travel(AFTER_DEADLINES)
def test_commune_reporter_lands_on_inbox_with_overdue_tasks_first(client, tree, people):
    plans_demo.seed()  # the demo's plans: Hạc Thành's tasks are past their deadlines
    mine = Assignment.objects.filter(organisation=tree.th_c1)
    assert mine.filter(deadline__lt=datetime.date(2025, 10, 20)).exists()
    page = _sign_in(client, people.th_c1_reporter)
    assert page.redirect_chain[-1][0] == reverse("activities:inbox")
    body = page.content.decode()
    assert 'data-testid="inbox-tasks"' in body
    statuses = [
        chunk.split('"', 1)[0] for chunk in body.split('data-testid="task" data-status="')[1:]
    ]
    assert statuses and statuses[0] == "late"
    assert statuses == sorted(statuses, key=lambda s: s != "late")  # overdue first
    first = selectors.inbox_for_actor(people.actor(people.th_c1_reporter)).tasks[0]
    assert f"{reverse('activities:create')}?phan_cong={first.pk}" in body
    assert body.count(">Báo cáo</a>") >= len(statuses)
    assert "quá hạn" in body
    # /don-vi/ stays reachable.
    assert client.get(reverse("orgs:workspace")).status_code == 200


def test_returned_report_shows_its_reason_and_reviewer_sees_it_waiting(client, loop, people):
    reporter = people.actor(people.th_c1_reporter)
    a = services.activity_create(by=reporter, assignment=loop.a_c1, data=activity_data())
    services.activity_submit(activity=a, by=reporter)
    # The reviewer's inbox has it waiting.
    assert client.login(username=people.th_coordinator.username, password=DEFAULT_PASSWORD)
    body = client.get(reverse("activities:inbox")).content.decode()
    assert 'data-testid="inbox-reviews"' in body and a.title in body
    services.activity_return(
        activity=a, by=people.actor(people.th_coordinator), reason="Thiếu số liệu tháng 10"
    )
    client.logout()
    body = _sign_in(client, people.th_c1_reporter).content.decode()
    assert 'data-testid="inbox-returned"' in body
    assert "Thiếu số liệu tháng 10" in body and reverse("activities:edit", args=[a.pk]) in body
    # The returned task itself points at correcting that report, not at a new one.
    tasks = body.split('data-testid="inbox-tasks"', 1)[1]
    assert "Sửa báo cáo" in tasks and f"phan_cong={loop.a_c1.pk}" not in tasks


def test_provincial_coordinator_still_lands_on_unit_page(client, tree, people):
    page = _sign_in(client, people.th_coordinator)
    assert page.redirect_chain[-1][0] == reverse("orgs:workspace")


def test_team_member_sees_the_field_app_first(client, tree, people):
    team = make_org(
        tree.th_c1, kind=Organisation.Kind.COMMUNITY_TEAM, code="to-hac-thanh-1",
        name="Tổ công nghệ số cộng đồng khu phố 1", province=tree.th_province,
    )  # fmt: skip
    member = make_member(team, Role.TEAM_MEMBER, "to_vien_hac_thanh")
    page = _sign_in(client, member)
    assert page.redirect_chain[-1][0] == reverse("activities:inbox")
    body = page.content.decode()
    field_at = body.index('data-testid="inbox-field-app"')
    assert reverse("outreach:field") in body[field_at : field_at + 800]
    assert body.index("<main") < field_at if "<main" in body else True
    assert 'data-testid="inbox-tasks"' not in body  # a team node reports no plan tasks


@time_machine.travel(AFTER_DEADLINES)
def test_inbox_query_count_is_pinned(loop, people, django_assert_num_queries):
    from dxday.plans.models import Task

    reporter = people.actor(people.th_c1_reporter)
    reviewer = people.actor(people.th_coordinator)
    returned = services.activity_create(by=reporter, assignment=loop.a_c1, data=activity_data())
    services.activity_submit(activity=returned, by=reporter)
    services.activity_return(activity=returned, by=reviewer, reason="Thiếu ảnh")
    with django_assert_num_queries(4):  # tasks, their counts, own reports, notifications
        inbox = selectors.inbox_for_actor(reporter)
    assert inbox.returned and inbox.tasks and inbox.overdue_total == 0
    with django_assert_num_queries(6):  # + reviews waiting and their count
        selectors.inbox_for_actor(reviewer)
    # Many more tasks (past the page size), reports and reviews: the same number of queries.
    for i in range(30):
        task = Task.objects.create(
            plan=loop.th_task.plan,
            title=f"Nhiệm vụ {i}",
            deadline=datetime.date(2025, 10, 1 + i % 9),
        )
        Assignment.objects.create(
            task=task, organisation=loop.tree.th_c1, role="lead", deadline=task.deadline
        )
        draft = services.activity_create(
            by=reporter, assignment=loop.a_c1, data=activity_data(title=f"Nháp {i}")
        )
        services.activity_submit(activity=draft, by=reporter)
    with django_assert_num_queries(4):
        inbox = selectors.inbox_for_actor(reporter)
    assert len(inbox.tasks) == 20 and inbox.tasks_total == 30 and inbox.overdue_total == 30
    assert all(a.deadline < datetime.date(2025, 10, 20) for a in inbox.tasks)  # overdue first
    with django_assert_num_queries(6):
        inbox = selectors.inbox_for_actor(reviewer)
    assert inbox.reviews_total == 30 and len(inbox.reviews) == 20


def test_team_leader_sees_the_field_app_and_the_team_page(client, tree, people):
    team = make_org(
        tree.th_c1, kind=Organisation.Kind.COMMUNITY_TEAM, code="to-hac-thanh-2",
        name="Tổ công nghệ số cộng đồng khu phố 2", province=tree.th_province,
    )  # fmt: skip
    leader = make_member(team, Role.TEAM_LEADER, "to_truong_hac_thanh")
    body = _sign_in(client, leader).content.decode()
    assert 'data-testid="inbox-field-app"' in body and reverse("outreach:team") in body
