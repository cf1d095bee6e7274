"""Pages: login, acting switch, workspace, unit detail (404 outside the subtree), audit, import."""

import io
import re

import pytest
from django.urls import reverse

from dxday.core.models import AuditEntry
from dxday.orgs import services
from dxday.orgs.middleware import SESSION_KEY
from dxday.orgs.models import Membership, Organisation, Role, User
from dxday.orgs.tests.factories import DEFAULT_PASSWORD, make_member

pytestmark = pytest.mark.django_db

_CSRF = re.compile(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')


def login(client, username):
    assert client.login(username=username, password=DEFAULT_PASSWORD)


def detail(code):
    return reverse("orgs:organisation_detail", args=[code])


# --- Login -----------------------------------------------------------------------------------


def test_wrong_login_shows_vietnamese_message_and_changes_nothing(client, people):
    user = people.th_coordinator
    before = (user.last_login, user.password)
    r = client.post(reverse("orgs:login"), {"username": "th_dieuphoi", "password": "sai-roi"})
    assert r.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in r.content.decode()
    user.refresh_from_db()
    assert (user.last_login, user.password) == before
    assert "_auth_user_id" not in client.session


def test_login_lands_signed_in(client, people):
    r = client.post(
        reverse("orgs:login"), {"username": "th_dieuphoi", "password": DEFAULT_PASSWORD}
    )
    assert r.status_code == 302
    assert client.session["_auth_user_id"] == str(people.th_coordinator.pk)


# --- Acting organisation -----------------------------------------------------------------------


def test_acting_switch_is_limited_to_own_memberships(client, tree, people):
    user = people.th_coordinator
    second = Membership.objects.create(user=user, organisation=tree.th_c1, role=Role.REPORTER)
    foreign = Membership.objects.get(user=people.tq_coordinator)
    login(client, "th_dieuphoi")
    r = client.post(reverse("orgs:acting_switch"), {"membership": second.pk, "next": "/don-vi/"})
    assert r.status_code == 302 and client.session[SESSION_KEY] == second.pk
    r = client.get(reverse("orgs:workspace"))
    assert r.context["organisation"] == tree.th_c1
    r = client.post(reverse("orgs:acting_switch"), {"membership": foreign.pk}, follow=True)
    assert client.session[SESSION_KEY] == second.pk  # unchanged
    assert "Bạn không có vai trò này." in r.content.decode()


def test_acting_switch_never_sends_the_user_off_site(client, tree, people):
    login(client, "th_dieuphoi")
    mine = Membership.objects.get(user=people.th_coordinator)
    for target in ("https://evil.example/", "//evil.example/x", "/don-vi/"):
        r = client.post(reverse("orgs:acting_switch"), {"membership": mine.pk, "next": target})
        assert r["Location"] == ("/don-vi/" if target == "/don-vi/" else "/"), target


# --- Workspace and unit pages ------------------------------------------------------------------


def test_workspace_shows_acting_unit_and_children(client, people):
    login(client, "th_dieuphoi")
    r = client.get(reverse("orgs:workspace"))
    page = r.content.decode()
    assert r.status_code == 200
    assert "UBND tỉnh Thanh Hóa" in page
    for name in ("Sở Khoa học và Công nghệ Thanh Hóa", "Báo Thanh Hóa", "UBND phường Hạc Thành"):
        assert name in page
    assert "Tuyên Quang" not in page.split('id="main"')[1]


def test_search_without_diacritics_across_the_subtree(client, people):
    login(client, "th_dieuphoi")
    r = client.get(reverse("orgs:workspace"), {"q": "quang phu"})
    assert [o.code for o in r.context["children"]] == ["xa-16001"]
    r = client.get(reverse("orgs:workspace"), {"q": "thanh hoa", "kind": "press"})
    assert [o.code for o in r.context["children"]] == ["bao-thanh-hoa"]
    r = client.get(reverse("orgs:workspace"), {"q": "minh xuan"})  # Tuyên Quang's commune
    assert list(r.context["children"]) == []


def test_workspace_query_count_is_pinned_and_pages(client, tree, people, django_assert_num_queries):
    for i in range(40):
        Organisation.objects.add_child(
            Organisation.objects.get(pk=tree.th.pk),
            create_kwargs={"code": f"th-don-vi-{i}", "name": f"Đơn vị {i}", "kind": "department"},
        )
    login(client, "th_dieuphoi")
    client.get(reverse("orgs:workspace"))  # warm the session
    with django_assert_num_queries(9):
        r = client.get(reverse("orgs:workspace"))
    assert len(r.context["children"]) == 25
    assert r.context["page_obj"].paginator.count == 44
    r2 = client.get(reverse("orgs:workspace"), {"page": 2})
    assert len(r2.context["children"]) == 19


def test_htmx_search_returns_the_list_only(client, people):
    login(client, "th_dieuphoi")
    r = client.get(reverse("orgs:workspace"), {"q": "hac thanh"}, HTTP_HX_REQUEST="true")
    assert "<html" not in r.content.decode()
    assert "UBND phường Hạc Thành" in r.content.decode()


def test_commune_account_cannot_read_another_commune(client, people):
    login(client, "th_xa1_baocao")
    assert client.get(detail("xa-16000")).status_code == 200
    assert client.get(detail("xa-16001")).status_code == 404
    assert client.get(detail("tinh-38")).status_code == 404


def test_provincial_coordinator_reads_province_not_another(client, people):
    login(client, "th_dieuphoi")
    for code in ("tinh-38", "th-so-khcn", "bao-thanh-hoa", "xa-16000", "xa-16001"):
        assert client.get(detail(code)).status_code == 200, code
    for code in ("tinh-08", "xa-02200", "bo-khcn"):
        assert client.get(detail(code)).status_code == 404, code


def test_forbidden_page_answers_like_a_missing_one(client, people):
    login(client, "th_dieuphoi")
    forbidden = client.get(detail("xa-02200"))
    missing = client.get(detail("xa-99999"))
    assert forbidden.status_code == missing.status_code == 404
    # Identical except the per-response CSRF mask, which Django rotates on every render, and
    # the requested path, which the language switch echoes back.
    same = _CSRF.sub(b"", forbidden.content).replace(b"xa-02200", b"xa-99999")
    assert same == _CSRF.sub(b"", missing.content)
    assert "Không tìm thấy" in forbidden.content.decode()
    for path in ("sua/", "them/"):
        assert client.get(detail("xa-02200") + path).status_code == 404


def test_anonymous_is_sent_to_login(client, tree):
    r = client.get(reverse("orgs:workspace"))
    assert r.status_code == 302 and reverse("orgs:login") in r["Location"]


def test_coordinator_edits_a_unit_and_sees_its_audit_trail(client, tree, people):
    login(client, "th_dieuphoi")
    r = client.post(
        reverse("orgs:organisation_update", args=["bao-thanh-hoa"]),
        {"name": "Báo và Phát thanh, Truyền hình Thanh Hóa", "kind": "press", "is_active": "on"},
    )
    assert r.status_code == 302
    entry = AuditEntry.objects.get(action="orgs.organisation.updated")
    assert entry.changes["name"][1] == "Báo và Phát thanh, Truyền hình Thanh Hóa"
    r = client.get(reverse("orgs:audit_trail", args=["orgs.organisation", tree.th_press.pk]))
    page = r.content.decode()
    assert r.status_code == 200
    assert "UBND tỉnh Thanh Hóa đã sửa thông tin đơn vị" in page and "Báo Thanh Hóa" in page
    assert "orgs.organisation.updated" not in page
    assert "Tên đơn vị" in page  # the field's label, not its column name


def test_audit_trail_is_gated(client, tree, people):
    url = reverse("orgs:audit_trail", args=["orgs.organisation", tree.tq_c1.pk])
    login(client, "th_dieuphoi")
    assert client.get(url).status_code == 404  # outside the subtree
    assert client.get(reverse("orgs:audit_trail", args=["orgs.khong", 1])).status_code == 404
    client.logout()
    login(client, "th_xa1_baocao")  # inside, but a reporter has no audit.view
    url = reverse("orgs:audit_trail", args=["orgs.organisation", tree.th_c1.pk])
    assert client.get(url).status_code == 403


def test_coordinator_adds_a_child_unit(client, tree, people):
    login(client, "th_dieuphoi")
    r = client.post(
        reverse("orgs:organisation_create", args=["tinh-38"]),
        {"code": "th-so-y-te", "name": "Sở Y tế Thanh Hóa", "kind": "department"},
    )
    assert r.status_code == 302
    assert Organisation.objects.get(code="th-so-y-te").is_within(tree.th)
    r = client.post(
        reverse("orgs:organisation_create", args=["tinh-38"]),
        {"code": "th-so-y-te", "name": "Trùng", "kind": "department"},
    )
    assert r.status_code == 200 and "đã được dùng" in r.content.decode()


# --- Imports -----------------------------------------------------------------------------------

ORG_HEADER = "Mã đơn vị,Tên đơn vị,Loại đơn vị,Mã đơn vị cấp trên,Tên viết tắt,Thư điện tử\n"


def upload(client, kind, text, *, save, name="don-vi.csv"):
    f = io.BytesIO(text.encode("utf-8"))
    f.name = name
    data = {"file": f}
    data["save" if save else "check"] = "1"
    return client.post(reverse("orgs:import", args=[kind]), data)


def test_org_import_dry_run_then_save(client, tree, people):
    login(client, "th_dieuphoi")
    text = (
        ORG_HEADER
        + ("th-so-tai-chinh,Sở Tài chính Thanh Hóa,Sở, ban, ngành cấp tỉnh,tinh-38,STC,\n").replace(
            "Sở, ban, ngành cấp tỉnh", '"Sở, ban, ngành cấp tỉnh"'
        )
        + ("th-tt-cds,Trung tâm Chuyển đổi số,department,th-so-tai-chinh,,tt@example.vn\n")
    )
    r = upload(client, "don-vi", text, save=False)
    assert r.context["report"].ok and r.context["report"].rows_valid == 2
    assert not Organisation.objects.filter(code="th-so-tai-chinh").exists()  # dry run
    r = upload(client, "don-vi", text, save=True)
    assert r.status_code == 302
    child = Organisation.objects.get(code="th-tt-cds")
    assert child.is_within(Organisation.objects.get(code="th-so-tai-chinh"))


def test_malformed_import_row_gives_row_numbered_error_and_saves_nothing(client, tree, people):
    login(client, "th_dieuphoi")
    count = Organisation.objects.count()
    text = ORG_HEADER + (
        "th-a,Đơn vị A,department,tinh-38,,\n"
        "th-b,Đơn vị B,loai-la,tinh-38,,\n"
        "th-c,Đơn vị C,department,xa-02200,,\n"
        "th-d,,department,tinh-38,,\n"
        "th-e,Đơn vị E,department,tinh-38,,khong-phai-email\n"
    )
    r = upload(client, "don-vi", text, save=True)
    errors = [str(e) for e in r.context["report"].errors]
    page = r.content.decode()
    assert r.status_code == 200
    assert any(e.startswith("Dòng 3, cột “Loại đơn vị”") for e in errors)
    assert any(e.startswith("Dòng 4") and "Không tìm thấy đơn vị" in e for e in errors)
    assert any(e.startswith("Dòng 5, cột “Tên đơn vị”") for e in errors)
    assert any(e.startswith("Dòng 6, cột “Thư điện tử”") for e in errors)
    assert "chưa dòng nào được lưu" in page
    assert Organisation.objects.count() == count  # not even the valid first row


def test_user_import_xlsx(client, tree, people):
    from openpyxl import Workbook

    login(client, "th_dieuphoi")
    wb = Workbook()
    ws = wb.active
    ws.append(["Tên đăng nhập", "Họ và tên", "Mã đơn vị", "Vai trò", "Thư điện tử"])
    ws.append(["th.xa2.an", "Nguyễn Văn An", "xa-16001", "Báo cáo viên", ""])
    ws.append(["th.xem2", "Lê Thị Bình", "tinh-38", "viewer", "binh@example.vn"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "tai-khoan.xlsx"
    r = client.post(reverse("orgs:import", args=["tai-khoan"]), {"file": buf, "save": "1"})
    assert r.status_code == 302, r.context["report"].errors
    an = User.objects.get(username="th.xa2.an")
    assert an.memberships.get().organisation == tree.th_c2
    assert not an.has_usable_password()
    assert User.objects.get(username="th.xem2").memberships.get().role == Role.VIEWER


def test_import_needs_the_import_action(client, people):
    login(client, "th_xa1_baocao")
    r = client.get(reverse("orgs:import", args=["don-vi"]))
    assert r.status_code == 403
    assert "không được phép" in r.content.decode()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_import_templates_download(client, people, fmt):
    login(client, "th_dieuphoi")
    for kind in ("don-vi", "tai-khoan"):
        r = client.get(reverse("orgs:import_template", args=[kind, fmt]))
        assert r.status_code == 200
        assert "attachment" in r["Content-Disposition"]
    from dxday.core.imports import read_rows

    r = client.get(reverse("orgs:import_template", args=["don-vi", fmt]))
    rows = read_rows(io.BytesIO(r.content), f"mau.{fmt}")
    assert rows[0]["ma don vi"] == "th-so-tai-chinh"


def test_template_rows_import_cleanly(client, tree, people):
    login(client, "th_dieuphoi")
    r = client.get(reverse("orgs:import_template", args=["don-vi", "csv"]))
    f = io.BytesIO(r.content)
    f.name = "mau.csv"
    r = client.post(reverse("orgs:import", args=["don-vi"]), {"file": f, "check": "1"})
    assert r.context["report"].ok, r.context["report"].errors


def test_services_are_what_pages_call(people, tree):
    """Membership grant through the service shows on the unit page for coordinators."""
    actor = people.actor(people.th_coordinator)
    user = make_member(tree.th_dost, Role.VIEWER, "th_sokhcn_xem")
    services.membership_grant(by=actor, user=user, organisation=tree.th_dost, role=Role.REPORTER)
    assert set(user.memberships.values_list("role", flat=True)) == {"viewer", "reporter"}


# --- People and tokens -------------------------------------------------------------------------


def test_coordinator_creates_an_account_at_a_commune_and_revokes_it(client, tree, people):
    login(client, "th_dieuphoi")
    r = client.post(
        reverse("orgs:user_create", args=["xa-16001"]),
        {"username": "th.quangphu", "full_name": "Trịnh Văn Hòa", "role": "reporter",
         "password": "mot-mat-khau-dai-2025"},
    )  # fmt: skip
    assert r.status_code == 302
    membership = Membership.objects.get(user__username="th.quangphu")
    assert membership.organisation == tree.th_c2
    page = client.get(detail("xa-16001")).content.decode()
    assert "th.quangphu" in page
    r = client.post(reverse("orgs:membership_revoke", args=[membership.pk]))
    assert r.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    # the same username again is a clear Vietnamese error, nothing saved
    r = client.post(
        reverse("orgs:user_create", args=["xa-16001"]),
        {"username": "TH.QUANGPHU", "full_name": "X", "role": "reporter"},
    )
    assert r.status_code == 200 and "đã có người dùng" in r.content.decode()


def test_memberships_elsewhere_cannot_be_revoked(client, tree, people):
    login(client, "th_dieuphoi")
    foreign = Membership.objects.get(user=people.tq_coordinator)
    assert client.post(reverse("orgs:membership_revoke", args=[foreign.pk])).status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()
    assert client.get(reverse("orgs:user_create", args=["tinh-08"])).status_code == 404


def test_token_page_issues_once_and_revokes(client, people):
    from dxday.orgs.models import ApiToken

    login(client, "th_xa1_baocao")
    r = client.post(reverse("orgs:token_list"), {"label": "điện thoại"})
    raw = r.context["new_token"]
    assert raw.startswith("dxd_") and raw in r.content.decode()
    assert raw not in client.get(reverse("orgs:token_list")).content.decode()  # shown once
    token = ApiToken.objects.get(user=people.th_c1_reporter)
    other = make_member(Organisation.objects.get(code="xa-16001"), Role.REPORTER, "khac")
    client.logout()
    login(client, "khac")
    assert client.post(reverse("orgs:token_revoke", args=[token.pk])).status_code == 404
    client.logout()
    login(client, "th_xa1_baocao")
    client.post(reverse("orgs:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert other.pk


def test_operator_without_membership_starts_at_the_roots(client, tree):
    User.objects.create_superuser("vanhanh", password=DEFAULT_PASSWORD)
    login(client, "vanhanh")
    r = client.get(reverse("orgs:workspace"))
    assert [o.code for o in r.context["children"]] == ["bo-khcn"]
    assert client.get(detail("xa-02200")).status_code == 200


def test_user_without_membership_is_told_so(client, db):
    from dxday.orgs.tests.factories import make_user

    make_user("moi")
    login(client, "moi")
    r = client.get(reverse("orgs:workspace"))
    assert "Bạn chưa thuộc đơn vị nào" in r.content.decode()


def test_unit_and_audit_pages_query_counts_are_pinned(
    client, tree, people, django_assert_num_queries
):
    actor = people.actor(people.th_coordinator)
    for i in range(30):
        services.organisation_update(by=actor, organisation=tree.th_c1, short_name=f"P{i}")
        services.membership_grant(
            by=actor, user=make_member(tree.th_c1, Role.VIEWER), organisation=tree.th_c1,
            role=Role.REPORTER,
        )  # fmt: skip
    login(client, "th_dieuphoi")
    client.get(detail("xa-16000"))
    with django_assert_num_queries(8):  # no children: the empty page skips its SELECT
        r = client.get(detail("xa-16000"))
    assert len(r.context["memberships"]) == 61
    url = reverse("orgs:audit_trail", args=["orgs.organisation", tree.th_c1.pk])
    with django_assert_num_queries(8):  # + the acting organisations' names, in one query
        r = client.get(url)
    assert len(r.context["entries"]) == 25


def test_coordinator_grants_a_role_to_an_existing_account(client, tree, people):
    login(client, "th_dieuphoi")
    url = reverse("orgs:membership_grant", args=["th-so-khcn"])
    r = client.post(url, {"username": "th_xa1_baocao", "role": "viewer"})
    assert r.status_code == 302
    assert Membership.objects.filter(
        user=people.th_c1_reporter, organisation=tree.th_dost, role="viewer"
    ).exists()
    r = client.post(url, {"username": "khong-co-ai", "role": "viewer"})
    assert r.status_code == 200 and "Không có tài khoản" in r.content.decode()
    assert client.get(reverse("orgs:membership_grant", args=["xa-02200"])).status_code == 404
