"""Issue 9 for the door-to-door campaign: bad references in one session, logging as someone
else, the team page's permission check, linking existing accounts, the commune list."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from dxday.core.imports import read_rows, run_import
from dxday.orgs.models import ApiToken, Role
from dxday.orgs.tests.factories import actor_of, make_member, make_user
from dxday.outreach import services, views
from dxday.outreach.imports import TeamMemberImport
from dxday.outreach.models import GuidanceSession, TeamMember

from .helpers import session

pytestmark = pytest.mark.django_db


# --- §4: one bad team/member value rejects only its own session -----------------------------


def test_bad_team_and_member_values_reject_only_their_session(team, team_tq, client):
    """Guards: "²" passed str.isdigit() and made int() raise, and a huge id overflowed the
    database, so one bad session failed the whole batch (a 500 on the API)."""
    bad = {
        "team_superscript": {"team": "²"},
        "team_huge_int": {"team": 10**30},
        "team_huge_string": {"team": "9" * 30},
        "team_list": {"team": [team.team.pk]},
        "team_bool": {"team": True},
        "team_unknown": {"team": 987_654},
        "team_other": {"team": team_tq.team.pk},
        "member_superscript": {"member": "²"},
        "member_huge_int": {"member": 2**63},
        "member_float": {"member": 1.5},
        "member_dict": {"member": {"id": team.deputy.pk}},
        "member_unknown": {"member": 987_654},
        "member_other_team": {"member": team_tq.deputy.pk},
    }
    expected = {
        "team_superscript": "invalid", "team_huge_int": "invalid", "team_huge_string": "invalid",
        "team_list": "invalid", "team_bool": "invalid", "team_unknown": "not_found",
        "team_other": "not_found", "member_superscript": "invalid", "member_huge_int": "invalid",
        "member_float": "invalid", "member_dict": "invalid", "member_unknown": "not_in_team",
        "member_other_team": "not_in_team",
    }  # fmt: skip
    batch, where = [session()], {}
    for name, override in bad.items():
        where[len(batch)] = name
        batch.append(session(**override))
        batch.append(session())
    token = team.device_token()
    r = client.post("/api/v1/outreach/sessions/batch", {"sessions": batch},
                    content_type="application/json",
                    headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert r.status_code == 200
    body = r.json()
    assert body["accepted"] == len(bad) + 1
    assert GuidanceSession.objects.count() == len(bad) + 1
    got = {r["index"]: r for r in body["rejected"]}
    assert set(got) == set(where)
    for index, name in where.items():
        rejected = got[index]
        assert rejected["client_id"] == batch[index]["client_id"], name
        assert [e["code"] for e in rejected["errors"]] == [expected[name]], name
        assert rejected["errors"][0]["field"] == name.split("_")[0]


# --- §6: only a leader logs for another member -------------------------------------------------


def test_only_a_leader_logs_sessions_as_another_member(team):
    """Guards: any member could log sessions in another member's name."""
    result = services.sessions_ingest(
        actor=team.deputy_actor, sessions=[session(member=team.member.pk)]
    )
    assert result.accepted == 0
    assert result.rejected[0]["errors"][0]["code"] == "forbidden"
    # The deputy naming themselves is fine; the leader may name anyone of the team.
    own = services.sessions_ingest(
        actor=team.deputy_actor, sessions=[session(member=team.deputy.pk)]
    )
    assert own.accepted == 1
    led = services.sessions_ingest(
        actor=team.leader_actor, sessions=[session(member=team.member.pk)]
    )
    assert led.accepted == 1
    assert GuidanceSession.objects.filter(member=team.member).count() == 1


