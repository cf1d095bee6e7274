"""The chase page (/plans/don-doc/): nothing chosen at first, search and pages, and a server-side
confirmation that states how many reminders go to how many units before anything is sent."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from dxday.orgs.models import Organisation
from dxday.orgs.tests.factories import DEFAULT_PASSWORD, make_commune, make_org
from dxday.plans import services
from dxday.plans.models import Reminder, TaskTarget

from .factories import make_national_plan

G = TaskTarget.Group
NOW = datetime.datetime(2025, 10, 12, 3, tzinfo=datetime.UTC)
pytestmark = pytest.mark.django_db


def _many_communes(tree, n):
    for i in range(n):
        c = make_commune(tree.th_province, f"17{i:03d}", f"Xã Thử Nghiệm Số {i}")
        make_org(
            tree.th, kind=Organisation.Kind.COMMUNE, code=f"xa-17{i:03d}",
            name=f"UBND xã Thử Nghiệm Số {i}", province=tree.th_province, commune=c,
        )  # fmt: skip


def _cascaded(tree):
    plan, task = make_national_plan(tree, deadline=datetime.date(2025, 10, 10))
    services.plan_cascade(
        parent_plan=plan, organisation=tree.th, by=None,
        groups=[{"group": G.COMMUNES_OF, "role": "lead"}],
    )  # fmt: skip
    return plan


@time_machine.travel(NOW)
def test_nothing_is_preselected_and_sending_needs_a_confirmation(client, tree, people):
    _cascaded(tree)
    assert client.login(username=people.th_coordinator.username, password=DEFAULT_PASSWORD)
    url = reverse("plans:chase")
    body = client.get(url).content.decode()
    assert body.count('name="unit"') == 2 and " checked" not in body.split("data-chase-form")[1]
    assert "plans/chase.js" in body and "Chọn tất cả" in body
    r = client.post(url, {})  # nothing chosen
    assert r.status_code == 302 and not Reminder.objects.exists()
    r = client.post(url, {"unit": [tree.th_c1.pk, tree.th_c2.pk]})
    assert "Gửi 2 nhắc nhở cho 2 đơn vị?" in r.content.decode()
    assert not Reminder.objects.exists()  # asking sends nothing


@time_machine.travel(NOW)
def test_search_without_diacritics_pages_and_all_matching(
    client, tree, people, django_capture_on_commit_callbacks
):
    _many_communes(tree, 60)
    _cascaded(tree)
    assert client.login(username=people.th_coordinator.username, password=DEFAULT_PASSWORD)
    url = reverse("plans:chase")
    first = client.get(url).content.decode()
    assert first.count('name="unit"') == 50 and "1/2" in first  # 62 units, 50 a page
    assert "Chọn tất cả 62 đơn vị khớp bộ lọc" in first
    found = client.get(url, {"q": "hac thanh"}).content.decode()
    assert found.count('name="unit"') == 1 and "UBND phường Hạc Thành" in found
    # "Every unit the filter matches, on every page": the count first, then the reminders.
    r = client.post(url + "?q=thu+nghiem", {"tat_ca": "1", "q": "thu nghiem"})
    assert "Gửi 60 nhắc nhở cho 60 đơn vị?" in r.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, {"tat_ca": "1", "q": "thu nghiem", "xac_nhan": "1"})
    assert r.status_code == 302
    assert Reminder.objects.filter(kind="manual").count() == 60
    assert not Reminder.objects.filter(assignment__organisation=tree.th_c1).exists()


@time_machine.travel(NOW)
def test_national_scope_page_stays_small(client, tree, people):
    _many_communes(tree, 180)
    _cascaded(tree)
    assert client.login(username=people.national_coordinator.username, password=DEFAULT_PASSWORD)
    body = client.get(reverse("plans:chase")).content
    assert body.count(b'name="unit"') == 50
    assert len(body) < 300_000
