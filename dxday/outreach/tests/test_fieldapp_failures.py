"""The field app under real failure, in Debian Chromium at 360 px.

Playwright answers for the server on purpose (500 and 422 on the batch endpoint, 502 and a
10-second stall on the shell page); everything else reaches the live Django server, and the
assertions are on the database (session rows, roll-ups) and on what the member sees.
"""

import json
import time
import uuid
from urllib.parse import urlparse

import pytest

from dxday.outreach.models import CommuneStat, GuidanceSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BATCH_URL = "**/api/v1/outreach/sessions/batch"
SHELL_PATH = "/outreach/ung-dung/"


def _is_shell(url: str) -> bool:
    return urlparse(url).path == SHELL_PATH


def _set_up(page, team):
    page.goto(page.base_url + SHELL_PATH)
    page.get_by_label("Mã thiết bị").fill(team.device_token())
    page.get_by_role("button", name="Lưu mã thiết bị").click()
    page.get_by_label("Số hộ đã đến").wait_for()


def _log(
    page, households: int, people: int, topic: str = "Kích hoạt định danh điện tử VNeID mức 2"
):
    page.get_by_label("Số hộ đã đến").fill(str(households))
    page.get_by_label("Số người được hướng dẫn").fill(str(people))
    page.locator("#topics").get_by_text(topic, exact=True).click()
    page.locator(".topic.on .to").fill("1")
    page.get_by_role("button", name="Lưu lượt hướng dẫn").click()


def _wait_queue(page, n: int):
    page.wait_for_function(f"() => document.getElementById('queue-size').textContent === '{n}'")


def _wait_sessions(page, n: int, timeout: float = 15):
    """Until the server holds n sessions (the queue counter may still show a stale 0)."""
    deadline = time.monotonic() + timeout
    while GuidanceSession.objects.count() != n:
        assert time.monotonic() < deadline, f"{GuidanceSession.objects.count()} sessions, not {n}"
        page.wait_for_timeout(100)
    _wait_queue(page, 0)


def _log_offline(page, households: list[int]):
    page.context.set_offline(True)
    page.wait_for_function("() => !navigator.onLine")
    for i, h in enumerate(households):
        _log(page, h, h + 1)
        _wait_queue(page, i + 1)


def _under_service_worker(page, team):
    _set_up(page, team)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.get_by_label("Số hộ đã đến").wait_for()


def _cached_shell_statuses(page) -> list:
    return page.evaluate(
        """caches.keys().then(keys => Promise.all(keys.map(k => caches.open(k)
            .then(c => c.match('/outreach/ung-dung/'))
            .then(r => r && r.text().then(t => [r.status, t.includes('id="field-app"')])))))"""
    )


def test_a_500_then_ok_counts_every_session_once(page, team, current_window):
    """Guards the retry of a 5xx: the first batch is stored by the server but its answer is lost
    (the balancer answers 500); the phone says it will retry, retries after a backoff (not in a
    tight loop), and every session is counted exactly once."""
    calls = []

    def batch(route):
        calls.append((time.monotonic(), len(route.request.post_data_json["sessions"])))
        if len(calls) == 1:
            route.fetch()  # the server stores the batch...
            route.fulfill(status=500, body="Internal Server Error")  # ...the answer is lost
        else:
            route.continue_()

    _set_up(page, team)
    page.context.route(BATCH_URL, batch)
    _log_offline(page, [1, 2, 3])
    page.context.set_offline(False)
    note = page.get_by_test_id("sync-note")
    note.wait_for()
    assert "sẽ tự gửi lại sau" in note.inner_text()
    page.screenshot(path="/tmp/outreach-field-retry-360.png")
    _wait_queue(page, 0)
    note.wait_for(state="hidden")

    assert calls[0][1] == 3
    assert calls[1][0] - calls[0][0] >= 0.9  # a backoff, with jitter (1-2 s for the first retry)
    assert sum(n for _, n in calls[1:]) == 3  # then each session sent once more (smaller batches)
    assert GuidanceSession.objects.count() == 3
    assert sorted(GuidanceSession.objects.values_list("households_visited", flat=True)) == [1, 2, 3]
    stat = CommuneStat.objects.get(campaign=current_window)
    assert (stat.sessions, stat.households_visited) == (3, 6)
    assert page.get_by_test_id("rejected").locator("li").count() == 0


