"""Door-to-door campaign: community teams, their members, guidance sessions and roll-ups.

Design notes (see also services.py):

- A `CommunityTeam` is mirrored as an `Organisation` node of kind ``community_team`` under its
  commune committee. The one permission policy (a role at a node applies to its subtree) then
  covers teams with no special case: a team leader holds TEAM_LEADER at the team's node, a
  member TEAM_MEMBER there, a device token acts for that membership, and a commune or
  provincial coordinator sees the team because the node lies in their subtree.
- Per-topic figures of a session live in a child table (`SessionTopic`), not in a JSON column:
  the rebuild of the roll-ups is then a portable GROUP BY (no json_each / jsonb_each per
  database), the database itself enforces "outcome ≤ people guided" with a CHECK, and the
  ingest pays one extra multi-row INSERT per batch, which is cheap.
- Roll-up tables are keyed by (campaign, commune, day[, topic]) and carry the province, so that
  every dashboard is an indexed range read of a few thousand rows, never a scan of sessions.
- No citizen's ID number or phone is stored anywhere: sessions carry counts only and, when the
  field app sends a household reference, its HMAC-SHA256 under HOUSEHOLD_SALT (`household_hash`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dxday.core.models import TimeStampedModel
from dxday.orgs.models import Commune, Membership, Organisation, Province
from dxday.plans.models import Campaign


class Topic(models.Model):
    """What a household was guided through; each topic names the one outcome it counts."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("nội dung hướng dẫn"), max_length=200)
    outcome_label = models.CharField(_("kết quả được đếm"), max_length=200)
    # Outcomes of such topics count as "accounts activated" against the commune target.
    counts_as_activation = models.BooleanField(_("tính là tài khoản được kích hoạt"), default=False)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("nội dung hướng dẫn")
        verbose_name_plural = _("danh mục nội dung hướng dẫn")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class CommunityTeam(TimeStampedModel):
    """Tổ công nghệ số cộng đồng: one per village or residential group."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="team"
    )
    committee = models.ForeignKey(
        Organisation,
        verbose_name=_("UBND xã, phường"),
        on_delete=models.PROTECT,
        related_name="community_teams",
    )
    commune = models.ForeignKey(Commune, verbose_name=_("xã, phường"), on_delete=models.PROTECT)
    province = models.ForeignKey(Province, verbose_name=_("tỉnh"), on_delete=models.PROTECT)
    village = models.CharField(_("thôn, tổ dân phố"), max_length=150)
    name = models.CharField(_("tên tổ"), max_length=255)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("tổ công nghệ số cộng đồng")
        verbose_name_plural = _("tổ công nghệ số cộng đồng")
        ordering = ["commune_id", "village", "id"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "village"], name="team_unique_village")
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(TimeStampedModel):
    class Role(models.TextChoices):
        LEADER = "leader", _("Tổ trưởng")
        DEPUTY = "deputy", _("Tổ phó")
        MEMBER = "member", _("Tổ viên")

    team = models.ForeignKey(CommunityTeam, on_delete=models.CASCADE, related_name="members")
    # A member may have an account (and a membership at the team's node) or be a name only.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    full_name = models.CharField(_("họ và tên"), max_length=150)
    role = models.CharField(_("vai trò"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("thành viên tổ")
        verbose_name_plural = _("thành viên tổ")
        ordering = ["team_id", "role", "full_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team"],
                condition=Q(role="leader", is_active=True),
                name="team_one_leader",
            ),
            models.UniqueConstraint(
                fields=["team"],
                condition=Q(role="deputy", is_active=True),
                name="team_one_deputy",
            ),
            models.UniqueConstraint(
                fields=["team", "user"], condition=Q(user__isnull=False), name="team_member_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


class CommuneTarget(TimeStampedModel):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey(Commune, verbose_name=_("xã, phường"), on_delete=models.PROTECT)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    households = models.PositiveIntegerField(_("số hộ cần đến"))
    accounts = models.PositiveIntegerField(_("số tài khoản cần kích hoạt"))

    class Meta:
        verbose_name = _("chỉ tiêu của xã")
        verbose_name_plural = _("chỉ tiêu của xã")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "commune"], name="target_unique_commune")
        ]

    def __str__(self) -> str:
        return f"{self.commune} — {self.campaign}"


class GuidanceSession(models.Model):
    """One visit: counts only. Written by `sessions_ingest` alone (set-based, idempotent)."""

    # The idempotency key, generated on the phone. Unique: a resend never counts twice.
    client_id = models.UUIDField(unique=True)
    # SHA-256 of the normalised content: a resend with different content is a conflict.
    content_hash = models.CharField(max_length=64)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(CommunityTeam, on_delete=models.PROTECT, related_name="sessions")
    member = models.ForeignKey(TeamMember, on_delete=models.PROTECT, related_name="sessions")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField(_("thời điểm"))
    day = models.DateField(_("ngày"))  # local date of occurred_at (Asia/Ho_Chi_Minh)
    households_visited = models.PositiveIntegerField(_("số hộ đã đến"))
    people_guided = models.PositiveIntegerField(_("số người được hướng dẫn"))
    household_hash = models.CharField(max_length=64, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(_("nhận lúc"))

    class Meta:
        verbose_name = _("lượt hướng dẫn")
        verbose_name_plural = _("lượt hướng dẫn")
        indexes = [models.Index(fields=["team", "occurred_at"], name="session_team_time")]

    def __str__(self) -> str:
        return str(self.client_id)


class _Row(models.Model):
    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} #{self.pk}"


class SessionTopic(_Row):
    session = models.ForeignKey(GuidanceSession, on_delete=models.CASCADE, related_name="topics")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")
    people_guided = models.PositiveIntegerField()
    outcome = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "topic"], name="session_topic_once"),
            models.CheckConstraint(
                condition=Q(outcome__lte=F("people_guided")), name="topic_outcome_le_people"
            ),
        ]


# --- Roll-ups (maintained by services.rollups_apply, rebuilt by rollups_rebuild) -------------


class CommuneDayStat(_Row):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sessions = models.PositiveIntegerField(default=0)
    households_visited = models.PositiveBigIntegerField(default=0)
    people_guided = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "commune", "day"], name="communedaystat_key"
            )
        ]
        indexes = [models.Index(fields=["campaign", "province", "day"], name="cds_prov_day")]


class CommuneDayTopicStat(_Row):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    sessions = models.PositiveIntegerField(default=0)
    people_guided = models.PositiveBigIntegerField(default=0)
    outcome = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "commune", "day", "topic"], name="communedaytopicstat_key"
            )
        ]
        indexes = [models.Index(fields=["campaign", "province", "topic"], name="cdts_prov_topic")]


class CommuneTopicStat(_Row):
    """CommuneDayTopicStat without the day: the campaign's figures per commune and topic (at
    most communes × topics rows, whatever the number of sessions), read by the report."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    sessions = models.PositiveIntegerField(default=0)
    people_guided = models.PositiveBigIntegerField(default=0)
    outcome = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "commune", "topic"], name="communetopicstat_key"
            )
        ]
        indexes = [models.Index(fields=["campaign", "province", "topic"], name="cts_prov_topic")]