def test_team_page_applies_the_same_check_with_or_without_team(client, team):
    """Guards: /outreach/to/ without ?team= showed a plain member the team's device tokens,
    skipping the check that ?team=<id> applied."""
    team.device_token()
    client.force_login(team.deputy_user)  # a deputy holds the team_member role
    assert client.get("/outreach/to/").status_code == 404
    assert client.get(f"/outreach/to/?team={team.team.pk}").status_code == 404
    client.force_login(team.leader_user)
    assert client.get("/outreach/to/").status_code == 200
    assert client.get(f"/outreach/to/?team={team.team.pk}").status_code == 200
    assert client.get("/outreach/to/?team=²").status_code == 404


def test_numbers_from_the_request_never_give_a_500(client, team, people, tree):
    """Guards: str.isdigit() accepted "²" and int() then raised (HTTP 500)."""
    assert client.get("/outreach/?campaign=²").status_code == 200
    assert client.get("/outreach/?campaign=99999999999999999999").status_code == 200
    client.force_login(people.th_coordinator)
    r = client.post("/outreach/tien-do/?campaign=2025",
                    {"committee": "²", "households": "5", "accounts": "1"})  # fmt: skip
    assert r.status_code == 404
    r = client.post("/outreach/tien-do/?campaign=2025",
                    {"committee": tree.th_c1.pk, "households": "²", "accounts": "1"})  # fmt: skip
    assert r.status_code == 302


# --- §1: linking an existing account ----------------------------------------------------------


@pytest.fixture
def targets(people, team):
    """The accounts an import row or the form might name, by kind."""
    operator = make_user("van-hanh", is_superuser=True, is_staff=True)
    own_team = make_member(team.team.organisation, Role.TEAM_MEMBER, "to-vien-co-tai-khoan")
    return {
        "operator": operator,
        "national_coordinator": people.national_coordinator,
        "other_province_coordinator": people.tq_coordinator,
        "own_subtree": people.th_c1_reporter,
        "own_team": own_team,
        "new_username": None,
    }


# (acting role, target) → may link. A national coordinator's subtree is the whole country.
CASES = [
    ("th_coordinator", "operator", False),
    ("th_coordinator", "national_coordinator", False),
    ("th_coordinator", "other_province_coordinator", False),
    ("th_coordinator", "own_subtree", True),
    ("th_coordinator", "new_username", False),
    ("national_coordinator", "operator", False),
    ("national_coordinator", "other_province_coordinator", True),
    ("national_coordinator", "own_subtree", True),
    ("national_coordinator", "new_username", False),
    ("leader", "operator", False),
    ("leader", "national_coordinator", False),
    ("leader", "other_province_coordinator", False),
    ("leader", "own_subtree", False),  # a commune reporter is above the leader's team
    ("leader", "own_team", True),
    ("leader", "new_username", False),
]


def _actor(people, team, role):
    if role == "leader":
        return team.leader_actor
    return actor_of(getattr(people, role))


def _xlsx(rows) -> io.BytesIO:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "to.xlsx"
    return buf


@pytest.mark.parametrize(("role", "target", "allowed"), CASES)
def test_linking_an_existing_account_in_the_service(people, team, targets, role, target,
                                                    allowed):  # fmt: skip
    """Guards: a coordinator or leader could link an operator's or another province's account
    to a team and hand its full powers to a device token."""
    user = targets[target]
    username = user.username if user else "chua-co-ai"
    actor = _actor(people, team, role)
    if allowed:
        member = services.team_member_add(actor=actor, team=team.team, full_name="A",
                                          username=username)  # fmt: skip
        assert member.user == user
        return
    with pytest.raises(services.DomainError) as exc:
        services.team_member_add(actor=actor, team=team.team, full_name="A", username=username)
    assert exc.value.message == (
        f"Không có tài khoản “{username}” trong phạm vi đơn vị bạn quản lý, nên không gắn được "
        "vào tổ. Hãy để trống tên đăng nhập để thêm thành viên mới."
    )
    assert not TeamMember.objects.filter(full_name="A").exists()


