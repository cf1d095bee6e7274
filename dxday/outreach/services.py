"""Every write of the door-to-door campaign.

The ingest of guidance sessions lives in the `ingest` package (set-based, one transaction per
batch) and the roll-ups, incremental and rebuilt, in rollups.py; both are re-exported here so
callers have one address. Organisation nodes and account checks belong to `orgs.services`.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dxday.core.audit import audit, audit_created
from dxday.core.errors import DomainError, NotFound
from dxday.core.text import nfc, search_key
from dxday.orgs.auth import token_generate
from dxday.orgs.models import ApiToken, Membership, Organisation, Role, User
from dxday.orgs.permissions import Actor, ensure_can
from dxday.orgs.services import (
    account_manageable_by,
    api_token_issue,
    api_token_revoke,
    ensure_account_manageable,
    membership_grant,
    organisation_code_suggest,
    organisation_create,
    user_create,
)
from dxday.plans.models import Campaign

from .ingest import IngestResult, sessions_ingest  # noqa: F401  (re-exported)
from .models import CommuneTarget, CommunityTeam, TeamMember
from .rollups import rollups_rebuild, team_counts_add  # noqa: F401  (re-exported)

__all__ = [
    "IngestResult", "sessions_ingest", "rollups_rebuild", "team_create", "account_linkable",
    "team_member_add",
    "team_member_deactivate", "device_token_issue", "device_token_revoke",
    "token_issue_for_self", "target_set",
]  # fmt: skip


def account_linkable(*, actor: Actor | None, username: str) -> User:
    """The existing account `username`, if the actor may link it to a team; else one sentence
    for "no such account" and "not yours to link" alike (no probing for usernames)."""
    username = nfc(username).strip()
    user = User.objects.filter(username=username).first()
    if user is None or (actor is not None and not account_manageable_by(actor, user)):
        raise DomainError(
            _(
                "Không có tài khoản “%(u)s” trong phạm vi đơn vị bạn quản lý, nên không gắn được "
                "vào tổ. Hãy để trống tên đăng nhập để thêm thành viên mới."
            )
            % {"u": username},
            code="account_not_linkable",
            field="username",
        )
    return user


def _team_role(member_role: str) -> str:
    return Role.TEAM_LEADER if member_role == TeamMember.Role.LEADER else Role.TEAM_MEMBER


@transaction.atomic
def team_create(
    *, actor: Actor | None, committee: Organisation, village: str, name: str = ""
) -> CommunityTeam:
    """A team for one village or residential group, under its commune committee.

    The team is mirrored as an Organisation node (kind community_team) under the committee,
    so roles held at the team or above apply to it through the one permission policy.
    """
    if actor is not None:
        ensure_can(actor, "outreach.manage", committee)
    if committee.kind != Organisation.Kind.COMMUNE or committee.commune_id is None:
        raise DomainError(
            _("Tổ công nghệ số cộng đồng phải thuộc một UBND xã, phường, đặc khu."),
            code="not_a_commune",
            field="committee",
        )
    village = nfc(village).strip()
    if not village:
        raise DomainError(_("Cần nhập tên thôn, tổ dân phố."), code="required", field="village")
    if CommunityTeam.objects.filter(commune_id=committee.commune_id, village=village).exists():
        raise DomainError(
            _("Thôn, tổ dân phố “%(v)s” đã có tổ công nghệ số cộng đồng.") % {"v": village},
            code="duplicate",
            field="village",
        )
    name = nfc(name).strip() or _("Tổ CNSCĐ %(village)s") % {"village": village}
    slug = slugify(search_key(village))[:40] or "to"
    # The team node is written by the orgs service (validation, audit, organisations_created);
    # team nodes belong to no plan group, so the signal gives them no tasks.
    node = organisation_create(
        by=actor,
        parent=committee,
        code=organisation_code_suggest(f"to-{committee.commune_id}-{slug}"),
        name=f"{name} — {committee.name}",
        short_name=name[:100],
        kind=Organisation.Kind.COMMUNITY_TEAM,
        province=committee.province,
        commune=committee.commune,
    )
    team = CommunityTeam(
        organisation=node,
        committee=committee,
        commune_id=committee.commune_id,
        province_id=committee.province_id or committee.commune.province_id,
        village=village,
        name=name,
    )
    team.full_clean()
    team.save()
    team_counts_add(commune_id=team.commune_id, province_id=team.province_id, teams=1)
    audit_created(team, "outreach.team.created", by=actor)
    return team


@transaction.atomic
def team_member_add(
    *,
    actor: Actor | None,
    team: CommunityTeam,
    full_name: str,
    role: str = TeamMember.Role.MEMBER,
    user: User | None = None,
    username: str = "",
) -> TeamMember:
    """Add a member (with an account, or by name only). Leaders and deputies are unique.

    An existing account (`user`, or found by `username`) is linked only when the actor may
    manage it (`account_linkable`): a device token issued for the member must never carry an
    operator's or another province's powers.
    """
    if actor is not None:
        ensure_can(actor, "outreach.manage_team", team.organisation)
    if username:
        user = account_linkable(actor=actor, username=username)
    elif user is not None and actor is not None:
        ensure_account_manageable(by=actor, user=user, field="user")
    full_name = nfc(full_name).strip()
    if not full_name and user is not None:
        full_name = user.full_name or user.username
    if not full_name:
        raise DomainError(_("Cần nhập họ và tên thành viên."), code="required", field="full_name")
    if role not in TeamMember.Role.values:
        raise DomainError(_("Vai trò trong tổ không hợp lệ."), code="invalid", field="role")
    active = TeamMember.objects.filter(team=team, is_active=True)
    if role == TeamMember.Role.LEADER and active.filter(role=role).exists():
        raise DomainError(_("Tổ đã có tổ trưởng."), code="duplicate_leader", field="role")
    if role == TeamMember.Role.DEPUTY and active.filter(role=role).exists():
        raise DomainError(_("Tổ đã có tổ phó."), code="duplicate_deputy", field="role")
    membership = None
    if user is not None:
        if TeamMember.objects.filter(team=team, user=user).exists():
            raise DomainError(
                _("Người này đã là thành viên của tổ."), code="duplicate", field="user"
            )
        if actor is not None:
            membership = membership_grant(
                by=actor, user=user, organisation=team.organisation, role=_team_role(role),
                action="outreach.manage_team",
            )  # fmt: skip
        else:  # a system call (loader, demo): no actor to check or audit
            membership, _created = Membership.objects.get_or_create(
                user=user, organisation=team.organisation, role=_team_role(role)
            )
    member = TeamMember(team=team, user=user, membership=membership, full_name=full_name, role=role)
    member.full_clean()
    member.save()
    team_counts_add(commune_id=team.commune_id, province_id=team.province_id, members=1)
    audit_created(member, "outreach.member.added", by=actor)
    return member


@transaction.atomic
def team_member_deactivate(*, actor: Actor, member: TeamMember) -> TeamMember:
    """A member who left: their sessions stay, their device tokens stop at once."""
    ensure_can(actor, "outreach.manage_team", member.team.organisation)
    # Conditional update: only the call that actually deactivates moves the commune's count.
    was_active = TeamMember.objects.filter(pk=member.pk, is_active=True).update(is_active=False)
    member.is_active = False
    member.save(update_fields=["is_active", "updated_at"])
    if was_active:
        team = member.team
        team_counts_add(commune_id=team.commune_id, province_id=team.province_id, members=-1)
    if member.membership_id:
        ApiToken.objects.filter(membership_id=member.membership_id, revoked_at=None).update(
            revoked_at=timezone.now()
        )
    audit(member, "outreach.member.deactivated", by=actor, changes={"is_active": [True, False]})
    return member


def _device_membership(actor: Actor, member: TeamMember) -> Membership:
    """The membership a device token acts for: the member's own, else one granted now to the
    linked account, else a password-less account created for a name-only member's phone. The
    account and the role are written by the orgs services (validation, audit, checks)."""
    if member.membership_id is not None:
        return member.membership
    organisation, role = member.team.organisation, _team_role(member.role)
    user = member.user
    if user is None:
        user = user_create(
            by=actor,
            username=f"thiet-bi-{member.team_id}-{member.pk}",
            full_name=member.full_name,
            organisation=organisation,
            role=role,
            action="outreach.manage_team",
        )
        membership = Membership.objects.get(user=user, organisation=organisation, role=role)
    else:
        membership = membership_grant(
            by=actor, user=user, organisation=organisation, role=role,
            action="outreach.manage_team",
        )  # fmt: skip
    member.user, member.membership = user, membership
    member.save(update_fields=["user", "membership", "updated_at"])
    return membership


@transaction.atomic
def device_token_issue(
    *, actor: Actor, member: TeamMember, label: str = ""
) -> tuple[str, ApiToken]:
    """A token for one member's phone. The plain token is returned once; only its hash is kept."""
    ensure_can(actor, "outreach.manage_team", member.team.organisation)
    if not member.is_active:
        raise DomainError(
            _("Thành viên này đã ngừng hoạt động, không cấp token được."), code="inactive"
        )
    if member.user_id is not None:
        # An account linked before linking was checked must not lend its powers to a phone.
        ensure_account_manageable(by=actor, user=member.user, field="member")
    membership = _device_membership(actor, member)
    token, raw = api_token_issue(
        by=actor,
        user=membership.user,
        membership=membership,
        label=nfc(label).strip()[:100] or _("Điện thoại của %(name)s") % {"name": member.full_name},
        is_device=True,
        action="outreach.manage_team",
    )
    return raw, token


