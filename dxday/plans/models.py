from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dxday.core.models import TimeStampedModel
from dxday.orgs.models import Organisation


class Campaign(TimeStampedModel):
    """One DX Day campaign per year. Everything here is data: dates move (2025: 10/10 → 21/10).

    A campaign made by `campaign_create` is a draft: only the platform sees it (not the portal,
    not the public API) until the national coordinator publishes it. A draft can be deleted; a
    published one cannot. The column's default is "published" so that rows written before the
    draft state existed (and fixtures of past years) stay public.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PUBLISHED = "published", _("Đã công bố")

    year = models.PositiveIntegerField(_("năm"), unique=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    theme = models.TextField(_("chủ đề năm"))
    message = models.TextField(_("thông điệp Ngày Chuyển đổi số"), blank=True)
    legal_basis_number = models.CharField(_("số văn bản căn cứ"), max_length=60, blank=True)
    legal_basis_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    legal_basis_issuer = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    legal_basis_title = models.TextField(_("trích yếu văn bản căn cứ"), blank=True)
    summary = models.TextField(_("giới thiệu"), blank=True)

    class Meta:
        verbose_name = _("chiến dịch Ngày Chuyển đổi số")
        verbose_name_plural = _("chiến dịch Ngày Chuyển đổi số")
        ordering = ["-year"]

    def __str__(self) -> str:
        return _("Ngày Chuyển đổi số quốc gia năm %(year)s") % {"year": self.year}


class CampaignWindow(models.Model):
    class Kind(models.TextChoices):
        COMMUNICATION = "communication", _("Truyền thông")
        PEAK = "peak", _("Cao điểm")
        DOOR_TO_DOOR = "door_to_door", _("Đi từng ngõ, gõ từng nhà")
        OTHER = "other", _("Khác")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="windows")
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("tên đợt"), max_length=200)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))

    class Meta:
        verbose_name = _("đợt cao điểm")
        verbose_name_plural = _("các đợt")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="window_order"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def contains(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on


class KeyDate(models.Model):
    class Kind(models.TextChoices):
        CEREMONY = "ceremony", _("Lễ hưởng ứng")
        DEADLINE = "deadline", _("Hạn chót")
        EVENT = "event", _("Sự kiện")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="key_dates")
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=200)
    date = models.DateField(_("ngày"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("mốc thời gian")
        verbose_name_plural = _("mốc thời gian")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """A figure units report. A part (`part_of`) never exceeds its total."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên chỉ tiêu"), max_length=200)
    unit = models.CharField(_("đơn vị tính"), max_length=40)
    definition = models.TextField(_("định nghĩa"), blank=True)
    part_of = models.ForeignKey(
        "self",
        verbose_name=_("là một phần của"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("danh mục chỉ tiêu")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class Plan(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ISSUED = "issued", _("Đã ban hành")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="plans")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị ban hành"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("kế hoạch cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    title = models.CharField(_("tên kế hoạch"), max_length=300)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.TextField(_("nội dung tóm tắt"), blank=True)

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-campaign__year", "id"]
        constraints = [
            # One cascaded plan per parent plan and unit: cascading twice is refused.
            models.UniqueConstraint(fields=["parent", "organisation"], name="plan_cascade_once")
        ]

    def __str__(self) -> str:
        return self.title


class TaskCategory(models.TextChoices):
    COMMUNICATION = "communication", _("Truyền thông (tin, bài, video, mạng xã hội)")
    RADIO = "radio", _("Truyền thanh cơ sở")
    EVENT = "event", _("Hội thảo, tọa đàm, sự kiện")
    LEARNING = "learning", _("Ngày hội học tập số")
    DOOR_TO_DOOR = "door_to_door", _("Đi từng ngõ, gõ từng nhà")
    SECTOR = "sector", _("Lĩnh vực quản lý nhà nước")
    CONTEST = "contest", _("Cuộc thi")
    AWARDS = "awards", _("Giải thưởng, tôn vinh")
    OFFERS = "offers", _("Ưu đãi, giảm giá")
    OTHER = "other", _("Khác")


class Task(TimeStampedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    # Lineage: a task copied down by plan_cascade points at the task it came from.
    parent_task = models.ForeignKey(
        "self",
        verbose_name=_("nhiệm vụ cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="child_tasks",
    )
    title = models.CharField(_("tên nhiệm vụ"), max_length=300)
    description = models.TextField(_("nội dung"), blank=True)
    category = models.CharField(
        _("nhóm nhiệm vụ"),
        max_length=20,
        choices=TaskCategory.choices,
        default=TaskCategory.OTHER,
    )
    window = models.ForeignKey(
        CampaignWindow, verbose_name=_("đợt"), null=True, blank=True, on_delete=models.SET_NULL
    )
    deadline = models.DateField(_("hạn báo cáo"), null=True, blank=True)
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("chỉ tiêu cần báo cáo"), blank=True, related_name="tasks"
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        return self.title


class UnitRole(models.TextChoices):
    LEAD = "lead", _("Chủ trì")
    COOPERATE = "cooperate", _("Phối hợp")


class TaskTarget(models.Model):
    """Who a task is for: one named unit, or a group that expands into assignments.

    Groups are evaluated against the tree when assignments are expanded, and again when a unit
    joins the tree later, so a new commune receives the group's open tasks.
    """

    class Group(models.TextChoices):
        UNIT = "unit", _("Đơn vị cụ thể")
        COMMUNES_OF = "communes_of", _("Tất cả UBND xã, phường thuộc")
        DEPARTMENTS_OF = "departments_of", _("Tất cả sở, ban, ngành thuộc")
        PRESS_OF = "press_of", _("Tất cả cơ quan báo chí thuộc")
        MINISTRIES = "ministries", _("Tất cả bộ, ngành")
        PROVINCES = "provinces", _("Tất cả UBND tỉnh, thành phố")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="targets")
    group = models.CharField(_("nhóm đơn vị"), max_length=20, choices=Group.choices)
    # The named unit (UNIT) or the root the group is taken under (the province for *_OF).
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("vai trò"), max_length=10, choices=UnitRole.choices)

    class Meta:
        verbose_name = _("đối tượng thực hiện")
        verbose_name_plural = _("đối tượng thực hiện")

    def __str__(self) -> str:
        return f"{self.get_group_display()} {self.organisation or ''}".strip()

    def clean(self):
        if (
            self.group
            in {
                self.Group.UNIT,
                self.Group.COMMUNES_OF,
                self.Group.DEPARTMENTS_OF,
                self.Group.PRESS_OF,
            }
            and self.organisation_id is None
        ):
            raise ValidationError({"organisation": _("Hãy chọn đơn vị cho nhóm này.")})


class Assignment(TimeStampedModel):
    """A task as it lands on one unit. The unit reports against it."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Chưa thực hiện")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        REPORTED = "reported", _("Đã báo cáo")
        ACCEPTED = "accepted", _("Đã duyệt")
        RETURNED = "returned", _("Bị trả lại")
        LATE = "late", _("Quá hạn")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    target = models.ForeignKey(
        TaskTarget, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments"
    )
    role = models.CharField(_("vai trò"), max_length=10, choices=UnitRole.choices)
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=Status.choices,
        default=Status.NOT_STARTED,
        db_index=True,
    )
    deadline = models.DateField(_("hạn báo cáo"), null=True, blank=True)
    first_reported_at = models.DateTimeField(_("báo cáo lần đầu lúc"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("được duyệt lúc"), null=True, blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        constraints = [
            models.UniqueConstraint(fields=["task", "organisation"], name="assignment_unique")
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.task} → {self.organisation}"


class Reminder(models.Model):
    """One reminder for one assignment on one day. The unique constraint makes sending
    idempotent: a cron run repeated, or a coordinator pressing "Remind" twice, creates one.

    Created (with the unit's in-app notification) and e-mailed are two facts: `created_at` is
    when the row and notification were made; `sent_at` when the e-mail went out (or, for a unit
    without an address, when delivery found nothing to send). A failed e-mail leaves `sent_at`
    empty and records `attempts`, `last_attempt_at` and `last_error` for the retries.
    """

    class Kind(models.TextChoices):
        BEFORE = "before", _("Sắp đến hạn")
        AFTER = "after", _("Đã quá hạn")
        MANUAL = "manual", _("Đôn đốc")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    day = models.DateField(_("ngày"))
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi thư lúc"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi thư"), default=0)
    last_attempt_at = models.DateTimeField(_("lần gửi thư gần nhất"), null=True, blank=True)
    last_error = models.CharField(_("lỗi gửi thư gần nhất"), max_length=300, blank=True)
    sent_by = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The run that inserted the row: bulk inserts skip conflicts, and the rows carrying this
    # run's id are exactly the reminders this run sent.
    run = models.UUIDField(null=True, blank=True, editable=False, db_index=True)

    class Meta:
        verbose_name = _("nhắc việc")
        verbose_name_plural = _("nhắc việc")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "kind", "day"], name="reminder_once")
        ]
        indexes = [
            # The delivery pass reads only the few rows whose e-mail has not gone out.
            models.Index(
                fields=["attempts"],
                condition=models.Q(sent_at__isnull=True),
                name="reminder_undelivered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day:%d/%m/%Y}: {self.assignment}"


class Notification(models.Model):
    """A message shown in the app to the members of one unit (reminders and the like).

    Event notifications (a report returned or accepted, a new assignment, a plan cascaded to
    the unit) are also e-mailed: `email_wanted` marks them, and `sent_at` / `attempts` /
    `last_attempt_at` / `last_error` record the delivery as on `Reminder` (a reminder's own
    notification has `email_wanted` False: the reminder row carries its e-mail).
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Nhắc việc")
        RETURNED = "returned", _("Báo cáo bị trả lại")
        ACCEPTED = "accepted", _("Báo cáo được duyệt")
        ASSIGNED = "assigned", _("Nhiệm vụ mới")
        CASCADED = "cascaded", _("Kế hoạch từ cấp trên")

    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices, default=Kind.REMINDER)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="plan_notifications"
    )
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    email_wanted = models.BooleanField(_("gửi thư"), default=False)
    sent_at = models.DateTimeField(_("gửi thư lúc"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi thư"), default=0)
    last_attempt_at = models.DateTimeField(_("lần gửi thư gần nhất"), null=True, blank=True)
    last_error = models.CharField(_("lỗi gửi thư gần nhất"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "read_at"]),
            models.Index(
                fields=["attempts"],
                condition=models.Q(email_wanted=True, sent_at__isnull=True),
                name="notification_undelivered",
            ),
        ]
        constraints = [
            # A new assignment is announced once, however many times its targets expand.
            models.UniqueConstraint(
                fields=["assignment"],
                condition=models.Q(kind="assigned"),
                name="notification_assigned_once",
            )
        ]

    def __str__(self) -> str:
        return self.title
