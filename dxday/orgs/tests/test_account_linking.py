"""Attaching an existing account to a node: only accounts the acting user may manage.

Issue 9 §1: a coordinator could give an operator's or a national coordinator's account a role in
their own subtree (and then issue a device token for it). Every path that attaches an existing
account to a node is checked here, for every role, with an operator and a national coordinator
as the target accounts.
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from dxday.core.errors import DomainError, NotFound
from dxday.core.imports import run_import
from dxday.orgs import services
from dxday.orgs.imports import OrganisationImport, UserImport
from dxday.orgs.models import Membership, Organisation, Role, User
from dxday.orgs.permissions import Actor
from dxday.orgs.tests.factories import DEFAULT_PASSWORD, make_member, make_user

pytestmark = pytest.mark.django_db

ROLES = [r.value for r in Role]


@pytest.fixture
def targets(tree, people):
    """Existing accounts a Thanh Hóa actor might try to attach."""
    return {
        "operator": make_user("van_hanh", is_superuser=True, is_staff=True),
        "staff": make_user("nhan_vien", is_staff=True),
        "national": people.national_coordinator,
        "other_province": people.tq_coordinator,
        "inside": make_member(tree.th_c2, Role.VIEWER, "th_xa2_xem"),
    }


def _actor_with(tree, role: str) -> Actor:
    user = make_member(tree.th, role, f"th_{role}")
    return Actor(user=user, membership=user.memberships.get())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("target", ["operator", "staff", "national", "other_province"])
def test_no_role_gives_an_account_outside_its_subtree_a_role(tree, targets, role, target):
    actor = _actor_with(tree, role)
    user = targets[target]
    before = set(Membership.objects.filter(user=user).values_list("pk", flat=True))
    with pytest.raises(DomainError) as exc:
        services.membership_grant(by=actor, user=user, organisation=tree.th_c1, role=Role.REPORTER)
    expected = "account_not_manageable" if role == Role.COORDINATOR else "forbidden"
    assert exc.value.code == expected
    assert set(Membership.objects.filter(user=user).values_list("pk", flat=True)) == before


@pytest.mark.parametrize("role", ROLES)
def test_only_a_coordinator_gives_an_account_inside_its_subtree_a_role(tree, targets, role):
    actor = _actor_with(tree, role)
    user = targets["inside"]
    if role != Role.COORDINATOR:
        with pytest.raises(DomainError):
            services.membership_grant(by=actor, user=user, organisation=tree.th_c1, role="viewer")
        return
    services.membership_grant(by=actor, user=user, organisation=tree.th_c1, role=Role.REPORTER)
    assert user.memberships.filter(organisation=tree.th_c1, role=Role.REPORTER).exists()


def test_a_national_coordinator_may_link_provincial_accounts_but_not_an_operator(
    tree, people, targets
):
    actor = people.actor(people.national_coordinator)
    services.membership_grant(
        by=actor, user=targets["other_province"], organisation=tree.th_c1, role=Role.VIEWER
    )
    with pytest.raises(DomainError) as exc:
        services.membership_grant(
            by=actor, user=targets["operator"], organisation=tree.th_c1, role=Role.VIEWER
        )
    assert exc.value.code == "account_not_manageable"


def test_an_operator_may_link_any_account(tree, targets):
    operator = Actor(user=targets["operator"], membership=None)
    for name in ("national", "staff", "other_province"):
        services.membership_grant(
            by=operator, user=targets[name], organisation=tree.th_c1, role=Role.VIEWER
        )
    assert Membership.objects.filter(organisation=tree.th_c1, role=Role.VIEWER).count() == 3


def test_an_account_outside_the_subtree_is_not_found_before_anything_else(tree, people, targets):
    """A coordinator granting at another province's node gets "not found", as for any node."""
    actor = people.actor(people.th_coordinator)
    with pytest.raises(NotFound):
        services.membership_grant(
            by=actor, user=targets["inside"], organisation=tree.tq_c1, role=Role.VIEWER
        )


@pytest.mark.parametrize("target", ["van_hanh", "qg_dieuphoi", "khong_ton_tai"])
def test_grant_page_refuses_with_a_sentence_next_to_the_field(client, targets, target):
    """An account outside the subtree and one that does not exist get the same sentence:
    the form cannot be used to find out which usernames exist elsewhere."""
    client.login(username="th_dieuphoi", password=DEFAULT_PASSWORD)
    r = client.post(
        reverse("orgs:membership_grant", args=["xa-16000"]),
        {"username": target, "role": Role.TEAM_MEMBER},
    )
    page = r.content.decode()
    assert r.status_code == 200
    assert f"Không có tài khoản “{target}” trong phạm vi đơn vị bạn quản lý" in page
    assert not Membership.objects.filter(user__username=target, role=Role.TEAM_MEMBER).exists()


def test_grant_page_links_an_account_inside_the_subtree(client, targets):
    client.login(username="th_dieuphoi", password=DEFAULT_PASSWORD)
    r = client.post(
        reverse("orgs:membership_grant", args=["xa-16000"]),
        {"username": "th_xa2_xem", "role": Role.REPORTER},
    )
    assert r.status_code == 302
    assert targets["inside"].memberships.filter(role=Role.REPORTER).exists()


def _users_csv(username: str, org: str = "xa-16000") -> list[dict]:
    from dxday.core.imports import read_rows

    text = f"Tên đăng nhập,Họ và tên,Mã đơn vị,Vai trò\n{username},Người Thử,{org},team_member\n"
    f = io.BytesIO(text.encode())
    return read_rows(f, "tai-khoan.csv")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("target", ["van_hanh", "nhan_vien", "qg_dieuphoi", "tq_dieuphoi"])
def test_user_import_never_links_an_existing_account(tree, targets, role, target):
    actor = _actor_with(tree, role)
    before = Membership.objects.filter(user__username=target).count()
    report = run_import(UserImport(actor), _users_csv(target), dry_run=False)
    assert not report.ok
    errors = " ".join(str(e) for e in report.errors)
    if role == Role.COORDINATOR:
        assert "đã có người dùng" in errors
    assert Membership.objects.filter(user__username=target).count() == before
    assert User.objects.get(username=target).is_superuser == (target == "van_hanh")


def test_user_import_creates_a_new_account_for_a_new_name(tree, targets):
    actor = _actor_with(tree, Role.COORDINATOR)
    report = run_import(UserImport(actor), _users_csv("th.moi"), dry_run=False)
    assert report.ok, report.errors
    user = User.objects.get(username="th.moi")
    assert not user.is_superuser and not user.is_staff
    assert user.memberships.get().organisation == tree.th_c1


@pytest.mark.parametrize("role", ROLES)
def test_org_import_attaches_no_account(tree, targets, role):
    """The org import creates units only: whoever runs it, no account gains a membership."""
    from dxday.core.imports import read_rows

    actor = _actor_with(tree, role)
    memberships = Membership.objects.count()
    text = (
        "Mã đơn vị,Tên đơn vị,Loại đơn vị,Mã đơn vị cấp trên\n"
        "th-moi,Đơn vị mới,department,tinh-38\n"
    )
    rows = read_rows(io.BytesIO(text.encode()), "don-vi.csv")
    report = run_import(OrganisationImport(actor), rows, dry_run=False)
    assert report.ok == (role == Role.COORDINATOR)
    assert Organisation.objects.filter(code="th-moi").exists() == (role == Role.COORDINATOR)
    assert Membership.objects.count() == memberships