@transaction.atomic
def device_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    organisation = token.membership.organisation if token.membership_id else None
    if organisation is None or organisation.kind != Organisation.Kind.COMMUNITY_TEAM:
        raise NotFound()
    ensure_can(actor, "outreach.manage_team", organisation)
    return api_token_revoke(by=actor, token=token, action="outreach.manage_team")


_DEVICE_ID = re.compile(r"^[A-Za-z0-9-]{8,36}$")


def _member_for_account(actor: Actor) -> None:
    """An account that holds a role at the team node but is not on the team's list yet (given
    its role through the unit pages, not the team page) is added as itself, so the field app's
    "Người hướng dẫn" defaults to the person signed in rather than to someone else."""
    team = CommunityTeam.objects.filter(organisation=actor.membership.organisation).first()
    if team is None or TeamMember.objects.filter(team=team, user=actor.user).exists():
        return
    role = TeamMember.Role.MEMBER
    leads = actor.membership.role == Role.TEAM_LEADER
    if leads and not team.members.filter(role=TeamMember.Role.LEADER, is_active=True).exists():
        role = TeamMember.Role.LEADER
    team_member_add(actor=None, team=team, full_name="", role=role, user=actor.user)


@transaction.atomic
def token_issue_for_self(*, actor: Actor, device: str = "") -> tuple[str, ApiToken]:
    """A signed-in team member exchanges their session for a token on this phone.

    One token per account, membership and phone: the phone sends the random id it keeps
    (`device`), which names the token ("… · thiết bị 1a2b3c4d"); signing in again on that phone
    rotates the same row (a new secret, the old one stops at once) instead of piling up another
    token. A phone without an id shares the plain label, so its previous token is rotated too.
    """
    membership = actor.membership
    if (
        membership is None
        or membership.organisation.kind != Organisation.Kind.COMMUNITY_TEAM
        or not actor.has_action("outreach.log")
    ):
        raise DomainError(
            _("Chỉ thành viên tổ công nghệ số cộng đồng mới dùng được ứng dụng ghi nhận."),
            code="not_team_member",
            status=403,
        )
    _member_for_account(actor)
    label = _("Ứng dụng ghi nhận (tự cấp)")
    device = (device or "").strip()
    if _DEVICE_ID.match(device):
        label = _("%(label)s · thiết bị %(device)s") % {"label": label, "device": device[:8]}
    mine = ApiToken.objects.select_for_update().filter(
        user=actor.user,
        membership=membership,
        issued_by=actor.user,
        is_device=True,
        label=label,
        revoked_at__isnull=True,
    )
    token = mine.order_by("-pk").first()
    if token is None:
        token, raw = api_token_issue(
            by=actor, user=actor.user, membership=membership, label=label, is_device=True
        )
        return raw, token
    # Older duplicates of this phone's token (from before rotation existed) stop as well.
    for old in mine.exclude(pk=token.pk):
        api_token_revoke(token=old, by=actor)
    raw, hashed = token_generate()
    token.key_hash, token.prefix, token.last_used_at = hashed, raw[4:12], None
    token.full_clean()
    token.save(update_fields=["key_hash", "prefix", "last_used_at", "updated_at"])
    audit(token, "orgs.api_token.rotated", by=actor, changes={"label": [label, label]})
    return raw, token


