import pytest

from dxday.conftest import browser_login
from dxday.orgs.tests.factories import DEFAULT_PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_year_over_year_at_360_px(page, world):
    browser_login(page, world.people.th_coordinator.username, DEFAULT_PASSWORD)
    page.goto(page.base_url + "/reports/don-vi/tinh-38/qua-cac-nam/")
    # One block per figure on a phone: nothing scrolls sideways, every chart is there.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    charts = page.locator("svg.dx-year-chart")
    assert charts.count() > 5 and charts.first.is_visible()
    row = page.locator('tr[data-code="outreach.people_guided"]')
    assert "21" in row.inner_text()  # 7 + 5 + 9 people in the two Thanh Hóa communes
