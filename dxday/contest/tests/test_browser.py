"""Chromium at 360 px: start, answer with the network dropped for one question, submit, and
see the result and explanations after the round closes."""

import pytest
from django.conf import settings
from django.utils import timezone

from dxday.contest.models import Answer, Attempt, Question, Round
from dxday.identity.selectors import SESSION_KEY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, participant):
    """The browser carries the participant's session (the registration test signs in through
    the verification code instead)."""
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = participant.identity_id
    store.save()
    host = page.base_url.split("//", 1)[1].split(":")[0]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": store.session_key, "domain": host,
          "path": "/"}]
    )  # fmt: skip


def _right(qid: int) -> set[int]:
    return set(
        Question.objects.get(pk=qid).options.filter(is_correct=True).values_list("id", flat=True)
    )


def answer_all(page, attempt, *, offline_at: int):
    sections = page.locator("section.q")
    n = sections.count()
    for i in range(n):
        sec = sections.nth(i)
        qid = int(sec.get_attribute("data-q"))
        if i == offline_at:
            page.context.set_offline(True)
        for box in sec.locator("input[type=checkbox]").all():
            if int(box.get_attribute("value")) in _right(qid):
                box.check()
        if i == offline_at:
            page.get_by_test_id("net").filter(has_text="Mất kết nối").wait_for()
            page.screenshot(path="/tmp/contest-offline-360.png", full_page=True)
            assert not Answer.objects.filter(attempt=attempt, question_id=qid).exists()
            page.context.set_offline(False)
            page.evaluate("window.dispatchEvent(new Event('online'))")
        sec.locator(".state.saved").wait_for()
    return n


def register(page, world):
    """Sign up as a new participant: prove an e-mail address with the code from the mail
    outbox, then fill in the form (an official, the unit found without diacritics)."""
    import re

    from django.core import mail

    from dxday.contest.models import Participant

    mail.outbox.clear()
    page.goto(page.base_url + f"/cuoc-thi/{world.contest.pk}/")
    page.get_by_role("link", name="Đăng ký dự thi").click()
    page.get_by_label("Địa chỉ thư điện tử hoặc số điện thoại").fill("hoa.ma@example.vn")
    page.get_by_role("button", name="Gửi mã xác minh").click()
    page.get_by_label("Mã xác minh (6 chữ số)").wait_for()
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.get_by_label("Mã xác minh (6 chữ số)").fill(code)
    page.get_by_role("button", name="Xác minh").click()
    page.get_by_label("Họ và tên").fill("Ma Thị Thu Hoa")
    page.get_by_label("Năm sinh").fill("1992")
    page.get_by_label("Xã, phường, đặc khu").select_option(label="Phường Minh Xuân")
    page.get_by_label("Cán bộ, công chức, viên chức").check()
    page.get_by_label("Tìm cơ quan, đơn vị (gõ không dấu cũng được)").fill("minh xuan")
    page.get_by_role("button", name="Tìm đơn vị").click()
    page.locator("#id_organisation").select_option(label="UBND phường Minh Xuân")
    page.screenshot(path="/tmp/contest-register-360.png", full_page=True)
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    page.get_by_role("link", name="Vào thi").wait_for()
    return Participant.objects.get(full_name="Ma Thị Thu Hoa")


def test_attempt_at_360(page, world):
    me = register(page, world)
    assert me.organisation_id == world.tree.tq_c1.pk
    page.get_by_role("link", name="Vào thi").click()
    page.screenshot(path="/tmp/contest-intro-360.png", full_page=True)
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.locator("section.q").first.wait_for()
    attempt = Attempt.objects.get(participant=me)
    n = answer_all(page, attempt, offline_at=1)
    assert Answer.objects.filter(attempt=attempt).count() == n
    page.get_by_label(world.round.prediction_question).fill("42")
    page.get_by_label(world.round.prediction_question).blur()
    page.screenshot(path="/tmp/contest-attempt-360.png", full_page=True)
    assert page.get_by_test_id("timer").inner_text() != "--:--"
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Nộp bài").click()
    page.get_by_test_id("score").wait_for()
    assert page.get_by_test_id("score").inner_text().startswith(f"{n} ")
    attempt.refresh_from_db()
    assert (attempt.state, attempt.score, attempt.prediction) == ("finished", n, 42)
    # The round closes: the result page shows each question's explanation.
    Round.objects.filter(pk=world.round.pk).update(closes_at=timezone.now())
    page.get_by_role("link", name="Xem kết quả").click()
    page.get_by_test_id("result-score").wait_for()
    assert page.get_by_test_id("explanation").count() == n
    page.screenshot(path="/tmp/contest-result-360.png", full_page=True)


def test_public_contest_page_at_360(page, world):
    page.goto(page.base_url + f"/cuoc-thi/{world.contest.pk}/")
    assert page.get_by_role("heading", name=world.contest.title).is_visible()
    page.screenshot(path="/tmp/contest-public-360.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
