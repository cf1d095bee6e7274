import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_library_search_item_and_qr_at_360_px(page, library):
    page.goto(page.base_url + "/tai-lieu/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_label("Tìm (không cần dấu)").fill("ap phich")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_load_state()
    assert page.locator("article").count() == 1
    page.get_by_role("link", name=library.poster.title).click()
    page.wait_for_load_state()
    qr = page.locator('[data-testid="item-qr"] img')
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator("main img.img-fluid, img.img-fluid").first.evaluate(
        "img => img.naturalWidth > 0"
    )  # the poster itself, shown inline