@pytest.mark.parametrize(("role", "target", "allowed"), [c for c in CASES if c[0] != "leader"])
def test_linking_an_existing_account_in_the_import(people, team, tree, targets, role, target,
                                                   allowed):  # fmt: skip
    """Guards: the team-member import linked any existing account named in the file."""
    user = targets[target]
    username = user.username if user else "chua-co-ai"
    rows = read_rows(
        _xlsx([["Thôn, tổ dân phố", "Họ và tên", "Vai trò", "Tên đăng nhập"],
               ["Thôn Mới", "Người Một", "Tổ viên", username],
               ["Thôn Mới", "Người Hai", "Tổ viên", None]])
    )  # fmt: skip
    importer = TeamMemberImport(actor=_actor(people, team, role), committee=tree.th_c1)
    report = run_import(importer, rows, dry_run=False)
    if allowed:
        assert report.ok and report.saved == 2
        assert TeamMember.objects.get(full_name="Người Một").user == user
        return
    assert [str(e) for e in report.errors] == [
        f"Dòng 2, cột “Tên đăng nhập”: Không có tài khoản “{username}” trong phạm vi đơn vị bạn "
        "quản lý, nên không gắn được vào tổ. Hãy để trống tên đăng nhập để thêm thành viên mới."
    ]
    assert report.saved == 0
    assert not TeamMember.objects.filter(full_name__in=["Người Một", "Người Hai"]).exists()


def test_leader_form_refuses_an_operator_account(client, team, targets):
    """Guards: the leader's "add member" form could link any existing username."""
    client.force_login(team.leader_user)
    r = client.post("/outreach/to/thanh-vien/",
                    {"team": team.team.pk, "full_name": "", "username": "van-hanh"},
                    follow=True)  # fmt: skip
    assert "Không có tài khoản “van-hanh” trong phạm vi đơn vị bạn quản lý" in r.content.decode()
    assert not TeamMember.objects.filter(user=targets["operator"]).exists()
    r = client.post("/outreach/to/thanh-vien/",
                    {"team": team.team.pk, "full_name": "", "username": "to-vien-co-tai-khoan"},
                    follow=True)  # fmt: skip
    assert "Đã thêm thành viên vào tổ." in r.content.decode()
    assert TeamMember.objects.get(user=targets["own_team"]).full_name == "to-vien-co-tai-khoan"
    assert not ApiToken.objects.filter(user=targets["operator"]).exists()


# --- Issue 8: the commune list of the import is never cut silently ---------------------------


def test_import_commune_list_says_when_cut_and_finds_by_search(client, people, tree,
                                                               monkeypatch):  # fmt: skip
    """Guards: the list stopped at 2,000 of 3,321 communes without a word, and a commune past
    the cut could not be chosen at all."""
    monkeypatch.setattr(views, "COMMITTEE_CHOICES", 1)
    client.force_login(people.th_coordinator)
    html = client.get("/outreach/to/nhap/").content.decode()
    assert "Đang hiện 1 trong 2 xã, phường." in html
    html = client.get("/outreach/to/nhap/?q=quang phu").content.decode()
    assert "UBND xã Quảng Phú" in html and "Đang hiện" not in html
    # A commune outside the shown page can still be imported into; another province's cannot.
    good = _xlsx([["Thôn, tổ dân phố", "Họ và tên"], ["Thôn Bắc", "Lê Văn A"]])
    r = client.post("/outreach/to/nhap/", {"committee": tree.th_c2.pk, "file": good})
    assert "Đã nhập 1 thành viên tổ." in r.content.decode()
    assert TeamMember.objects.get(full_name="Lê Văn A").team.commune_id == "16001"
    good.seek(0)
    r = client.post("/outreach/to/nhap/", {"committee": tree.tq_c1.pk, "file": good})
    assert r.status_code == 404


# --- §6: the note filter uses the one detector ------------------------------------------------


