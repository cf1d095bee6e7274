"""Targets: the unit is picked by name (diacritic-free search in the actor's subtree), not typed
as an internal code; the server still decides which unit it is and whether it may be used."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from dxday.orgs.tests.factories import DEFAULT_PASSWORD
from dxday.plans import services

from .factories import make_campaign

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2025, 10, 12, 3, tzinfo=datetime.UTC)


@pytest.fixture
def th_task(tree):
    plan = services.plan_create(
        campaign=make_campaign(2025), organisation=tree.th, by=None, title="Kế hoạch tỉnh"
    )
    return services.task_create(plan=plan, by=None, title="Phát thanh cơ sở")


@time_machine.travel(NOW)
def test_task_page_offers_a_name_picker_not_a_code_box(client, people, th_task):
    assert client.login(username=people.th_coordinator.username, password=DEFAULT_PASSWORD)
    body = client.get(reverse("plans:task_edit", args=[th_task.pk])).content.decode()
    assert "Mã đơn vị" not in body
    assert 'list="unit-options"' in body and '<datalist id="unit-options">' in body
    assert f'hx-get="{reverse("plans:unit_lookup")}"' in body


def test_lookup_is_diacritic_insensitive_and_limited_to_the_subtree(client, tree, people):
    assert client.login(username=people.th_coordinator.username, password=DEFAULT_PASSWORD)
    url = reverse("plans:unit_lookup")
    body = client.get(url, {"organisation": "hac thanh"}).content.decode()
    assert '<option value="UBND phường Hạc Thành (xa-16000)">' in body
    body = client.get(url, {"organisation": "minh xuan"}).content.decode()
    assert "Minh Xuân" not in body  # Tuyên Quang's commune is not Thanh Hóa's to pick
    assert client.get(url, {"organisation": ""}).content.decode().strip() == ""
    client.logout()
    assert client.login(username=people.th_c1_reporter.username, password=DEFAULT_PASSWORD)
    assert client.get(url, {"organisation": "hac"}).status_code == 403


@time_machine.travel(NOW)
def test_target_added_by_picked_name_or_typed_name(client, tree, people, th_task):
    assert client.login(username=people.th_coordinator.username, password=DEFAULT_PASSWORD)
    url = reverse("plans:target_add", args=[th_task.pk])
    r = client.post(url, {"group": "unit", "organisation": "UBND phường Hạc Thành (xa-16000)",
                          "role": "lead"}, follow=True)  # fmt: skip
    assert "Đã giao nhiệm vụ thêm cho 1 đơn vị" in r.content.decode()
    r = client.post(url, {"group": "unit", "organisation": "ubnd xa quang phu", "role": "lead"})
    assert set(th_task.assignments.values_list("organisation__code", flat=True)) == {
        "xa-16000", "xa-16001",
    }  # fmt: skip
    # Ambiguous or unknown names are refused with a sentence; nothing is added.
    r = client.post(url, {"group": "unit", "organisation": "UBND", "role": "lead"}, follow=True)
    assert "Hãy chọn một đơn vị trong danh sách gợi ý" in r.content.decode()
    r = client.post(
        url, {"group": "unit", "organisation": "Phường Minh Xuân", "role": "lead"}, follow=True
    )
    assert "Không tìm thấy đơn vị" in r.content.decode()
    # A forged choice naming another province's unit is still refused by the service.
    r = client.post(
        url, {"group": "unit", "organisation": "UBND phường Minh Xuân (xa-02200)", "role": "lead"},
        follow=True,
    )  # fmt: skip
    assert r.status_code in (200, 404)
    assert th_task.assignments.count() == 2


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_picker_suggests_units_while_typing_in_chromium(page, tree, people):
    from dxday.conftest import browser_login

    plan = services.plan_create(
        campaign=make_campaign(2025), organisation=tree.th, by=None, title="Kế hoạch tỉnh"
    )
    task = services.task_create(plan=plan, by=None, title="Phát thanh cơ sở")
    browser_login(page, people.th_coordinator.username, DEFAULT_PASSWORD)
    page.goto(page.base_url + reverse("plans:task_edit", args=[task.pk]))
    page.get_by_label("Nhóm đơn vị").select_option("unit")
    page.get_by_label("Đơn vị", exact=True).press_sequentially("hac thanh", delay=30)
    page.wait_for_function("() => document.querySelectorAll('#unit-options option').length === 1")
    value = page.locator("#unit-options option").first.get_attribute("value")
    assert value == "UBND phường Hạc Thành (xa-16000)"
    page.get_by_label("Đơn vị", exact=True).fill(value)
    page.get_by_role("button", name="Giao nhiệm vụ").click()
    page.wait_for_load_state()
    assert "Đã giao nhiệm vụ thêm cho 1 đơn vị" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path="/tmp/plans_target_picker_360.png", full_page=True)
