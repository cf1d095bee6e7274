"""The field app in Debian Chromium: offline, three sessions, back online, each arrives once."""

import pytest

from dxday.outreach.models import CommuneStat, GuidanceSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_offline_sessions_arrive_exactly_once(page, team, current_window):
    token = team.device_token()
    page.goto(page.base_url + "/outreach/ung-dung/")
    page.get_by_label("Mã thiết bị").fill(token)
    page.get_by_role("button", name="Lưu mã thiết bị").click()
    page.get_by_label("Số hộ đã đến").wait_for()
    page.screenshot(path="/tmp/outreach-field-360.png", full_page=True)

    page.context.set_offline(True)
    page.wait_for_function("() => !navigator.onLine")
    for i in range(3):
        page.get_by_label("Số hộ đã đến").fill("1")
        page.get_by_label("Số người được hướng dẫn").fill(str(i + 2))
        page.get_by_text("Kích hoạt định danh điện tử VNeID mức 2").click()
        page.locator(".topic.on .to").fill("1")
        page.get_by_role("button", name="Lưu lượt hướng dẫn").click()
        page.wait_for_function(
            f"() => document.getElementById('queue-size').textContent === '{i + 1}'"
        )
    assert GuidanceSession.objects.count() == 0
    page.screenshot(path="/tmp/outreach-field-offline-360.png", full_page=True)

    page.context.set_offline(False)
    page.wait_for_function("() => document.getElementById('queue-size').textContent === '0'")
    assert page.get_by_test_id("last-sync").inner_text() != "chưa"
    assert GuidanceSession.objects.count() == 3
    assert CommuneStat.objects.get(campaign=current_window).sessions == 3
    # A reload (and any later retry) sends nothing twice.
    page.reload()
    page.wait_for_timeout(500)
    assert GuidanceSession.objects.count() == 3


def test_rejected_sessions_are_shown_with_reasons(page, team, current_window):
    token = team.device_token()
    page.goto(page.base_url + "/outreach/ung-dung/")
    page.get_by_label("Mã thiết bị").fill(token)
    page.get_by_role("button", name="Lưu mã thiết bị").click()
    page.get_by_label("Thời điểm").fill("2020-01-05T08:00")
    page.get_by_label("Số hộ đã đến").fill("1")
    page.get_by_label("Số người được hướng dẫn").fill("1")
    page.get_by_text("Kỹ năng an toàn trên không gian mạng").click()
    page.get_by_role("button", name="Lưu lượt hướng dẫn").click()
    rejected = page.get_by_test_id("rejected")
    rejected.get_by_text("chưa có đợt").wait_for()
    assert GuidanceSession.objects.count() == 0


def test_dashboard_at_360(page, team):
    from dxday.outreach import services

    from .helpers import session

    services.sessions_ingest(actor=team.deputy_actor, sessions=[session(), session()])
    page.goto(page.base_url + "/outreach/?campaign=2025")
    page.screenshot(path="/tmp/outreach-national-360.png", full_page=True)
    page.get_by_test_id("provinces").get_by_role("link", name="Thanh Hóa").click()
    page.get_by_test_id("communes").wait_for()
    page.screenshot(path="/tmp/outreach-dashboard-360.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360


def test_first_load_is_under_300_kb(page, team, current_window):
    sizes = {}

    def on_response(response):
        try:
            sizes[response.url] = len(response.body())
        except Exception:  # noqa: BLE001 — redirects and aborted requests have no body
            sizes[response.url] = 0

    page.on("response", on_response)
    page.goto(page.base_url + "/outreach/ung-dung/")
    page.wait_for_load_state("networkidle")
    total = sum(sizes.values())
    print(f"field app first load: {total} bytes uncompressed in {len(sizes)} responses", sizes)
    assert total <= 300 * 1024
    assert not any("bootstrap" in url for url in sizes)


def test_service_worker_serves_the_shell_offline(page, team, current_window):
    token = team.device_token()
    page.goto(page.base_url + "/outreach/ung-dung/")
    page.get_by_label("Mã thiết bị").fill(token)
    page.get_by_role("button", name="Lưu mã thiết bị").click()
    page.get_by_label("Số hộ đã đến").wait_for()
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the service worker, which has cached the shell
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    manifest = page.evaluate("fetch('/outreach/ung-dung/manifest.webmanifest').then(r => r.json())")
    assert manifest["scope"] == "/outreach/ung-dung/"

    page.context.set_offline(True)
    page.reload()
    page.get_by_label("Số hộ đã đến").fill("2")
    page.get_by_label("Số người được hướng dẫn").fill("2")
    page.get_by_text("Thanh toán không dùng tiền mặt").click()
    page.get_by_role("button", name="Lưu lượt hướng dẫn").click()
    page.wait_for_function("() => document.getElementById('queue-size').textContent === '1'")
    page.context.set_offline(False)
    page.wait_for_function("() => document.getElementById('queue-size').textContent === '0'")
    assert GuidanceSession.objects.count() == 1


def test_scanned_link_sets_up_the_phone(page, team, current_window):
    page.goto(page.base_url + "/outreach/ung-dung/#t=" + team.device_token())
    page.get_by_label("Số hộ đã đến").wait_for()
    assert "#t=" not in page.url  # the token does not stay in the address bar or history
    assert page.evaluate("localStorage.getItem('dxday.token')").startswith("dxd_")
