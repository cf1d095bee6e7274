"""End to end in Debian's Chromium at 360 px: a commune reports an activity with a photo, the
provincial coordinator accepts it, and it appears on the public portal and in the open data."""

import pytest

from dxday.conftest import browser_login
from dxday.orgs.tests.factories import DEFAULT_PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_commune_report_accept_publish(page, loop, people, tmp_path):
    from PIL import Image

    photo = tmp_path / "ra-quan.png"
    Image.new("RGB", (64, 48), (11, 58, 110)).save(photo)
    title = "Ra quân hướng dẫn người dân cài VNeID"

    browser_login(page, people.th_c1_reporter.username, DEFAULT_PASSWORD)
    page.goto(page.base_url + "/activities/")
    page.get_by_test_id(f"assignment-{loop.a_c1.pk}").get_by_role("link", name="Báo cáo").click()
    page.get_by_label("Tên hoạt động").fill(title)
    page.get_by_label("Loại hoạt động").select_option("door_to_door")
    page.get_by_label("Từ ngày").fill("2025-10-05")
    page.get_by_label("Đến ngày").fill("2025-10-06")
    page.get_by_label("Tin, bài (bài)").fill("7")
    page.get_by_label("Ảnh, tệp PDF minh chứng").set_input_files(str(photo))
    page.get_by_role("button", name="Lưu bản nháp").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status").inner_text() == "Bản nháp"
    assert page.locator("img[alt='ra-quan.png']").count() == 1
    page.get_by_role("button", name="Gửi duyệt").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status").inner_text() == "Chờ duyệt"

    page.context.clear_cookies()
    browser_login(page, people.th_coordinator.username, DEFAULT_PASSWORD)
    page.goto(page.base_url + "/activities/duyet/")
    card = page.locator("[data-testid^='review-']").filter(has_text=title)
    card.get_by_role("button", name="Duyệt").click()
    page.wait_for_load_state()
    assert "Đã duyệt báo cáo" in page.content()

    page.context.clear_cookies()
    page.goto(page.base_url + "/hoat-dong/?q=ra+quan+vneid")
    page.get_by_role("link", name=title).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=title).is_visible()
    assert "7" in page.locator("main").inner_text()
    image = page.locator("main img").first
    assert image.evaluate("img => img.naturalWidth") == 64  # the photo is served
    page.screenshot(path="/tmp/dxday_portal_detail_360.png", full_page=True)
    page.goto(page.base_url + "/hoat-dong/")
    page.screenshot(path="/tmp/dxday_portal_list_360.png", full_page=True)
    page.goto(page.base_url + "/")
    assert "Nhanh hơn, hiệu quả hơn, gần dân hơn" in page.get_by_test_id("dx-message").inner_text()
    page.screenshot(path="/tmp/dxday_portal_home_360.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    csv = page.request.get(page.base_url + "/du-lieu-mo/hoat-dong.csv")
    assert csv.ok and title in csv.body().decode("utf-8-sig")
