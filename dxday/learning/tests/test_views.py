"""Pages: what a person looks for on them, and no per-visitor state on public pages."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from dxday.orgs.tests.factories import DEFAULT_PASSWORD, actor_of

from .. import services
from ..checkin import checkins_ingest
from ..models import Offering, Registration
from .conftest import make_offering, scan

pytestmark = pytest.mark.django_db

PUBLIC = ["/hoc-tap/", "/hoc-tap/so-lieu/", "/hoc-tap/lop/{pk}/", "/hoc-tap/lop/{pk}/ap-phich/"]


def test_public_pages_carry_no_per_visitor_state(client, offering, django_assert_max_num_queries):
    for url in PUBLIC:
        r = client.get(url.format(pk=offering.pk) + "?tinh=38")
        assert r.status_code == 200, url
        body = r.content.decode()
        assert "csrfmiddlewaretoken" not in body and "X-CSRFToken" not in body, url
        assert not r.cookies, url
        assert "public" in r["Cache-Control"], url


def test_find_a_class_filters_and_searches_without_diacritics(
    client, offering, organiser, campaign, tree
):
    make_offering(
        organiser,
        campaign,
        tree.th_c1,
        title="Thanh toán không dùng tiền mặt",
        topics=["thanh-toan"],
        format=Offering.Format.ONLINE,
        online_link="https://hoc.example.vn/lop",
    )

    def results(query):
        body = client.get("/hoc-tap/" + query).content.decode()
        return body[body.index('data-testid="results"') :].split("</ul>")[0]

    found = results("?q=thanh toan khong dung")
    assert "Thanh toán không dùng tiền mặt" in found and "dùng VNeID" not in found
    found = results("?tinh=38&xa=16000&chu_de=vneid")
    assert "dùng VNeID" in found and "Thanh toán không" not in found
    assert "Phường Hạc Thành" in client.get("/hoc-tap/?tinh=38").content.decode()
    found = results("?hinh_thuc=online")
    assert "Thanh toán không" in found and "dùng VNeID" not in found
    assert results("?ngay=2025-10-10").count('class="card mb-2"') == 2
    assert results("?ngay=2025-10-11").count('class="card mb-2"') == 0
    assert 'href="?' in client.get("/hoc-tap/").content.decode()  # calendar day links
    for junk in ("?tinh=99", "?xa=1&tinh=38", "?ngay=32/13/2025", "?trang=x", "?nam=99999"):
        assert client.get("/hoc-tap/" + junk).status_code == 200


def test_poster_has_a_qr_code_to_the_class_page(client, offering):
    body = client.get(f"/hoc-tap/lop/{offering.pk}/ap-phich/").content.decode()
    assert "<svg" in body and f"/hoc-tap/lop/{offering.pk}/" in body and "@page" not in body


def test_register_then_ticket_then_cancel(client, offering):
    form = client.get(f"/hoc-tap/lop/{offering.pk}/dang-ky/")
    assert "csrfmiddlewaretoken" in form.content.decode()
    r = client.post(
        f"/hoc-tap/lop/{offering.pk}/dang-ky/",
        {"name": "Nguyễn Thị Hoa", "commune": "16000", "contact": "0912345678"},
    )
    reg = Registration.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/hoc-tap/ve/{reg.code}/"
    page = client.get(r["Location"]).content.decode()
    assert "Nguyễn Thị Hoa" in page and "<svg" in page and "0912345678" not in page
    client.post(f"/hoc-tap/ve/{reg.code}/", {"action": "cancel"})
    reg.refresh_from_db()
    assert reg.status == "cancelled"
    bad = client.post(f"/hoc-tap/lop/{offering.pk}/dang-ky/", {"name": "", "contact": "xyz"})
    assert "Hãy nhập họ và tên." in bad.content.decode()


def test_workspace_create_detail_and_duplicates(client, offering, people, staff, campaign):
    client.login(username=people.th_c1_reporter.username, password=DEFAULT_PASSWORD)
    assert "dùng VNeID" in client.get("/hoc-tap/quan-ly/?nam=2025").content.decode()
    r = client.post(
        "/hoc-tap/quan-ly/moi/?nam=2025",
        {
            "organiser": people.th_c1_reporter.memberships.first().organisation_id,
            "kind": "class",
            "format": "in_person",
            "title": "Lớp an toàn số",
            "commune": "16000",
            "address": "Nhà văn hóa",
            "starts_at": "2025-10-10T14:00",
            "ends_at": "2025-10-10T16:00",
            "capacity": "30",
            "audience": "citizens",
            "topics": ["an-toan-so"],
            "registration_open": "on",
        },
    )
    created = Offering.objects.get(title="Lớp an toàn số")
    assert r.status_code == 302 and r["Location"] == f"/hoc-tap/quan-ly/{created.pk}/"
    reg = services.registration_create(offering=offering, name="Trùng Vé")
    checkins_ingest(actor=actor_of(staff), checkins=[scan(reg, device="may-A")])
    checkins_ingest(actor=actor_of(staff), checkins=[scan(reg, device="may-B")])
    page = client.get(f"/hoc-tap/quan-ly/{offering.pk}/quet-trung/").content.decode()
    assert "may-A" in page and "may-B" in page and "Trùng Vé" in page
    detail = client.get(f"/hoc-tap/quan-ly/{offering.pk}/").content.decode()
    assert "Vé quét trùng: 1" in detail
    # Another commune's offering does not exist for this reporter.
    other = make_offering(
        actor_of(people.th_c2_reporter),
        campaign,
        people.th_c2_reporter.memberships.first().organisation,
    )
    assert client.get(f"/hoc-tap/quan-ly/{other.pk}/").status_code == 404


def _xlsx(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "lop.xlsx"
    return buf


HEADER = [
    "Tên",
    "Loại",
    "Hình thức",
    "Mã đơn vị tổ chức",
    "Mã xã",
    "Địa điểm",
    "Đường dẫn trực tuyến",
    "Bắt đầu",
    "Kết thúc",
    "Số chỗ",
    "Đối tượng",
    "Chủ đề",
]


def test_import_dry_run_every_error_then_all_or_nothing(client, people, campaign, time_before):
    client.login(username=people.th_coordinator.username, password=DEFAULT_PASSWORD)
    good = [
        "Lớp VNeID",
        "Lớp học số",
        "Trực tiếp",
        "xa-16000",
        "16000",
        "Nhà văn hóa",
        "",
        "10/10/2025 08:00",
        "10/10/2025 10:00",
        40,
        "Người dân",
        "vneid, dich-vu-cong",
    ]
    bad = [
        "Lớp lỗi",
        "lop ky la",
        "Trực tuyến",
        "tinh-08",
        "",
        "",
        "",
        "hôm nay",
        "10/10/2025 10:00",
        -3,
        "",
        "khong co",
    ]
    r = client.post(
        "/hoc-tap/quan-ly/nhap/?nam=2025", {"file": _xlsx([HEADER, good, bad]), "dry_run": "1"}
    )
    errors = r.context["report"].errors
    assert len(errors) == 5 and all(e.row == 3 for e in errors)
    assert Offering.objects.count() == 0
    client.post("/hoc-tap/quan-ly/nhap/?nam=2025", {"file": _xlsx([HEADER, good, bad])})
    assert Offering.objects.count() == 0  # nothing half-saved
    r = client.post("/hoc-tap/quan-ly/nhap/?nam=2025", {"file": _xlsx([HEADER, good])})
    assert r.context["report"].saved == 1
    o = Offering.objects.get()
    assert sorted(o.topics.values_list("topic", flat=True)) == ["dich-vu-cong", "vneid"]


def test_checkin_app_shell(client):
    r = client.get("/hoc-tap/diem-danh/")
    body = r.content.decode()
    assert r.status_code == 200 and "checkin.js" in body and "csrfmiddlewaretoken" not in body
    sw = client.get("/hoc-tap/diem-danh/sw.js")
    assert sw["Service-Worker-Allowed"] == "/hoc-tap/diem-danh/"
    assert client.get("/hoc-tap/diem-danh/manifest.webmanifest").json()["scope"] == (
        "/hoc-tap/diem-danh/"
    )


def test_dashboard_figures(client, offering, staff, time_before):
    reg = services.registration_create(offering=offering, name="An")
    checkins_ingest(actor=actor_of(staff), checkins=[scan(reg)])
    body = client.get("/hoc-tap/so-lieu/?nam=2025").content.decode()
    assert "Thanh Hóa" in body and "Định danh điện tử VNeID" in body
    body = client.get("/hoc-tap/so-lieu/?nam=2025&tinh=38").content.decode()
    assert "Phường Hạc Thành" in body


def test_portal_home_shows_the_festival_live(client, offering, staff, time_before):
    assert 'data-testid="festival"' in client.get("/").content.decode()
    reg = services.registration_create(offering=offering, name="An")
    checkins_ingest(actor=actor_of(staff), checkins=[scan(reg)])
    body = client.get("/").content.decode()
    section = body[body.index('data-testid="festival"') :]
    assert "lượt tham gia" in section
    assert client.get("/nam/2025/").status_code == 200


def test_online_class_attendance_from_the_ticket_and_the_list(client, organiser, campaign, tree,
                                                              people, time_before):  # fmt: skip
    import time_machine

    from .conftest import at

    online = make_offering(
        organiser, campaign, tree.th_c1, format=Offering.Format.ONLINE, commune=None,
        address="", online_link="https://hoc.example.vn/lop", attendance_code="HOCSO10",
        capacity=None,
    )  # fmt: skip
    a = services.registration_create(offering=online, name="An")
    b = services.registration_create(offering=online, name="Bình")
    with time_machine.travel(at(10, 10)):
        assert "Mã điểm danh cuối buổi học" in client.get(f"/hoc-tap/ve/{a.code}/").content.decode()
        client.post(f"/hoc-tap/ve/{a.code}/", {"action": "attend", "code": "hocso10"})
        client.login(username=people.th_c1_reporter.username, password=DEFAULT_PASSWORD)
        client.post(f"/hoc-tap/quan-ly/{online.pk}/tham-du/", {"codes": f"{b.code}\nKHONGCO"})
    online.refresh_from_db()
    assert online.checked_in == 2


def test_workspace_shows_trained_officials_and_their_share(client, people, campaign, tree,
                                                           time_before):  # fmt: skip
    coordinator = actor_of(people.th_coordinator)
    training = make_offering(coordinator, campaign, tree.th, kind=Offering.Kind.TRAINING,
                             capacity=None, commune=None, topics=["ai"])  # fmt: skip
    regs = services.registrations_enrol(
        actor=coordinator, offering=training, organisation=tree.th_c2, names=["An", "Bình"]
    )
    checkins_ingest(actor=coordinator, checkins=[scan(r) for r in regs])
    client.login(username=people.th_coordinator.username, password=DEFAULT_PASSWORD)
    client.post("/hoc-tap/quan-ly/bien-che/?nam=2025", {"unit": "xa-16001", "officials": "8"})
    body = client.get("/hoc-tap/quan-ly/?nam=2025").content.decode()
    table = body[body.index('data-testid="officials"') :].split("</table>")[0]
    assert "UBND xã Quảng Phú" in table and "25,0%" in table
