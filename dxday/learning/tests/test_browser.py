"""The check-in app in Debian Chromium: two phones offline, five scans of which two are the
same ticket, back online → four attendances, one duplicate shown with the first phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dxday.orgs.tests.factories import DEFAULT_PASSWORD

from .. import services
from ..models import CheckIn, Offering
from ..tickets import ticket_payload
from .conftest import make_offering

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_offering(organiser, campaign, tree):
    now = timezone.now()
    return make_offering(
        organiser, campaign, tree.th_c1, starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=3), capacity=None,
    )  # fmt: skip


def _phone(browser, base_url, username):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    violations = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    page.goto(base_url + "/hoc-tap/diem-danh/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_function("() => document.querySelectorAll('#offering option').length > 0")
    page.violations = violations
    return context, page


def _manual(page, text):
    page.get_by_label("Mã vé hoặc tên người đăng ký").fill(text)
    page.get_by_role("button", name="Kiểm tra").click()


def _queue(page, n):
    page.wait_for_function(f"() => document.getElementById('queue-size').textContent === '{n}'")


def test_two_phones_offline_count_each_ticket_once(_browser, live_server, live_offering, staff):
    regs = [services.registration_create(offering=live_offering, name=f"Người {i}")
            for i in range(4)]  # fmt: skip
    tickets = [ticket_payload(live_offering.pk, r.pk) for r in regs]
    (ctx_a, a), (ctx_b, b) = (_phone(_browser, live_server.url, staff.username) for _ in range(2))
    try:
        for ctx in (ctx_a, ctx_b):
            ctx.set_offline(True)
        a.wait_for_function("() => !navigator.onLine")
        for i, t in enumerate(tickets[:3]):
            _manual(a, t)
            _queue(a, i + 1)
        _manual(a, tickets[0])  # the same phone: caught on the phone, not queued again
        a.get_by_test_id("scan-result").get_by_text("đã được điểm danh trên máy này").wait_for()
        _manual(a, tickets[0][:-3] + "AAA")  # forged: refused offline
        a.get_by_test_id("scan-result").get_by_text("Vé không hợp lệ").wait_for()
        _queue(a, 3)
        for i, t in enumerate([tickets[0], tickets[3]]):
            _manual(b, t)
            _queue(b, i + 1)
        b.get_by_role("button", name="+1 người").click()
        _queue(b, 3)
        a.screenshot(path="/tmp/learning-checkin-offline-360.png", full_page=True)
        assert CheckIn.objects.count() == 0

        ctx_a.set_offline(False)
        _queue(a, 0)
        ctx_b.set_offline(False)
        _queue(b, 0)
        dup = b.get_by_test_id("duplicates").locator("li")
        dup.first.wait_for()
        assert dup.count() == 1 and "Người 0" in dup.first.inner_text()
        b.screenshot(path="/tmp/learning-checkin-duplicate-360.png", full_page=True)
        assert CheckIn.objects.filter(counted=True, registration__isnull=False).count() == 4
        assert CheckIn.objects.filter(counted=False).count() == 1
        offering = Offering.objects.get(pk=live_offering.pk)
        assert (offering.checked_in, offering.walk_ins) == (4, 1)
        # A reload sends nothing twice.
        b.reload()
        b.wait_for_timeout(500)
        assert CheckIn.objects.count() == 6
        assert a.violations == [] and b.violations == []
    finally:
        ctx_a.close()
        ctx_b.close()


def test_first_load_is_under_300_kb_and_fits_360(page):
    sizes = {}

    def on_response(response):
        try:
            sizes[response.url] = len(response.body())
        except Exception:  # noqa: BLE001 — redirects and aborted requests have no body
            sizes[response.url] = 0

    page.on("response", on_response)
    page.goto(page.base_url + "/hoc-tap/diem-danh/")
    page.wait_for_load_state("networkidle")
    total = sum(sizes.values())
    print(f"check-in app first load: {total} bytes in {len(sizes)} responses", sizes)
    assert total <= 300 * 1024
    assert not any("jsQR" in url or "bootstrap" in url for url in sizes)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path="/tmp/learning-checkin-login-360.png", full_page=True)


def test_public_pages_at_360(page, live_offering):
    for path in ("/hoc-tap/?tinh=38", f"/hoc-tap/lop/{live_offering.pk}/", "/hoc-tap/so-lieu/"):
        page.goto(page.base_url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    page.goto(page.base_url + "/hoc-tap/?tinh=38")
    page.screenshot(path="/tmp/learning-find-360.png", full_page=True)
    page.goto(page.base_url + f"/hoc-tap/lop/{live_offering.pk}/dang-ky/")
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Hoa")
    page.get_by_role("button", name="Đăng ký").last.click()
    page.get_by_test_id("ticket-qr").wait_for()
    page.screenshot(path="/tmp/learning-ticket-360.png", full_page=True)


def test_service_worker_serves_the_app_offline(_browser, live_server, live_offering, staff):
    reg = services.registration_create(offering=live_offering, name="Ngoại Tuyến")
    context, page = _phone(_browser, live_server.url, staff.username)
    try:
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.reload()
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        context.set_offline(True)
        page.reload()  # the shell, its files and the config come from the phone
        page.wait_for_function("() => document.querySelectorAll('#offering option').length > 0")
        _manual(page, ticket_payload(live_offering.pk, reg.pk))
        _queue(page, 1)
        context.set_offline(False)
        _queue(page, 0)
        assert CheckIn.objects.filter(registration=reg, counted=True).count() == 1
        assert page.violations == []
    finally:
        context.close()
