"""Every write to organisations, accounts, memberships and tokens: validated, audited, atomic."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dxday.core.audit import audit, audit_created, diff, snapshot
from dxday.core.errors import DomainError, clean_or_raise
from dxday.core.text import nfc, search_key

from .auth import token_generate
from .models import ApiToken, Commune, Membership, Organisation, Province, Role, User
from .permissions import Actor, ensure_can
from .signals import organisations_created

ORG_EDITABLE_FIELDS = ("name", "short_name", "kind", "email", "is_active", "province", "commune")
_TREE_FIELDS = ("path", "depth", "numchild")  # treebeard fills them in add_root / add_child
_DERIVED_FIELDS = ("search_key", "name_sort")  # computed from the name in save()


def notify_organisations_created(orgs: list[Organisation]) -> None:
    """Send `organisations_created` once the surrounding transaction has committed."""
    orgs = list(orgs)
    transaction.on_commit(
        lambda: organisations_created.send(sender=Organisation, organisations=orgs)
    )


def organisation_code_suggest(name: str) -> str:
    """A free slug from a Vietnamese name: "Sở Tài chính Đà Nẵng" → "so-tai-chinh-da-nang"."""
    base = slugify(search_key(name))[:56].strip("-") or "don-vi"
    code, n = base, 1
    while Organisation.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


@transaction.atomic
def organisation_create(
    *,
    by: Actor | None,
    parent: Organisation | None,
    code: str,
    name: str,
    kind: str,
    short_name: str = "",
    email: str = "",
    province: Province | None = None,
    commune: Commune | None = None,
    notify: bool = True,
) -> Organisation:
    """Add a unit under `parent` (a root only for operators).

    `notify=False` lets a bulk caller send one `organisations_created` for all its units.
    `by=None` is a system call (another app's service that checked its own permission, a
    loader): no permission check, audited without an actor.
    """
    if parent is None:
        if by is None or not by.is_operator:
            raise DomainError(
                _("Chỉ quản trị hệ thống được tạo đơn vị cấp cao nhất."),
                code="forbidden",
                status=403,
            )
    elif by is not None:
        ensure_can(by, "orgs.manage", parent)
    code = nfc(code).lower() or organisation_code_suggest(name)
    if Organisation.objects.filter(code=code).exists():
        raise DomainError(
            _("Mã đơn vị “%(code)s” đã được dùng.") % {"code": code},
            code="duplicate_code",
            field="code",
            status=409,
        )
    if province is None and parent is not None:
        province = parent.province
    org = Organisation(
        code=code,
        name=nfc(name),
        short_name=nfc(short_name),
        kind=kind,
        email=nfc(email),
        province=province,
        commune=commune,
    )
    clean_or_raise(org, exclude=[*_TREE_FIELDS, *_DERIVED_FIELDS])
    if parent is None:
        org = Organisation.objects.add_root(instance=org)
    else:
        # Lock and re-read the parent: treebeard computes the new path from its numchild and
        # last child, so two children added at once would otherwise take the same path.
        parent = Organisation.objects.lock(parent.pk)
        org = Organisation.objects.add_child(parent, instance=org)
    audit_created(org, "orgs.organisation.created", by=by)
    if notify:
        notify_organisations_created([org])
    return org


@transaction.atomic
def organisation_update(*, by: Actor, organisation: Organisation, **fields) -> Organisation:
    """Change a unit's editable fields (not its code or place in the tree)."""
    ensure_can(by, "orgs.manage", organisation)
    unknown = set(fields) - set(ORG_EDITABLE_FIELDS)
    if unknown:
        raise DomainError(
            _("Không sửa được trường: %(f)s.") % {"f": ", ".join(sorted(unknown))},
            code="invalid_field",
        )
    before = snapshot(organisation)
    for key, value in fields.items():
        setattr(organisation, key, nfc(value) if isinstance(value, str) else value)
    clean_or_raise(organisation, exclude=[*_TREE_FIELDS, *_DERIVED_FIELDS])
    organisation.save()
    changes = diff(before, organisation)
    if changes:
        audit(organisation, "orgs.organisation.updated", by=by, changes=changes)
    return organisation


