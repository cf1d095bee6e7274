"""In a real browser (Debian's Chromium, 360 px wide): a Thanh Hóa coordinator sees the
province's units and cannot open a Tuyên Quang unit. Also saves the home page screenshots."""

import datetime
import os
import tempfile
from pathlib import Path

import pytest

from dxday.conftest import browser_login
from dxday.orgs.tests.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots go to a temporary folder so that running the suite never edits tracked files;
# `DXDAY_SCREENSHOTS=docs/screenshots make test` refreshes the ones committed under docs/.
SCREENSHOTS = Path(
    os.environ.get("DXDAY_SCREENSHOTS") or Path(tempfile.gettempdir()) / "dxday-screenshots"
)


def test_thanh_hoa_coordinator_sees_province_not_tuyen_quang(page, tree, people):
    browser_login(page, "th_dieuphoi", DEFAULT_PASSWORD)
    page.goto(page.base_url + "/don-vi/")
    assert page.get_by_test_id("org-name").inner_text() == "UBND tỉnh Thanh Hóa"
    units = page.get_by_test_id("org-children")
    for name in ("Sở Khoa học và Công nghệ Thanh Hóa", "Báo Thanh Hóa", "UBND xã Quảng Phú"):
        assert units.get_by_role("link", name=name).is_visible()

    # Searching without diacritics finds the commune; the Tuyên Quang one is not there.
    page.get_by_label("Tìm đơn vị").fill("quang phu")
    page.get_by_role("button", name="Tìm").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="UBND xã Quảng Phú").is_visible()

    page.get_by_role("link", name="UBND xã Quảng Phú").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("org-name").inner_text() == "UBND xã Quảng Phú"

    response = page.goto(page.base_url + "/don-vi/xa-02200/")
    assert response.status == 404
    assert page.get_by_test_id("not-found").is_visible()
    assert "Minh Xuân" not in page.content()
    response = page.goto(page.base_url + "/don-vi/tinh-08/")
    assert response.status == 404


def test_home_page_screenshots(page, tree, people):
    from dxday.plans.models import Campaign, CampaignWindow

    campaign = Campaign.objects.create(
        year=2025,
        theme="Chuyển đổi số toàn dân, toàn diện, toàn trình để tăng tốc, bứt phá phát triển "
        "kinh tế số",
        message="Chuyển đổi số: Nhanh hơn, hiệu quả hơn, gần dân hơn",
        legal_basis_number="505/QĐ-TTg",
        legal_basis_date=datetime.date(2022, 4, 22),
    )
    CampaignWindow.objects.create(
        campaign=campaign,
        kind=CampaignWindow.Kind.PEAK,
        name="Cao điểm hưởng ứng Ngày Chuyển đổi số",
        starts_on=datetime.date(2025, 10, 1),
        ends_on=datetime.date(2025, 10, 10),
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(page.base_url + "/")
    message = page.get_by_test_id("dx-message")
    assert message.inner_text() == "Chuyển đổi số: Nhanh hơn, hiệu quả hơn, gần dân hơn"
    # Nothing sticks out sideways at 360 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(SCREENSHOTS / "home-mobile.png"), full_page=True)
    page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(page.base_url + "/")
    page.screenshot(path=str(SCREENSHOTS / "home-desktop.png"), full_page=True)

    # The signed-in workspace too, for the docs.
    browser_login(page, "th_dieuphoi", DEFAULT_PASSWORD)
    page.goto(page.base_url + "/don-vi/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.screenshot(path=str(SCREENSHOTS / "workspace-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(page.base_url + "/don-vi/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(SCREENSHOTS / "workspace-mobile.png"), full_page=True)
