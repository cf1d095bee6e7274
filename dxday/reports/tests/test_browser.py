import pytest

from dxday.conftest import browser_login
from dxday.orgs.tests.factories import DEFAULT_PASSWORD
from dxday.reports.models import Report, ReportJob


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_writes_the_narrative_and_downloads_the_docx(page, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    browser_login(page, world.people.th_coordinator.username, DEFAULT_PASSWORD)
    page.goto(page.base_url + "/reports/don-vi/tinh-38/2025/")
    assert page.locator("svg.dx-chart").first.is_visible()
    page.get_by_role("button", name="Soạn báo cáo").click()
    page.wait_for_load_state()
    page.get_by_label("I. Tình hình chung").fill("Tỉnh đã triển khai đồng bộ các hoạt động.")
    page.get_by_label("Giải trình cho: Nhiệm vụ quá hạn chưa báo cáo").first.fill(
        "Do ảnh hưởng của bão."
    )
    page.get_by_role("button", name="Lưu nội dung", exact=True).click()
    page.wait_for_load_state()
    assert "Đã lưu nội dung báo cáo." in page.content()
    report = Report.objects.get(organisation=world.tree.th)
    assert report.general_situation == "Tỉnh đã triển khai đồng bộ các hoạt động."
    assert report.explanations == {"plans.assignments.overdue": "Do ảnh hưởng của bão."}
    # The document is generated in the background; the page polls and offers the download.
    page.get_by_role("button", name="Tạo tệp DOCX").click()
    link = page.get_by_role("link", name="Tải tệp DOCX")
    link.wait_for()
    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename == "bao-cao-tinh-38-2025.docx"
    assert ReportJob.objects.get().status == ReportJob.Status.DONE
    page.screenshot(path="/tmp/reports_detail_360.png", full_page=True)
