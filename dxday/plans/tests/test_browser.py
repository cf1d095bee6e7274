import datetime

import pytest

from dxday.conftest import browser_login
from dxday.orgs.tests.factories import DEFAULT_PASSWORD
from dxday.plans.models import Plan, Reminder

from .factories import make_national_plan


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_province_cascades_then_chases_on_a_phone(page, tree, people):
    plan, task = make_national_plan(tree, deadline=datetime.date(2020, 10, 10))
    browser_login(page, people.th_coordinator.username, DEFAULT_PASSWORD)
    page.goto(page.base_url + "/plans/cu-the-hoa/")
    page.get_by_role("link", name="Kế hoạch quốc gia").click()
    page.get_by_label("Tên nhiệm vụ").fill("Truyền thông trên địa bàn tỉnh Thanh Hóa")
    page.get_by_label("Các sở, ban, ngành cấp tỉnh").uncheck()
    page.screenshot(path="/tmp/plans_cascade_360.png", full_page=True)
    page.get_by_role("button", name="Ban hành và giao nhiệm vụ").click()
    page.wait_for_load_state()
    assert "Truyền thông trên địa bàn tỉnh Thanh Hóa" in page.content()
    child = Plan.objects.get(parent=plan)
    codes = set(child.tasks.get().assignments.values_list("organisation__code", flat=True))
    assert codes == {"xa-16000", "xa-16001", "bao-thanh-hoa"}
    page.goto(page.base_url + "/plans/don-doc/")
    assert page.get_by_text("UBND phường Hạc Thành").is_visible()
    page.screenshot(path="/tmp/plans_chase_360.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = page.get_by_role("button", name="Tìm", exact=True).bounding_box()
    assert box["x"] + box["width"] <= 360
    # Nothing is chosen at first; "Chọn tất cả" ticks the page, the counter follows (chase.js).
    assert page.locator('input[name="unit"]:checked').count() == 0
    page.get_by_role("button", name="Chọn tất cả trên trang").click()
    assert page.locator('input[name="unit"]:checked').count() == 3
    assert "Đã chọn 3 đơn vị" in page.locator("[data-chase-count]").inner_text()
    page.get_by_role("button", name="Nhắc các đơn vị đã chọn…").click()
    page.wait_for_load_state()
    assert "Gửi 3 nhắc nhở cho 3 đơn vị?" in page.get_by_test_id("confirm").inner_text()
    assert Reminder.objects.count() == 0
    page.get_by_role("button", name="Gửi 3 nhắc nhở").click()
    page.wait_for_load_state()
    assert "Đã gửi nhắc nhở" in page.content()
    assert Reminder.objects.filter(kind="manual").count() == 3
    page.goto(page.base_url + f"/plans/{plan.pk}/tien-do/")
    assert page.get_by_test_id("progress").is_visible()
    page.screenshot(path="/tmp/plans_progress_360.png", full_page=True)
    # The commune sees the reminder and its task, late, on its phone.
    page.context.clear_cookies()
    browser_login(page, people.th_c1_reporter.username, DEFAULT_PASSWORD)
    page.goto(page.base_url + "/plans/nhiem-vu-cua-toi/?nam=2025")
    assert page.get_by_test_id("unread").inner_text() == "2"  # the new plan and the reminder
    assert "Quá hạn" in page.get_by_test_id("my-tasks").inner_text()
    page.screenshot(path="/tmp/plans_mytasks_360.png", full_page=True)
    # The national plan is not the commune's: it is "not found" for it.
    page.goto(page.base_url + f"/plans/{plan.pk}/")
    assert "Không tìm thấy" in page.content()