@transaction.atomic
def target_set(
    *, actor: Actor | None, campaign: Campaign, committee: Organisation, households: int,
    accounts: int,
) -> CommuneTarget:  # fmt: skip
    """Set (or change) a commune's target for a campaign."""
    if actor is not None:
        ensure_can(actor, "outreach.manage", committee)
    if committee.commune_id is None:
        raise DomainError(_("Chỉ tiêu được giao cho xã, phường."), code="not_a_commune")
    for field_name, value in (("households", households), ("accounts", accounts)):
        if value is None or value < 0:
            raise DomainError(_("Chỉ tiêu phải là số không âm."), code="invalid", field=field_name)
    target = CommuneTarget.objects.filter(
        campaign=campaign, commune_id=committee.commune_id
    ).first()
    if target is None:
        target = CommuneTarget(
            campaign=campaign,
            commune_id=committee.commune_id,
            province_id=committee.commune.province_id,
            households=households,
            accounts=accounts,
        )
        target.full_clean()
        target.save()
        audit_created(target, "outreach.target.set", by=actor)
        return target
    changes = {}
    if target.households != households:
        changes["households"] = [target.households, households]
    if target.accounts != accounts:
        changes["accounts"] = [target.accounts, accounts]
    target.households, target.accounts = households, accounts
    target.full_clean()
    target.save(update_fields=["households", "accounts", "updated_at"])
    if changes:
        audit(target, "outreach.target.set", by=actor, changes=changes)
    return target
