"""In Debian's Chromium at 360 px: an applicant proves an e-mail address, enters and submits,
a juror scores the entry, and a citizen votes for an honours candidate."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from django.core import mail

from dxday.awards import services
from dxday.awards.models import Entry, Review, Vote
from dxday.conftest import browser_login
from dxday.orgs.tests.factories import DEFAULT_PASSWORD

from .conftest import nominate


def fits(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide"


def verify_email(page, address: str) -> None:
    page.get_by_label("Địa chỉ thư điện tử hoặc số điện thoại").fill(address)
    page.get_by_role("button", name="Gửi mã xác minh").click()
    page.wait_for_load_state()
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.get_by_label("Mã xác minh (6 chữ số)").fill(code)
    page.get_by_role("button", name="Xác minh").click()
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_enter_score_and_vote(page, programme, honours, jury, people, tmp_path):
    pdf = tmp_path / "gioi-thieu.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    page.goto(page.base_url + f"/giai-thuong/{programme.pk}/")
    fits(page)
    page.goto(page.base_url + "/giai-thuong/ho-so/")
    verify_email(page, "ung.vien@example.vn")
    assert page.url.endswith("/giai-thuong/ho-so/")
    page.get_by_label("Tên tổ chức / họ và tên").fill("Công ty Cổ phần Giải pháp Hạc Thành")
    page.get_by_label("Loại tổ chức").select_option("enterprise")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    fits(page)
    page.get_by_role("link", name=re.compile("Hồ sơ mới")).click()
    page.get_by_label(re.compile("Chọn hạng mục")).select_option(label="Hạng mục 3")
    page.get_by_role("button", name="Chọn").click()
    page.wait_for_load_state()
    page.get_by_label("Tên hồ sơ / sản phẩm, giải pháp").fill("Sổ tay công dân số")
    page.get_by_label("Tóm tắt").fill("Ứng dụng hướng dẫn thủ tục cho người cao tuổi.")
    page.get_by_role("button", name="Lưu bản nháp").click()
    page.wait_for_load_state()
    page.get_by_label(re.compile("Tệp đính kèm")).set_input_files(str(pdf))
    page.get_by_role("button", name="Đính kèm", exact=True).click()
    page.wait_for_load_state()
    assert "gioi-thieu.pdf" in page.content()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_load_state()
    fits(page)
    entry = Entry.objects.get()
    assert entry.status == "submitted" and "Đã nộp" in page.content()

    organiser = people.actor(people.national_coordinator)
    services.entry_screen(by=organiser, entry=entry, verdict="eligible")
    assignment = services.assignment_add(by=organiser, entry=entry, juror=jury[0])
    for phase in ("screening", "scoring"):
        services.phase_set(by=organiser, programme=programme, phase=phase)

    page.context.clear_cookies()
    browser_login(page, jury[0].user.username, DEFAULT_PASSWORD)
    page.goto(page.base_url + "/giam-khao/")
    page.get_by_role("link", name="Sổ tay công dân số").click()
    page.wait_for_load_state()
    fits(page)
    page.get_by_label(re.compile("^Hiệu quả")).fill("8,5")
    page.get_by_label(re.compile("^Sáng tạo")).fill("4")
    page.get_by_role("button", name="Nộp phiếu chấm").click()
    page.wait_for_load_state()
    assert "Bạn đã nộp phiếu" in page.content()
    assert Review.objects.get(assignment=assignment).submitted_at is not None

    (candidate,) = nominate(people, honours, n=1)
    page.context.clear_cookies()
    page.goto(page.base_url + f"/giai-thuong/{honours.pk}/")
    fits(page)
    page.get_by_role("link", name="Bình chọn").first.click()
    verify_email(page, "cu.tri@example.vn")
    page.get_by_role("button", name="Xác nhận bình chọn").click()
    page.wait_for_load_state()
    assert "Cảm ơn bạn đã bình chọn" in page.content()
    fits(page)
    assert Vote.objects.filter(candidate=candidate).count() == 1


SCREENSHOTS = Path(
    os.environ.get("DXDAY_SCREENSHOTS") or Path(tempfile.gettempdir()) / "dxday-screenshots"
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_demo_pages_fit_a_phone_and_are_saved(page, tree, people):
    """The demo's results, vote and ranking pages at 360 px and 1280 px (saved as screenshots:
    `DXDAY_SCREENSHOTS=docs/screenshots make test` refreshes those under docs/)."""
    from dxday.awards import demo
    from dxday.awards.models import Programme
    from dxday.orgs import demo as orgs_demo
    from dxday.plans import demo as plans_demo

    orgs_demo._demo_units()
    plans_demo.seed()
    demo.seed()
    vda = Programme.objects.get(name=demo.VDA_NAME)
    honours = Programme.objects.get(name=demo.HONOURS_NAME)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shots = [
        ("awards-results", f"/giai-thuong/{vda.pk}/", None),
        ("awards-vote", f"/giai-thuong/{honours.pk}/", None),
        ("awards-ranking", f"/giai-thuong/quan-ly/{vda.pk}/", people.national_coordinator),
    ]
    for name, url, user in shots:
        if user is not None:
            browser_login(page, user.username, DEFAULT_PASSWORD)
        for label, width in (("mobile", 360), ("desktop", 1280)):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(page.base_url + url)
            if width == 360:
                fits(page)
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
        page.set_viewport_size({"width": 360, "height": 740})
    assert "Giải thưởng" in page.content()
