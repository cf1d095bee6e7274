"""Response activities with figures and evidence, state-management areas, and offers."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxday.core.models import TimeStampedModel
from dxday.orgs.models import Commune, Organisation, Province
from dxday.plans.models import Assignment, Campaign, Indicator


class ActivityType(models.TextChoices):
    COMMUNICATION = "communication", _("Tin, bài, video, truyền thông")
    EVENT = "event", _("Hội thảo, tọa đàm, sự kiện")
    RADIO = "radio", _("Truyền thanh cơ sở")
    LEARNING = "learning", _("Ngày hội học tập số, lớp học số")
    DOOR_TO_DOOR = "door_to_door", _("Đi từng ngõ, gõ từng nhà")
    INITIATIVE = "initiative", _("Sáng kiến, mô hình")
    CONTEST = "contest", _("Cuộc thi")
    OTHER = "other", _("Khác")


# The indicators a report of each type asks for when no task names its own (a free-standing
# activity): the form shows these, not the whole catalogue. A part's total is added by
# `type_indicator_codes`, so "part ≤ total" can always be checked.
TYPE_INDICATORS: dict[str, tuple[str, ...]] = {
    ActivityType.COMMUNICATION: (
        "articles", "videos", "social-posts", "people-reached", "visual-displays",
    ),
    ActivityType.EVENT: ("events", "event-participants", "event-participants-online"),
    ActivityType.RADIO: ("radio-broadcasts", "people-reached"),
    ActivityType.LEARNING: (
        "classes", "learners", "officials-trained", "bhvs-enrolments", "bhvs-completions",
    ),
    ActivityType.DOOR_TO_DOOR: (
        "teams", "team-members", "households-visited", "people-guided", "vneid-level2",
        "people-guided-public-services", "applications-filed", "cashless-accounts",
        "ecommerce-accounts", "digital-safety-guided",
    ),
    ActivityType.INITIATIVE: (
        "public-services-promoted", "sectors-chosen", "procedures-end-to-end",
        "procedures-location-independent", "offers-published",
    ),
    ActivityType.CONTEST: ("contest-participants", "contest-attempts"),
    ActivityType.OTHER: ("people-reached", "events", "event-participants"),
}  # fmt: skip


class Activity(TimeStampedModel):
    """What a unit did, reported against one of its assignments or on its own initiative.

    draft → submitted → accepted (locked, published) | returned (with a reason) → submitted…
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        SUBMITTED = "submitted", _("Chờ duyệt")
        ACCEPTED = "accepted", _("Đã duyệt")
        RETURNED = "returned", _("Bị trả lại")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("chiến dịch"), on_delete=models.PROTECT, related_name="activities"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị báo cáo"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("nhiệm vụ được giao"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    sector = models.ForeignKey(
        "Sector",
        verbose_name=_("lĩnh vực quản lý nhà nước"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    title = models.CharField(_("tên hoạt động"), max_length=300)
    type = models.CharField(
        _("loại hoạt động"), max_length=20, choices=ActivityType.choices, db_index=True
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    province = models.ForeignKey(
        Province, verbose_name=_("tỉnh, thành phố"), null=True, blank=True, on_delete=models.PROTECT
    )
    commune = models.ForeignKey(
        Commune, verbose_name=_("xã, phường"), null=True, blank=True, on_delete=models.PROTECT
    )
    is_online = models.BooleanField(_("trực tuyến"), default=False)
    description = models.TextField(_("mô tả"), blank=True)
    links = models.TextField(_("đường dẫn"), blank=True, help_text=_("Mỗi dòng một đường dẫn."))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_published = models.BooleanField(_("công khai"), default=False, db_index=True)
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True)
    search_key = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("hoạt động hưởng ứng")
        verbose_name_plural = _("hoạt động hưởng ứng")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="activity_date_order"
            )
        ]
        indexes = [
            models.Index(fields=["is_published", "campaign", "-starts_on"]),
            models.Index(fields=["organisation", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Ngày kết thúc không được trước ngày bắt đầu.")})
        if self.commune_id and self.province_id and self.commune.province_id != self.province_id:
            raise ValidationError({"commune": _("Xã, phường đã chọn không thuộc tỉnh của đơn vị.")})

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.ACCEPTED

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.RETURNED}

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
}


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    """A random name: the uploaded name is never used on disk."""
    ext = _EXTENSIONS.get(instance.content_type, ".bin")
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class Evidence(models.Model):
    """A photo or PDF that proves an activity. Only verified types are kept."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_upload_to, max_length=200)
    content_type = models.CharField(max_length=40)
    original_name = models.CharField(_("tên tệp"), max_length=200)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class IndicatorValue(models.Model):
    """One figure of an activity. `value` NULL means "not reported", never zero."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveBigIntegerField(_("giá trị"), null=True, blank=True)

    class Meta:
        verbose_name = _("số liệu")
        verbose_name_plural = _("số liệu")
        constraints = [
            models.UniqueConstraint(fields=["activity", "indicator"], name="indicator_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}={self.value}"


class Sector(TimeStampedModel):
    """A state-management area a ministry digitises end to end (each ministry picks ≥ 3)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("bộ, ngành"), on_delete=models.PROTECT, related_name="sectors"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("chiến dịch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sectors",
    )
    name = models.CharField(_("tên lĩnh vực"), max_length=300)
    target = models.TextField(_("mục tiêu"), blank=True)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    ai_usage = models.TextField(_("ứng dụng trí tuệ nhân tạo"), blank=True)

    class Meta:
        verbose_name = _("lĩnh vực quản lý nhà nước")
        verbose_name_plural = _("lĩnh vực quản lý nhà nước")
        ordering = ["organisation_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="sector_progress_max_100"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.progress is not None and self.progress > 100:
            raise ValidationError({"progress": _("Tiến độ không được vượt quá 100%.")})


class SectorMilestone(models.Model):
    sector = models.ForeignKey(Sector, on_delete=models.CASCADE, related_name="milestones")
    date = models.DateField(_("ngày"))
    text = models.CharField(_("nội dung mốc"), max_length=300)

    class Meta:
        verbose_name = _("mốc tiến độ")
        verbose_name_plural = _("mốc tiến độ")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return self.text


class Offer(TimeStampedModel):
    """A discount or offer on a digital product or service, published once a moderator approves."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ duyệt")
        APPROVED = "approved", _("Đã duyệt, công khai")
        REJECTED = "rejected", _("Bị từ chối")

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("chiến dịch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offers",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị đăng ký"),
        on_delete=models.PROTECT,
        related_name="offers",
    )
    provider = models.CharField(_("nhà cung cấp"), max_length=200)
    title = models.CharField(_("sản phẩm, dịch vụ"), max_length=300)
    discount = models.CharField(_("mức ưu đãi"), max_length=300)
    starts_on = models.DateField(_("áp dụng từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    how_to_claim = models.TextField(_("cách nhận ưu đãi"), blank=True)
    link = models.URLField(_("đường dẫn"), blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
    )
    reject_reason = models.TextField(_("lý do từ chối"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    search_key = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("ưu đãi")
        verbose_name_plural = _("ưu đãi")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="offer_date_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.title}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Ngày kết thúc không được trước ngày bắt đầu.")})
