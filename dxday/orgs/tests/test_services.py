"""orgs services: permissions, validation, audit entries with changed fields, tokens."""

import pytest

from dxday.core.audit import audit_trail
from dxday.core.errors import DomainError, NotFound
from dxday.core.models import AuditEntry
from dxday.orgs import services
from dxday.orgs.auth import token_hash
from dxday.orgs.models import ApiToken, Membership, Organisation, Role
from dxday.orgs.signals import organisations_created
from dxday.orgs.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_coordinator_creates_a_unit_in_their_subtree_audited_and_announced(
    tree, people, django_capture_on_commit_callbacks
):
    actor = people.actor(people.th_coordinator)
    got = []

    def listener(sender, organisations, **kwargs):
        got.extend(organisations)

    organisations_created.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            org = services.organisation_create(
                by=actor, parent=tree.th, code="TH-So-Tai-Chinh", name="Sở Tài chính Thanh Hoá",
                kind=Organisation.Kind.DEPARTMENT,
            )  # fmt: skip
    finally:
        organisations_created.disconnect(listener)
    assert got == [org]
    assert org.code == "th-so-tai-chinh" and org.is_within(tree.th)
    assert org.province == tree.th_province  # inherited from the parent
    assert org.search_key.startswith("so tai chinh thanh hoa")
    (entry,) = audit_trail(org)
    assert entry.action == "orgs.organisation.created"
    assert entry.user == people.th_coordinator
    assert entry.acting_organisation_id == tree.th.pk
    assert entry.changes["name"] == [None, "Sở Tài chính Thanh Hoá"]


def test_unit_outside_subtree_is_not_found_and_nothing_is_saved(tree, people):
    actor = people.actor(people.th_coordinator)
    count = Organisation.objects.count()
    with pytest.raises(NotFound):
        services.organisation_create(
            by=actor, parent=tree.tq, code="tq-x", name="X", kind=Organisation.Kind.DEPARTMENT
        )
    reporter = people.actor(people.th_c1_reporter)
    with pytest.raises(DomainError) as exc:
        services.organisation_create(
            by=reporter, parent=tree.th_c1, code="x", name="X", kind=Organisation.Kind.DEPARTMENT
        )
    assert exc.value.code == "forbidden" and exc.value.status == 403
    assert Organisation.objects.count() == count


def test_duplicate_code_is_refused(tree, people):
    actor = people.actor(people.th_coordinator)
    with pytest.raises(DomainError) as exc:
        services.organisation_create(
            by=actor, parent=tree.th, code="xa-16000", name="X", kind=Organisation.Kind.COMMUNE
        )
    assert exc.value.code == "duplicate_code"
    assert "xa-16000" in exc.value.message


def test_update_records_changed_fields_only(tree, people):
    actor = people.actor(people.th_coordinator)
    services.organisation_update(
        by=actor, organisation=tree.th_press, name="Báo và Phát thanh, Truyền hình Thanh Hóa",
        email="",
    )  # fmt: skip
    tree.th_press.refresh_from_db()
    assert tree.th_press.name == "Báo và Phát thanh, Truyền hình Thanh Hóa"
    (entry,) = audit_trail(tree.th_press)
    assert entry.action == "orgs.organisation.updated"
    assert entry.changes == {"name": ["Báo Thanh Hóa", "Báo và Phát thanh, Truyền hình Thanh Hóa"]}
    with pytest.raises(DomainError) as exc:
        services.organisation_update(by=actor, organisation=tree.th_press, code="khac")
    assert exc.value.code == "invalid_field"
    with pytest.raises(DomainError):
        services.organisation_update(by=actor, organisation=tree.th_press, email="khong-phai-email")
    tree.th_press.refresh_from_db()
    assert tree.th_press.email == ""


def test_user_create_with_role_and_membership_revoke(tree, people):
    actor = people.actor(people.th_coordinator)
    user = services.user_create(
        by=actor, username="th.xa2.moi", full_name="Nguyễn Thị Hoà", password="mat-khau-dai-1234",
        organisation=tree.th_c2, role=Role.REPORTER,
    )  # fmt: skip
    assert user.check_password("mat-khau-dai-1234")
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role) == (tree.th_c2, Role.REPORTER)
    entry = audit_trail(user).first()
    assert "password" not in entry.changes
    with pytest.raises(DomainError) as exc:
        services.user_create(by=actor, username="TH.XA2.MOI", full_name="X", organisation=tree.th)
    assert exc.value.code == "duplicate_username"
    with pytest.raises(DomainError) as exc:
        services.user_create(
            by=actor, username="yeu", full_name="X", password="123", organisation=tree.th
        )
    assert exc.value.code == "weak_password"
    with pytest.raises(NotFound):
        services.membership_grant(by=actor, user=user, organisation=tree.tq_c1, role=Role.REPORTER)
    membership_pk = membership.pk
    services.membership_revoke(by=actor, membership=membership)
    assert not Membership.objects.filter(user=user).exists()
    entry = AuditEntry.objects.filter(object_id=str(membership_pk)).first()
    assert entry.action == "orgs.membership.revoked"
    assert entry.changes["role"] == [Role.REPORTER, None]


def test_token_is_stored_hashed_and_revocable(tree, people):
    actor = people.actor(people.th_c1_reporter)
    token, raw = services.api_token_issue(by=actor, user=people.th_c1_reporter, label="điện thoại")
    assert raw.startswith("dxd_")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == token_hash(raw) and raw not in stored.key_hash
    assert raw not in str(audit_trail(token).first().changes)
    services.api_token_revoke(by=actor, token=stored)
    services.api_token_revoke(by=actor, token=stored)  # harmless twice
    stored.refresh_from_db()
    assert stored.revoked_at is not None
    assert [e.action for e in audit_trail(stored)] == [
        "orgs.api_token.revoked", "orgs.api_token.issued",
    ]  # fmt: skip


def test_device_token_for_another_member_needs_authority(tree, people):
    member = make_user("to.vien")
    membership = Membership.objects.create(user=member, organisation=tree.th_c1, role="team_member")
    coordinator = people.actor(people.th_coordinator)
    token, _raw = services.api_token_issue(
        by=coordinator, user=member, membership=membership, is_device=True, label="máy tổ 1"
    )
    assert token.is_device and token.issued_by == people.th_coordinator
    # another commune's reporter cannot issue or revoke it
    other = people.actor(people.tq_coordinator)
    with pytest.raises(NotFound):
        services.api_token_issue(by=other, user=member, membership=membership)
    with pytest.raises(NotFound):
        services.api_token_revoke(by=other, token=token)
    with pytest.raises(DomainError) as exc:
        services.api_token_issue(by=coordinator, user=member)
    assert exc.value.code == "membership_required"
    # revoking the membership stops its device tokens
    services.membership_revoke(by=coordinator, membership=membership)
    assert not ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).exists()


def test_code_is_suggested_from_the_name_when_blank(tree, people):
    actor = people.actor(people.th_coordinator)
    kw = {"by": actor, "parent": tree.th, "code": "", "kind": Organisation.Kind.DEPARTMENT}
    first = services.organisation_create(name="Sở Tài chính Đà Nẵng", **kw)
    second = services.organisation_create(name="Sở Tài chính Đà Nẵng", **kw)
    assert (first.code, second.code) == ("so-tai-chinh-da-nang", "so-tai-chinh-da-nang-2")