@transaction.atomic
def user_create(
    *,
    by: Actor,
    username: str,
    full_name: str,
    email: str = "",
    phone: str = "",
    password: str | None = None,
    organisation: Organisation | None = None,
    role: str | None = None,
    action: str = "orgs.manage",
) -> User:
    """Create an account, optionally with a first role at `organisation`.

    Without a password the account cannot sign in until an operator sets one.
    """
    if organisation is None:
        if not by.is_operator:
            raise DomainError(
                _("Tài khoản mới phải thuộc một đơn vị bạn quản lý."),
                code="organisation_required",
                field="organisation",
            )
    else:
        ensure_can(by, action, organisation)
    username = nfc(username)
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(
            _("Tên đăng nhập “%(u)s” đã có người dùng.") % {"u": username},
            code="duplicate_username",
            field="username",
            status=409,
        )
    user = User(username=username, full_name=nfc(full_name), email=nfc(email), phone=nfc(phone))
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError(
                " ".join(exc.messages), code="weak_password", field="password"
            ) from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    clean_or_raise(user)
    user.save()
    audit_created(user, "orgs.user.created", by=by)
    if organisation is not None and role:
        membership_grant(by=by, user=user, organisation=organisation, role=role, action=action)
    return user


def account_manageable_by(actor: Actor, user: User) -> bool:
    """May `actor` attach this existing account to a node (give it a role, link it)?

    Only an account wholly inside what the actor manages: not an operator or staff account,
    and every one of its memberships in the actor's subtree. Operators may link any account.
    An account with no membership yet (just created) is manageable by whoever creates it.
    """
    if actor.is_operator:
        return True
    if user.is_superuser or user.is_staff or actor.subtree_path is None:
        return False
    return (
        not Membership.objects.filter(user=user)
        .exclude(organisation__path__startswith=actor.subtree_path)
        .exists()
    )


def _no_manageable_account(username: str, field: str) -> DomainError:
    # The same sentence for an account that does not exist and one outside the actor's
    # subtree, so that nobody can probe which usernames exist elsewhere.
    return DomainError(
        _(
            "Không có tài khoản “%(u)s” trong phạm vi đơn vị bạn quản lý. Hãy kiểm tra tên "
            "đăng nhập, hoặc dùng một tên khác để tạo tài khoản mới."
        )
        % {"u": username},
        code="account_not_manageable",
        field=field,
        status=403,
    )


def ensure_account_manageable(*, by: Actor, user: User, field: str = "username") -> None:
    """Refuse, with a sentence, to attach an account the actor may not manage."""
    if not account_manageable_by(by, user):
        raise _no_manageable_account(user.username, field)


@transaction.atomic
def membership_grant_by_username(
    *, by: Actor, username: str, organisation: Organisation, role: str
) -> Membership:
    """The "give an existing account a role" form: unknown and unmanageable accounts are
    refused with one and the same sentence."""
    ensure_can(by, "orgs.manage", organisation)
    user = User.objects.filter(username__iexact=username.strip()).first()
    if user is None:
        raise _no_manageable_account(username.strip(), "username")
    return membership_grant(by=by, user=user, organisation=organisation, role=role)


@transaction.atomic
def membership_grant(
    *,
    by: Actor,
    user: User,
    organisation: Organisation,
    role: str,
    action: str = "orgs.manage",
) -> Membership:
    """Give `user` a role at `organisation` (and so over its subtree). Idempotent.

    `action` is what the granter must hold there: coordinators use "orgs.manage"; outreach
    lets a team leader add members with its own action.
    """
    ensure_can(by, action, organisation)
    if role not in Role.values:
        raise DomainError(_("Vai trò không hợp lệ."), code="invalid_role", field="role")
    ensure_account_manageable(by=by, user=user)
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role
    )
    if created:
        audit(
            membership,
            "orgs.membership.granted",
            by=by,
            changes={
                "user_id": [None, user.pk],
                "organisation_id": [None, organisation.pk],
                "role": [None, role],
            },
        )
    return membership


