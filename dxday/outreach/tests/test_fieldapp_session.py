"""The field app's "Dùng tài khoản đang đăng nhập": the guide defaults to the signed-in member,
and signing in again on the same phone rotates that phone's token instead of piling up more."""

import pytest
from django.test import Client

from dxday.conftest import browser_login
from dxday.core.models import AuditEntry
from dxday.orgs.models import ApiToken
from dxday.orgs.tests.factories import DEFAULT_PASSWORD
from dxday.outreach import services

PHONE_A = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
PHONE_B = "aaaabbbbccccddddeeeeffff00001111"


def _me(_client, raw):
    """/me with only the bearer token (a fresh client: no session to fall back on)."""
    return Client().get("/api/v1/outreach/me", headers={"Authorization": f"Bearer {raw}"})


@pytest.mark.django_db
def test_same_phone_rotates_its_token_other_phone_gets_its_own(client, team):
    client.force_login(team.deputy_user)
    first = client.post("/outreach/ung-dung/token/", {"device": PHONE_A}).json()["token"]
    again = client.post("/outreach/ung-dung/token/", {"device": PHONE_A}).json()["token"]
    assert first != again
    assert _me(client, first).status_code == 401  # the old secret stops at once
    assert _me(client, again).json()["member"] == team.deputy.pk
    live = ApiToken.objects.filter(user=team.deputy_user, revoked_at__isnull=True)
    assert live.count() == 1 and "thiết bị 0f1e2d3c" in live.get().label
    assert AuditEntry.objects.filter(action="orgs.api_token.rotated").count() == 1
    other = client.post("/outreach/ung-dung/token/", {"device": PHONE_B}).json()["token"]
    assert _me(client, other).status_code == 200 and _me(client, again).status_code == 200
    assert live.count() == 2


@pytest.mark.django_db
def test_without_a_device_id_the_previous_plain_token_is_rotated(team):
    raw1, t1 = services.token_issue_for_self(actor=team.deputy_actor)
    raw2, t2 = services.token_issue_for_self(actor=team.deputy_actor, device="x")  # not an id
    assert t1.pk == t2.pk and raw1 != raw2
    assert ApiToken.objects.filter(user=team.deputy_user, revoked_at__isnull=True).count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_session_exchange_defaults_to_the_signed_in_member_and_reuses_the_token(
    page, team, current_window
):
    browser_login(page, team.deputy_user.username, DEFAULT_PASSWORD)
    page.goto(page.base_url + "/outreach/ung-dung/")
    for _round in range(2):
        page.get_by_role("button", name="Dùng tài khoản đang đăng nhập").click()
        page.get_by_label("Số hộ đã đến").wait_for()
        selected = page.locator("#member option:checked").inner_text()
        assert selected.startswith("Trần Thị Tổ Phó"), selected  # not the first member
        page.get_by_role("button", name="Gỡ mã thiết bị khỏi điện thoại này").click()
        page.get_by_role("button", name="Dùng tài khoản đang đăng nhập").wait_for()
    live = ApiToken.objects.filter(user=team.deputy_user, revoked_at__isnull=True)
    assert live.count() == 1  # the phone's one token, rotated, not two


@pytest.mark.django_db
def test_account_with_a_team_role_but_not_on_the_list_defaults_to_itself(client, team):
    """Given the team-member role through the unit pages (not the team page), the account had
    no row on the team's list, so the app fell back to the first name: entries credited to
    someone else. Signing in to the app now puts the person on the list, as themselves."""
    from dxday.orgs.models import Role
    from dxday.orgs.tests.factories import make_member
    from dxday.outreach.models import TeamMember

    newcomer = make_member(team.team.organisation, Role.TEAM_MEMBER, "to_vien_moi")
    client.force_login(newcomer)
    raw = client.post("/outreach/ung-dung/token/", {"device": PHONE_A}).json()["token"]
    me = _me(client, raw).json()
    mine = TeamMember.objects.get(team=team.team, user=newcomer)
    assert me["member"] == mine.pk and mine.role == TeamMember.Role.MEMBER
    assert any(m["id"] == mine.pk for m in me["members"])
    client.post("/outreach/ung-dung/token/", {"device": PHONE_A})  # again: no second row
    assert TeamMember.objects.filter(team=team.team, user=newcomer).count() == 1