def test_a_session_that_always_fails_does_not_hold_the_queue(page, team, current_window):
    """Guards "the same batch is retried in front": a session the server fails on every time
    (500) is retried, but behind smaller batches, so the other sessions get through; it stays
    queued (a 5xx is no verdict on its content) rather than being set aside or lost."""

    def batch(route):
        sessions = route.request.post_data_json["sessions"]
        if any(s["households_visited"] == 7 for s in sessions):
            route.fulfill(status=500, body="Internal Server Error")
        else:
            route.continue_()

    _set_up(page, team)
    page.context.route(BATCH_URL, batch)
    _log_offline(page, [7, 2, 3])
    page.context.set_offline(False)
    page.wait_for_function(
        "() => document.getElementById('queue-size').textContent === '1'", timeout=40000
    )
    assert sorted(GuidanceSession.objects.values_list("households_visited", flat=True)) == [2, 3]
    assert page.get_by_test_id("sync-note").is_visible()
    assert page.get_by_test_id("rejected").locator("li").count() == 0


def test_b_422_on_a_batch_is_split_and_the_bad_session_corrected(page, team, current_window):
    """Guards the 4xx path: a whole-batch 422 caused by one session no longer blocks the queue.
    The batch is halved until the bad session is alone; the good ones are accepted, the bad
    one lands in "Cần sửa" with the server's Vietnamese reason, is corrected in the form and
    resent under a new client_id, and is accepted."""
    seen = []

    def batch(route):
        sessions = route.request.post_data_json["sessions"]
        seen.append(len(sessions))
        bad = [i for i, s in enumerate(sessions) if s["households_visited"] > 50]
        if not bad:
            route.continue_()
            return
        body = {  # the shape dxday/api.py gives a schema validation error
            "code": "validation_error",
            "message": "Dữ liệu gửi lên không hợp lệ. Hãy kiểm tra các trường được nêu.",
            "errors": [
                {
                    "field": f"payload.sessions.{bad[0]}.households_visited",
                    "type": "less_than_equal",
                    "message": "Phải nhỏ hơn hoặc bằng 50.",
                }
            ],
        }
        route.fulfill(status=422, content_type="application/json", body=json.dumps(body))

    _set_up(page, team)
    page.context.route(BATCH_URL, batch)
    _log_offline(page, [1, 2, 60, 4])
    page.context.set_offline(False)
    _wait_queue(page, 0)

    fix = page.get_by_test_id("rejected")
    item = fix.locator("li.fix-item")
    item.get_by_text("Số hộ đã đến: Phải nhỏ hơn hoặc bằng 50.").wait_for()
    assert item.count() == 1
    assert "60 hộ, 61 người" in item.inner_text()
    assert page.get_by_test_id("fix-size").inner_text() == "1"
    assert sorted(GuidanceSession.objects.values_list("households_visited", flat=True)) == [1, 2, 4]
    assert seen[0] == 4 and 1 in seen  # the whole batch first, the bad session alone at last
    old_id = item.get_attribute("data-client-id")
    page.screenshot(path="/tmp/outreach-field-fix-360.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    item.get_by_role("button", name="Sửa và gửi lại").click()
    banner = page.get_by_test_id("edit-banner")
    banner.get_by_text("Phải nhỏ hơn hoặc bằng 50.").wait_for()
    households = page.get_by_label("Số hộ đã đến")
    assert households.input_value() == "60"
    assert households.get_attribute("aria-invalid") == "true"
    assert page.locator(".topic.on").count() == 1  # the topic came back with the session
    page.screenshot(path="/tmp/outreach-field-fix-edit-360.png")
    households.fill("6")
    page.get_by_role("button", name="Gửi lại lượt đã sửa").click()
    page.get_by_text("Đã lưu lượt đã sửa").wait_for()
    _wait_sessions(page, 4)
    page.wait_for_function("() => document.getElementById('fix').hidden")

    assert sorted(GuidanceSession.objects.values_list("households_visited", flat=True)) == [
        1, 2, 4, 6,
    ]  # fmt: skip
    corrected = GuidanceSession.objects.get(households_visited=6)
    assert str(corrected.client_id) != old_id
    assert not GuidanceSession.objects.filter(client_id=uuid.UUID(old_id)).exists()
    assert corrected.people_guided == 61
    stat = CommuneStat.objects.get(campaign=current_window)
    assert (stat.sessions, stat.households_visited) == (4, 13)
    assert page.get_by_role("button", name="Lưu lượt hướng dẫn").is_visible()
    assert not page.get_by_test_id("edit-banner").is_visible()


def test_rejected_session_is_kept_corrected_or_discarded(page, team, current_window):
    """Guards "rejected sessions are thrown away with their content": a session the server
    rejects in its answer (a wrong clock: no campaign window then) survives a reload in
    "Cần sửa" with the server's reason; fixing the time resends it under a new client_id;
    another one is discarded explicitly and nothing of it reaches the server."""
    _set_up(page, team)
    for households in (3, 9):
        page.get_by_label("Thời điểm").fill("2020-01-05T08:00")
        _log(page, households, households, "Kỹ năng an toàn trên không gian mạng")
    fix = page.get_by_test_id("rejected")
    page.wait_for_function("() => document.querySelectorAll('#fix-list li.fix-item').length === 2")
    assert GuidanceSession.objects.count() == 0

    page.reload()  # kept on the phone, not just in the page
    items = fix.locator("li.fix-item")
    items.first.wait_for()
    assert items.count() == 2
    assert "chưa có đợt" in items.first.inner_text()
    assert "08:00 05/01/2020" in items.first.inner_text()

    first = items.filter(has_text="3 hộ, 3 người")
    old_id = first.get_attribute("data-client-id")
    first.get_by_role("button", name="Sửa và gửi lại").click()
    occurred = page.get_by_label("Thời điểm")
    assert occurred.input_value() == "2020-01-05T08:00"
    assert occurred.get_attribute("aria-invalid") == "true"
    occurred.fill(_now_local(page))
    page.get_by_role("button", name="Gửi lại lượt đã sửa").click()
    page.wait_for_function("() => document.querySelectorAll('#fix-list li.fix-item').length === 1")
    _wait_sessions(page, 1)
    session = GuidanceSession.objects.get()
    assert session.households_visited == 3
    assert str(session.client_id) != old_id

    other = items.filter(has_text="9 hộ, 9 người")
    other.get_by_role("button", name="Bỏ lượt này").click()
    other.get_by_text("Bỏ hẳn lượt này?").wait_for()
    other.scroll_into_view_if_needed()
    page.screenshot(path="/tmp/outreach-field-fix-confirm-360.png")
    other.get_by_role("button", name="Giữ lại").click()
    assert items.count() == 1  # asked, kept
    other.get_by_role("button", name="Bỏ lượt này").click()
    other.get_by_role("button", name="Bỏ hẳn").click()
    page.get_by_text("Đã bỏ lượt bị từ chối.").wait_for()
    page.wait_for_function("() => document.getElementById('fix').hidden")
    page.reload()
    page.get_by_label("Số hộ đã đến").wait_for()
    assert fix.locator("li.fix-item").count() == 0
    assert GuidanceSession.objects.count() == 1
    assert CommuneStat.objects.get(campaign=current_window).sessions == 1


def _now_local(page) -> str:
    return page.evaluate(
        """(() => { const d = new Date(); const p = n => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
            + `T${p(d.getHours())}:${p(d.getMinutes())}`; })()"""
    )


def test_c_a_502_page_is_never_cached_as_the_shell(page, team, current_window):
    """Guards the service worker's cache: a 502 from the balancer for the shell page is not
    stored as the offline shell (the member sees the last good shell instead), so a reload
    offline still shows the app."""
    _under_service_worker(page, team)
    page.context.route(
        _is_shell, lambda route: route.fulfill(status=502, body="<h1>502 Bad Gateway</h1>")
    )
    page.reload()
    page.get_by_label("Số hộ đã đến").wait_for()
    assert "Bad Gateway" not in page.content()
    assert _cached_shell_statuses(page) == [[200, True]]

    page.context.unroute(_is_shell)
    page.context.set_offline(True)
    page.reload()
    page.get_by_label("Số hộ đã đến").wait_for()
    assert "Bad Gateway" not in page.content()
    _log(page, 2, 2)
    _wait_queue(page, 1)
    page.context.set_offline(False)
    _wait_queue(page, 0)
    assert GuidanceSession.objects.count() == 1


def test_d_slow_network_shows_the_cached_shell_within_seconds(page, team, current_window):
    """Guards network-first without a timeout: when the shell page takes 10 s to come, the
    cached shell is shown after a few seconds, and the late answer still refreshes the cache."""
    _under_service_worker(page, team)
    held = []
    page.context.route(_is_shell, lambda route: held.append((time.monotonic(), route)))
    start = time.monotonic()
    page.reload(wait_until="domcontentloaded", timeout=8000)
    page.get_by_label("Số hộ đã đến").wait_for(timeout=8000)
    shown = time.monotonic() - start
    print(f"shell shown after {shown:.1f} s with the page stalled")
    assert held, "the shell request did not reach the network"
    assert shown < 6
    _log(page, 1, 1)
    _wait_sessions(page, 1)

    stalled_at, route = held[0]
    page.wait_for_timeout(max(0, 10 - (time.monotonic() - stalled_at)) * 1000)
    route.continue_()
    page.wait_for_timeout(500)
    assert _cached_shell_statuses(page) == [[200, True]]