@transaction.atomic
def membership_revoke(*, by: Actor, membership: Membership, action: str = "orgs.manage") -> None:
    ensure_can(by, action, membership.organisation)
    audit(
        membership,
        "orgs.membership.revoked",
        by=by,
        changes={
            "user_id": [membership.user_id, None],
            "organisation_id": [membership.organisation_id, None],
            "role": [membership.role, None],
        },
    )
    # Device tokens that act for this membership stop with it.
    ApiToken.objects.filter(membership=membership, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    membership.delete()


@transaction.atomic
def api_token_issue(
    *,
    by: Actor,
    user: User,
    label: str = "",
    membership: Membership | None = None,
    is_device: bool = False,
    action: str = "orgs.manage",
) -> tuple[ApiToken, str]:
    """Issue a bearer token and return it with the plain value (shown once, stored hashed).

    A user may always issue tokens for themselves. Issuing for someone else (a device token a
    team leader hands to a member's phone) needs `action` at the membership's organisation,
    and the token then acts for that one membership only.
    """
    if membership is not None and membership.user_id != user.pk:
        raise DomainError(
            _("Vai trò không thuộc người dùng này."), code="invalid_membership", field="membership"
        )
    if user.pk != by.user.pk:
        if membership is None:
            raise DomainError(
                _("Token cấp cho người khác phải gắn với một vai trò của họ."),
                code="membership_required",
                field="membership",
            )
        ensure_can(by, action, membership.organisation)
    raw, hashed = token_generate()
    token = ApiToken(
        user=user,
        membership=membership,
        key_hash=hashed,
        prefix=raw[4:12],
        label=nfc(label)[:100],
        is_device=is_device,
        issued_by=by.user if by.user.pk else None,
    )
    token.full_clean()
    token.save()
    audit(
        token,
        "orgs.api_token.issued",
        by=by,
        changes={
            "user_id": [None, user.pk],
            "label": [None, token.label],
            "is_device": [None, is_device],
        },
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, by: Actor, token: ApiToken, action: str = "orgs.manage") -> ApiToken:
    """Revoke a token at once. Its owner, its issuer, or whoever holds `action` over the
    membership it acts for may do it. Revoking twice is harmless."""
    own = token.user_id == by.user.pk or (token.issued_by_id and token.issued_by_id == by.user.pk)
    if not own and not by.is_operator:
        if token.membership is None:
            raise DomainError(_("Bạn không được thu hồi token này."), code="forbidden", status=403)
        ensure_can(by, action, token.membership.organisation)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit(
            token, "orgs.api_token.revoked", by=by, changes={"revoked_at": [None, token.revoked_at]}
        )
    return token


def api_token_obtain(*, request, username: str, password: str, label: str = "") -> str:
    """Exchange a username and password for a new token (POST /auth/token).

    Failed attempts are throttled (orgs/throttle.py): a locked-out caller gets 429 from the
    axes middleware instead of this 401, whether or not the account exists.
    """
    user = authenticate(request, username=nfc(username), password=password)
    if user is None:
        raise DomainError(
            _("Tên đăng nhập hoặc mật khẩu không đúng."), code="invalid_credentials", status=401
        )
    if user.must_change_password:
        raise DomainError(
            _("Mật khẩu của bạn vừa được đặt lại. Hãy đăng nhập trên trang web và đổi sang mật "
              "khẩu của riêng bạn trước khi lấy token."),
            code="password_change_required",
            status=403,
        )  # fmt: skip
    _token, raw = api_token_issue(
        by=Actor(user=user, membership=None), user=user, label=label or "api"
    )
    return raw


@transaction.atomic
def user_password_reset(*, by: Actor, user: User, password: str) -> User:
    """An operator sets a new password for an official, who must change it at next sign-in.

    The tokens the person obtained for themselves stop (whoever knew the old password may hold
    one); device tokens a leader issued for a team phone keep working.
    """
    if not by.is_operator:
        raise DomainError(
            _("Chỉ quản trị viên hệ thống mới được đặt lại mật khẩu cho người khác."),
            code="forbidden",
            status=403,
        )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="weak_password", field="password") from exc
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    revoked = ApiToken.objects.filter(
        user=user, issued_by=user, is_device=False, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    audit(
        user,
        "orgs.user.password_reset",
        by=by,
        changes={"must_change_password": [False, True], "tokens_revoked": [None, revoked]},
    )
    return user


@transaction.atomic
def user_password_changed(*, user: User) -> None:
    """The person chose their own password: the forced change is done."""
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