class CommuneStat(_Row):
    """Totals of one commune in one campaign (progress against its target)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    sessions = models.PositiveIntegerField(default=0)
    households_visited = models.PositiveBigIntegerField(default=0)
    people_guided = models.PositiveBigIntegerField(default=0)
    accounts_activated = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "commune"], name="communestat_key")
        ]
        indexes = [models.Index(fields=["campaign", "province"], name="cs_prov")]


class TeamStat(_Row):
    """Totals of one team in one campaign; a team without a row has logged nothing."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(CommunityTeam, on_delete=models.CASCADE, related_name="stats")
    sessions = models.PositiveIntegerField(default=0)
    households_visited = models.PositiveBigIntegerField(default=0)
    people_guided = models.PositiveBigIntegerField(default=0)
    last_occurred_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "team"], name="teamstat_key")]


class ProvinceDayStat(_Row):
    """CommuneDayStat summed per province: the national dashboards read a few hundred rows."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sessions = models.PositiveIntegerField(default=0)
    households_visited = models.PositiveBigIntegerField(default=0)
    people_guided = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "province", "day"], name="provincedaystat_key"
            )
        ]


class ProvinceDayTopicStat(_Row):
    """CommuneDayTopicStat summed per province."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    sessions = models.PositiveIntegerField(default=0)
    people_guided = models.PositiveBigIntegerField(default=0)
    outcome = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "province", "day", "topic"], name="provincedaytopicstat_key"
            )
        ]


class CommuneTeamStat(_Row):
    """Active teams and active members of one commune (kept by the team and member services)."""

    commune = models.OneToOneField(Commune, on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    teams = models.IntegerField(default=0)
    members = models.IntegerField(default=0)
