import io

import pytest
from openpyxl import Workbook

from dxday.orgs.models import ApiToken, Role
from dxday.orgs.tests.factories import DEFAULT_PASSWORD, make_member
from dxday.outreach import services
from dxday.outreach.models import CommunityTeam, TeamMember

from .helpers import session

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(team, team_tq):
    services.sessions_ingest(actor=team.deputy_actor, sessions=[session(), session()])
    services.sessions_ingest(actor=team_tq.deputy_actor, sessions=[session()])


def test_public_dashboard_drills_down(client, logged, team, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        r = client.get("/outreach/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Thanh Hóa" in html and "Tuyên Quang" in html
    assert "Kích hoạt định danh điện tử VNeID mức 2" in html
    with django_assert_max_num_queries(12):
        r = client.get("/outreach/tinh/38/")
    assert "Phường Hạc Thành" in r.content.decode()
    r = client.get(f"/outreach/xa/{team.team.commune_id}/")
    assert r.status_code == 200 and "02/10/2025" in r.content.decode()
    assert client.get("/outreach/tinh/99/").status_code == 404


def test_progress_and_chase_list(client, people, logged, tree, campaign,
                                 django_assert_max_num_queries):  # fmt: skip
    quiet = services.team_create(actor=None, committee=tree.th_c2, village="Thôn Vắng")
    services.target_set(actor=None, campaign=campaign, committee=tree.th_c1, households=10,
                        accounts=20)  # fmt: skip
    client.force_login(people.th_coordinator)
    with django_assert_max_num_queries(14):
        r = client.get("/outreach/tien-do/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "4 / 10 (40%)" in html  # households visited against the target
    assert "6 / 20 (30%)" in html
    assert quiet.name in html
    assert "Minh Xuân" not in html  # Tuyên Quang is outside the subtree
    client.force_login(people.th_c1_reporter)
    html = client.get("/outreach/tien-do/").content.decode()
    assert quiet.name not in html


def test_team_leader_issues_and_revokes_device_tokens(client, team, django_assert_max_num_queries):
    client.force_login(team.leader_user)
    team.device_token()
    with django_assert_max_num_queries(14):
        r = client.get("/outreach/to/")
    assert r.status_code == 200 and team.team.name in r.content.decode()
    r = client.post("/outreach/to/ma-thiet-bi/", {"team": team.team.pk, "member": team.member.pk},
                    follow=True)  # fmt: skip
    token = ApiToken.objects.filter(is_device=True).latest("pk")
    assert token.membership.organisation == team.team.organisation
    team.member.refresh_from_db()
    assert token.membership.user == team.member.user  # a device account for a name-only member
    assert token.issued_by == team.leader_user
    assert "dxd_" in r.content.decode()
    r = client.post(f"/outreach/to/ma-thiet-bi/{token.pk}/thu-hoi/", follow=True)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_member_cannot_issue_tokens(client, team):
    client.force_login(team.deputy_user)
    r = client.post("/outreach/to/ma-thiet-bi/", {"team": team.team.pk, "member": team.member.pk})
    assert r.status_code in (403, 404)
    assert not ApiToken.objects.filter(is_device=True).exists()


def test_other_team_leader_cannot_revoke(client, team, team_tq):
    team.device_token()
    token = ApiToken.objects.get(is_device=True)
    client.force_login(team_tq.leader_user)
    assert client.post(f"/outreach/to/ma-thiet-bi/{token.pk}/thu-hoi/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_field_app_shell(client, team):
    r = client.get("/outreach/ung-dung/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "bootstrap" not in html
    assert "manifest.webmanifest" in html
    sw = client.get("/outreach/ung-dung/sw.js")
    assert sw["Content-Type"].startswith("application/javascript")
    assert sw["Service-Worker-Allowed"] == "/outreach/ung-dung/"
    m = client.get("/outreach/ung-dung/manifest.webmanifest").json()
    assert m["scope"] == "/outreach/ung-dung/" and m["display"] == "standalone"


def test_field_token_exchange(client, team):
    client.force_login(team.deputy_user)
    assert "Dùng tài khoản đang đăng nhập" in client.get("/outreach/ung-dung/").content.decode()
    r = client.post("/outreach/ung-dung/token/")
    raw = r.json()["token"]
    r = client.get("/api/v1/outreach/me", headers={"Authorization": f"Bearer {raw}"})
    assert r.json()["member"] == team.deputy.pk


def _xlsx(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "to.xlsx"
    return buf


def test_import_teams_dry_run_errors_and_all_or_nothing(client, people, tree):
    client.force_login(people.th_coordinator)
    header = ["Thôn, tổ dân phố", "Họ và tên", "Vai trò", "Tên đăng nhập"]
    bad = _xlsx([header, ["Thôn Bắc", "Lê Văn A", "Tổ trưởng", None],
                 ["Thôn Bắc", "Lê Văn B", "Tổ trưởng", None],
                 ["Thôn Nam", "Trần C", "Chủ tịch", None]])  # fmt: skip
    r = client.post("/outreach/to/nhap/", {"committee": tree.th_c1.pk, "file": bad})
    html = r.content.decode()
    assert "Dòng 3, cột “Vai trò”: thôn “Thôn Bắc” đã có tổ trưởng." in html
    assert "Dòng 4, cột “Vai trò”" in html
    assert not CommunityTeam.objects.exists()
    good = [
        header,
        ["Thôn Bắc", "Lê Văn A", "Tổ trưởng", None],
        ["Thôn Bắc", "Lê Văn B", "Tổ viên", None],
        ["Thôn Nam", "Trần C", "tổ phó", None],
    ]
    r = client.post("/outreach/to/nhap/",
                    {"committee": tree.th_c1.pk, "file": _xlsx(good), "dry_run": "1"})  # fmt: skip
    assert "Tệp hợp lệ: 3 dòng" in r.content.decode()
    assert not CommunityTeam.objects.exists()
    client.post("/outreach/to/nhap/", {"committee": tree.th_c1.pk, "file": _xlsx(good)})
    assert CommunityTeam.objects.count() == 2
    assert TeamMember.objects.filter(role="leader").get().full_name == "Lê Văn A"


def test_team_member_own_login_reaches_field_app(client, team):
    assert client.login(username=team.leader_user.username, password=DEFAULT_PASSWORD)
    assert client.get("/outreach/ung-dung/").status_code == 200


def test_viewer_sees_no_team_page(client, tree):
    viewer = make_member(tree.th, Role.VIEWER, "xem")
    client.force_login(viewer)
    assert client.get("/outreach/to/").status_code == 404


def test_leader_adds_member_and_token_comes_with_qr(client, team):
    client.force_login(team.leader_user)
    client.post("/outreach/to/thanh-vien/", {"team": team.team.pk, "full_name": "Hà Thị Mới"})
    new = TeamMember.objects.get(full_name="Hà Thị Mới")
    assert new.role == "member" and new.team == team.team
    r = client.post("/outreach/to/thanh-vien/", {"team": team.team.pk, "full_name": "X",
                                                  "role": "leader"}, follow=True)  # fmt: skip
    assert "Tổ đã có tổ trưởng." in r.content.decode()
    r = client.post("/outreach/to/ma-thiet-bi/", {"team": team.team.pk, "member": new.pk},
                    follow=True)  # fmt: skip
    html = r.content.decode()
    assert "<svg" in html and "/outreach/ung-dung/#t=dxd_" in html


def test_coordinator_sets_a_target(client, people, tree, campaign):
    from dxday.outreach.models import CommuneTarget

    client.force_login(people.th_coordinator)
    client.post("/outreach/tien-do/?campaign=2025",
                {"committee": tree.th_c2.pk, "households": "500", "accounts": "200"})  # fmt: skip
    target = CommuneTarget.objects.get()
    assert (target.commune_id, target.households, target.accounts) == ("16001", 500, 200)
    r = client.post("/outreach/tien-do/?campaign=2025",
                    {"committee": tree.tq_c1.pk, "households": "5", "accounts": "2"})  # fmt: skip
    assert r.status_code == 404  # another province's commune


def test_progress_pages_communes_with_a_search_without_diacritics(
    client, people, logged, tree, campaign, monkeypatch
):
    """Issue 10: the national progress page listed all 3,321 communes (954 KB). It pages them,
    finds one typed without diacritics, and filters by province."""
    monkeypatch.setattr("dxday.core.paging.PAGE_SIZE", 2)
    client.force_login(people.national_coordinator)
    html = client.get("/outreach/tien-do/").content.decode()
    assert html.count("<tr>") - 1 == 2  # a page of two communes (and the heading row)
    assert "Trang 1/2" in html and "trang=2" in html
    assert "3 xã, phường" in html
    html = client.get("/outreach/tien-do/", {"trang": "2"}).content.decode()
    assert "Xã Quảng Phú" in html and "Phường Minh Xuân" not in html and "Trang 2/2" in html
    html = client.get("/outreach/tien-do/", {"q": "quang phu"}).content.decode()
    assert "Xã Quảng Phú" in html and "Phường Hạc Thành" not in html
    html = client.get("/outreach/tien-do/", {"tinh": "08"}).content.decode()
    assert "Phường Minh Xuân" in html and "Xã Quảng Phú" not in html
    # The filter offers only the provinces the coordinator sees.
    client.force_login(people.th_coordinator)
    html = client.get("/outreach/tien-do/", {"tinh": "08"}).content.decode()
    assert "Phường Minh Xuân" not in html
    for bad in ("²", "x" * 300, "99999999999999999999"):
        assert (
            client.get("/outreach/tien-do/", {"trang": bad, "tinh": bad, "q": bad}).status_code
            == 200
        )
