from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager

from dxday.core.models import TimeStampedModel
from dxday.core.text import nfc, search_key, sort_text

# Room for `sort_text` of a whole name: three characters per letter, plus one.
NAME_SORT_LENGTH = {100: 301, 255: 766}


class NameKeysManager(models.Manager):
    """`bulk_create` fills the derived name keys as `save()` does (it does not call `save()`)."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.fill_name_keys()
        return super().bulk_create(objs, *args, **kwargs)


class DivisionType(models.TextChoices):
    TINH = "tinh", _("tỉnh")
    THANH_PHO_TRUNG_UONG = "thanh_pho_trung_uong", _("thành phố trực thuộc trung ương")
    XA = "xa", _("xã")
    PHUONG = "phuong", _("phường")
    DAC_KHU = "dac_khu", _("đặc khu")


class Province(models.Model):
    """A province-level unit (34 since 1/7/2025), loaded from `vietnam-provinces`."""

    code = models.CharField(_("mã"), max_length=2, primary_key=True)  # "38" (zero-padded: "01")
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại"), max_length=30, choices=DivisionType.choices)
    codename = models.CharField(max_length=100)
    search_key = models.CharField(max_length=100, db_index=True, editable=False)
    # Vietnamese alphabetical order (core.text.sort_text): order lists of names by this.
    name_sort = models.CharField(max_length=NAME_SORT_LENGTH[100], db_index=True, editable=False)

    objects = NameKeysManager()

    class Meta:
        verbose_name = _("tỉnh, thành phố")
        verbose_name_plural = _("tỉnh, thành phố")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.fill_name_keys()
        super().save(*args, **kwargs)

    def fill_name_keys(self) -> None:
        self.search_key = search_key(self.name)
        self.name_sort = sort_text(self.name)


class Commune(models.Model):
    """A commune-level unit (xã, phường, đặc khu; 3,321 since 1/7/2025)."""

    code = models.CharField(_("mã"), max_length=5, primary_key=True)  # "16279"
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại"), max_length=30, choices=DivisionType.choices)
    codename = models.CharField(max_length=100)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="communes")
    search_key = models.CharField(max_length=100, db_index=True, editable=False)
    name_sort = models.CharField(max_length=NAME_SORT_LENGTH[100], db_index=True, editable=False)

    objects = NameKeysManager()

    class Meta:
        verbose_name = _("xã, phường, đặc khu")
        verbose_name_plural = _("xã, phường, đặc khu")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.fill_name_keys()
        super().save(*args, **kwargs)

    def fill_name_keys(self) -> None:
        self.search_key = search_key(self.name)
        self.name_sort = sort_text(self.name)


class OrganisationManager(NameKeysManager, MP_NodeManager):
    def lock(self, pk: int) -> Organisation:
        """The node re-read inside the current transaction with a row lock (SELECT … FOR
        UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction already holds the write
        lock), so children added under it one at a time each see the last one's path."""
        return self.select_for_update().get(pk=pk)


class Organisation(MP_Node, TimeStampedModel):
    """A unit in the reporting tree: the national coordinator at the root, then ministries and
    provincial committees, then departments, communes, press...

    Tree technique: materialized path (django-treebeard MP_Node). Every node stores the path of
    its ancestors ("0001000300A7"), so "this unit and everything under it" is one indexed
    prefix scan (`path LIKE '00010003%'`, with Django's varchar_pattern_ops index on
    PostgreSQL) that also works as a join condition for other tables (activities, sessions,
    assignments of a subtree). At ~10,000 mostly-static units reads dominate: nested sets make
    inserts rewrite half the table, adjacency lists need recursive CTEs on every permission
    check, and ltree is PostgreSQL-only while SQLite is our embedded default. Measured on
    PostgreSQL with 10,000 units: a province's subtree by prefix is ~6x faster than the same
    subtree by a recursive CTE over an indexed parent column. Paths are plain strings, so bulk
    loads compute them directly (orgs/areas.py) instead of calling add_child per node.
    """

    class Kind(models.TextChoices):
        NATIONAL = "national", _("Cơ quan điều phối quốc gia")
        MINISTRY = "ministry", _("Bộ, ngành")
        PROVINCE = "province", _("UBND tỉnh, thành phố")
        DEPARTMENT = "department", _("Sở, ban, ngành cấp tỉnh")
        COMMUNE = "commune", _("UBND xã, phường, đặc khu")
        PRESS = "press", _("Cơ quan báo chí")
        ASSOCIATION = "association", _("Hội, hiệp hội")
        ENTERPRISE = "enterprise", _("Doanh nghiệp")
        YOUTH_UNION = "youth_union", _("Đoàn Thanh niên")
        COMMUNITY_TEAM = "community_team", _("Tổ công nghệ số cộng đồng")

    steplen = 4
    node_order_by = None

    code = models.SlugField(_("mã đơn vị"), max_length=64, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=Kind.choices, db_index=True)
    province = models.ForeignKey(
        Province, verbose_name=_("tỉnh"), null=True, blank=True, on_delete=models.PROTECT
    )
    commune = models.ForeignKey(
        Commune, verbose_name=_("xã"), null=True, blank=True, on_delete=models.PROTECT
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    search_key = models.CharField(max_length=255, db_index=True, editable=False)
    # Vietnamese alphabetical order of the name (core.text.sort_text).
    name_sort = models.CharField(max_length=NAME_SORT_LENGTH[255], db_index=True, editable=False)

    objects = OrganisationManager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        # The direct children of a node (`depth = d + 1 AND path LIKE 'p%'`: every report's
        # units) without reading the ~90,000-node subtree at the national level (96 → 0.2 ms).
        indexes = [models.Index(fields=["depth", "path"], name="org_depth_path")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.fill_name_keys()
        super().save(*args, **kwargs)

    def fill_name_keys(self) -> None:
        self.name = nfc(self.name)
        self.search_key = search_key(f"{self.name} {self.short_name} {self.code}")
        self.name_sort = sort_text(self.name)

    def is_within(self, other: Organisation) -> bool:
        """Is this unit `other` itself or under it?"""
        return self.path.startswith(other.path)

    @property
    def parent_id_path(self) -> str:
        return self.path[: -self.steplen]


class User(AbstractUser):
    """A person. What they may do comes from their memberships, never from the user row."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    # Set when an operator resets the password: every page leads to the password change until
    # the person chooses their own (orgs.middleware.PasswordChangeRequiredMiddleware).
    must_change_password = models.BooleanField(_("phải đổi mật khẩu"), default=False)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Điều phối")
    REPORTER = "reporter", _("Báo cáo viên")
    VIEWER = "viewer", _("Người xem")
    MODERATOR = "moderator", _("Kiểm duyệt viên")
    TEAM_LEADER = "team_leader", _("Tổ trưởng tổ CNSCĐ")
    TEAM_MEMBER = "team_member", _("Tổ viên tổ CNSCĐ")
    CHECKIN_STAFF = "checkin_staff", _("Nhân viên điểm danh")
    JUROR = "juror", _("Giám khảo")


class Membership(TimeStampedModel):
    """A role held at a node applies to the node's whole subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("vai trò tại đơn vị")
        verbose_name_plural = _("vai trò tại đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.organisation}"


class ApiToken(TimeStampedModel):
    """A bearer token. Only its SHA-256 is stored; the plain token is shown once.

    A device token is issued by a team leader to a member's phone and acts for one
    membership only; revoking it stops that phone at once.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.CASCADE, related_name="tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    label = models.CharField(_("nhãn"), max_length=100, blank=True)
    is_device = models.BooleanField(_("token thiết bị"), default=False)
    issued_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
