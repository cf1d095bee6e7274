import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_map_at_360_px_drills_down_and_switches_measure(page, world):
    page.goto(page.base_url + "/ban-do/?nam=2025")
    # The map and its table fit a 360 px phone: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator("svg.dx-map g[data-province]").count() == 34
    assert page.get_by_role("table").get_by_role("link", name="Thanh Hóa").is_visible()
    page.select_option("#map-measure", "luot")  # submits itself (dxday.js)
    page.wait_for_url("**so_lieu=luot**")
    assert page.locator('g[data-province="38"] text').nth(1).text_content() == "3"
    page.locator('svg.dx-map a:has(g[data-province="38"])').click()
    page.wait_for_url("**/ban-do/38/**")
    assert page.locator('[data-testid="communes"] tbody tr').count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