NOTES_REFUSED = [
    "SĐT (091) 234-5678", "gọi 0912/345/678", "0912_345_678", "0912,345,678",
    "CCCD 001,203,004,567", "email bac.ba@gmail.com", "nhà ở số 12 ngõ 34 phố Hàng Bông",
    "123 Lê Lợi",
]  # fmt: skip
NOTES_KEPT = ["50 hộ, 120 người", "Năm 2025", "ngày 10/10", "02/10/2025 08:30 tại nhà văn hóa"]


def test_note_filter_refuses_each_spelling_and_keeps_figures(team):
    """Guards: the old filter (9+ digits with spaces, dots or dashes) let all of these through."""
    batch = [session(note=n) for n in NOTES_REFUSED + NOTES_KEPT]
    result = services.sessions_ingest(actor=team.deputy_actor, sessions=batch)
    assert result.accepted == len(NOTES_KEPT)
    assert [r["index"] for r in result.rejected] == list(range(len(NOTES_REFUSED)))
    for rejected in result.rejected:
        assert [e["code"] for e in rejected["errors"]] == ["personal_data"]
    stored = " ".join(GuidanceSession.objects.values_list("note", flat=True))
    assert "0912" not in stored and "@" not in stored and "Lê Lợi" not in stored


# --- Issue 8: a team node is written by the orgs service --------------------------------------


def test_team_node_goes_through_organisation_create(
    tree, people, campaign, django_capture_on_commit_callbacks
):
    """Guards: outreach created Organisation nodes itself (no validation, audit or signal)."""
    from dxday.core.models import AuditEntry
    from dxday.orgs.signals import organisations_created

    sent = []

    def receiver(sender, organisations=(), **kwargs):
        sent.extend(organisations)

    organisations_created.connect(receiver, dispatch_uid="test-outreach-team-node")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = services.team_create(
                actor=actor_of(people.th_coordinator), committee=tree.th_c1, village="Thôn Đông"
            )
            second = services.team_create(actor=None, committee=tree.th_c1, village="Thôn-Đông")
    finally:
        organisations_created.disconnect(dispatch_uid="test-outreach-team-node")
    assert first.organisation.code == "to-16000-thon-dong"
    assert second.organisation.code == "to-16000-thon-dong-2"
    assert sent == [first.organisation, second.organisation]
    entry = AuditEntry.objects.get(
        action="orgs.organisation.created", object_id=str(first.organisation.pk)
    )
    assert entry.user == people.th_coordinator


def test_no_device_token_for_an_account_the_leader_may_not_manage(team, people):
    """Guards: a member linked (before the check) to a coordinator's account got a device token
    carrying that account's powers."""
    linked = services.team_member_add(
        actor=None, team=team.team, full_name="Điều phối", user=people.th_coordinator
    )  # a system call: no actor, no check
    with pytest.raises(services.DomainError) as exc:
        services.device_token_issue(actor=team.leader_actor, member=linked)
    assert exc.value.code == "account_not_manageable"
    assert not ApiToken.objects.filter(user=people.th_coordinator).exists()
    # The team's own accounts still get tokens.
    raw, token = services.device_token_issue(actor=team.leader_actor, member=team.deputy)
    assert token.user == team.deputy_user


def test_import_reports_every_error_of_a_row(people, tree):
    """Guards: a row with a bad role and a foreign account reported only the first error."""
    rows = read_rows(
        _xlsx([["Thôn, tổ dân phố", "Họ và tên", "Vai trò", "Tên đăng nhập"],
               ["Thôn Mới", "Người Một", "Chủ tịch", people.tq_coordinator.username],
               ["Thôn Mới", "Người Hai", "Tổ viên", people.national_coordinator.username]])
    )  # fmt: skip
    importer = TeamMemberImport(actor=actor_of(people.th_coordinator), committee=tree.th_c1)
    report = run_import(importer, rows, dry_run=True)
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "Vai trò"), (2, "Tên đăng nhập"), (3, "Tên đăng nhập"),
    ]  # fmt: skip
