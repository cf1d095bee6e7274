"""Never link what the viewer cannot open (issue 10, dead ends on plan pages)."""

import datetime

import time_machine
from django.urls import reverse

from dxday.orgs.tests.factories import DEFAULT_PASSWORD
from dxday.plans import services
from dxday.plans.models import TaskTarget

from .factories import make_national_plan

G = TaskTarget.Group
NOW = datetime.datetime(2025, 10, 12, 3, tzinfo=datetime.UTC)


def _login(client, user):
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)


def _cascade_th(plan, tree):
    return services.plan_cascade(
        parent_plan=plan, organisation=tree.th, by=None,
        groups=[{"group": G.COMMUNES_OF, "role": "lead"}],
    )  # fmt: skip


@time_machine.travel(NOW)
def test_cascade_button_of_a_province_that_already_cascaded_leads_to_its_plan(client, tree, people):
    plan, _task = make_national_plan(tree)
    _login(client, people.th_coordinator)
    page = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert f"{reverse('plans:plan_cascade')}?parent={plan.pk}" in page  # not cascaded yet
    child = _cascade_th(plan, tree)
    page = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert f"{reverse('plans:plan_cascade')}?parent={plan.pk}" not in page
    assert reverse("plans:plan_detail", args=[child.pk]) in page
    assert "Kế hoạch cụ thể hóa của đơn vị tôi" in page
    # Another province that has not cascaded still gets the form.
    _login(client, people.tq_coordinator)
    page = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert f"{reverse('plans:plan_cascade')}?parent={plan.pk}" in page


@time_machine.travel(NOW)
def test_recipients_see_the_parent_plan_named_but_not_linked(client, tree, people):
    plan, _task = make_national_plan(tree)
    child = _cascade_th(plan, tree)
    parent_url = reverse("plans:plan_detail", args=[plan.pk])
    _login(client, people.th_c1_reporter)  # a commune that received the province's plan
    page = client.get(reverse("plans:plan_detail", args=[child.pk])).content.decode()
    assert "Cụ thể hóa từ" in page and "Kế hoạch quốc gia" in page
    assert f'href="{parent_url}"' not in page
    assert client.get(parent_url).status_code == 404  # what the link used to lead to
    _login(client, people.th_coordinator)  # the province itself received the national plan
    page = client.get(reverse("plans:plan_detail", args=[child.pk])).content.decode()
    assert f'href="{parent_url}"' in page


@time_machine.travel(NOW)
def test_chase_button_only_for_who_may_chase(client, tree, people):
    plan, _task = make_national_plan(tree)
    child = _cascade_th(plan, tree)
    url = reverse("plans:plan_progress", args=[child.pk])
    _login(client, people.th_c1_reporter)
    page = client.get(url).content.decode()
    assert client.get(url).status_code == 200
    assert reverse("plans:chase") not in page and "Đôn đốc" not in page
    assert client.get(reverse("plans:chase")).status_code == 403  # what it used to lead to
    _login(client, people.th_coordinator)
    assert reverse("plans:chase") in client.get(url).content.decode()
