"""The inbox on a phone: a commune reporter signs in and lands on what to do, at 360 px."""

import datetime

import pytest
import time_machine

from dxday.conftest import browser_login
from dxday.orgs.tests.factories import DEFAULT_PASSWORD
from dxday.plans import demo as plans_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reporter_lands_on_inbox_and_reports_an_overdue_task(page, tree, people):
    with time_machine.travel(datetime.datetime(2025, 10, 20, 3, tzinfo=datetime.UTC), tick=True):
        plans_demo.seed()
    browser_login(page, people.th_c1_reporter.username, DEFAULT_PASSWORD)
    assert page.url.endswith("/activities/viec-can-lam/")
    tasks = page.get_by_test_id("inbox-tasks")
    assert tasks.is_visible() and "Quá hạn" in tasks.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path="/tmp/inbox_360.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path="/tmp/inbox_1280.png", full_page=True)
    page.set_viewport_size({"width": 360, "height": 740})
    tasks.get_by_role("link", name="Báo cáo").first.click()
    page.wait_for_load_state()
    assert "/activities/bao-cao/?phan_cong=" in page.url
    assert page.get_by_label("Tên hoạt động").is_visible()


def test_changing_the_type_swaps_the_figure_fields(page, tree, people):
    from dxday.plans.catalogue import catalogue_load
    from dxday.plans.tests.factories import make_campaign

    catalogue_load()
    make_campaign(2025)
    browser_login(page, people.th_c1_reporter.username, DEFAULT_PASSWORD)
    page.goto(page.base_url + "/activities/bao-cao/")
    assert page.get_by_label("Tin, bài viết đã đăng (bài)").is_visible()
    assert page.get_by_label("Hộ gia đình được đến hướng dẫn (hộ)").count() == 0
    page.get_by_label("Loại hoạt động").select_option("door_to_door")
    page.get_by_label("Hộ gia đình được đến hướng dẫn (hộ)").wait_for()
    assert page.get_by_label("Tin, bài viết đã đăng (bài)").count() == 0
    page.screenshot(path="/tmp/activity_form_door_360.png", full_page=True)
