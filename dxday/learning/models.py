"""Digital learning festival, officials' training and events.

Design notes (see services.py and checkin.py):

- Capacity is kept by the database: `Offering.seats_taken` counts confirmed and held seats and
  is moved only by a conditional ``UPDATE … SET seats_taken = seats_taken + 1 WHERE
  seats_taken < capacity`` (one statement: the row lock on PostgreSQL and the write lock of
  SQLite's IMMEDIATE transactions serialise it), and a CHECK constraint refuses any row where
  it would pass the capacity. A registration that finds no seat joins the waiting list.
- A registrant is counted once: a partial unique index on `CheckIn(registration) WHERE
  counted` lets only one scan of a ticket count, whichever phone sends it first; later scans
  are stored uncounted, so the organiser sees both devices and times.
- Roll-ups are keyed by area codes ("" when an offering has no place, such as a national
  online seminar), so unique keys work on both databases without NULLs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dxday.core.models import TimeStampedModel
from dxday.orgs.models import Commune, Organisation, Province
from dxday.plans.models import Campaign, Task

from .topics import AgeGroup, Topic


class Offering(TimeStampedModel):
    class Kind(models.TextChoices):
        CLASS = "class", _("Lớp học số")
        TRAINING = "training", _("Bồi dưỡng cán bộ, công chức")
        SEMINAR = "seminar", _("Hội thảo, tọa đàm")
        DIALOGUE = "dialogue", _("Đối thoại")
        BOOTH = "booth", _("Gian trải nghiệm")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("Trực tiếp")
        ONLINE = "online", _("Trực tuyến")
        HYBRID = "hybrid", _("Kết hợp")

    class Audience(models.TextChoices):
        CITIZENS = "citizens", _("Người dân")
        OFFICIALS = "officials", _("Cán bộ, công chức, viên chức")
        ALL = "all", _("Mọi người")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    format = models.CharField(_("hình thức"), max_length=10, choices=Format.choices)
    title = models.CharField(_("tên"), max_length=255)
    description = models.TextField(_("nội dung"), blank=True)
    organiser = models.ForeignKey(
        Organisation, verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="+"
    )
    province = models.ForeignKey(
        Province, verbose_name=_("tỉnh"), null=True, blank=True, on_delete=models.PROTECT
    )
    commune = models.ForeignKey(
        Commune, verbose_name=_("xã, phường"), null=True, blank=True, on_delete=models.PROTECT
    )
    address = models.CharField(_("địa điểm"), max_length=300, blank=True)
    online_link = models.URLField(_("đường dẫn học trực tuyến"), blank=True)
    starts_at = models.DateTimeField(_("bắt đầu"))
    ends_at = models.DateTimeField(_("kết thúc"))
    capacity = models.PositiveIntegerField(_("số chỗ"), null=True, blank=True)
    # Confirmed and held seats; moved only by the conditional UPDATEs of services.py.
    seats_taken = models.PositiveIntegerField(default=0, editable=False)
    audience = models.CharField(
        _("đối tượng"), max_length=10, choices=Audience.choices, default=Audience.CITIZENS
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("nhiệm vụ trong kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    speakers = models.TextField(_("diễn giả"), blank=True)
    agenda = models.TextField(_("chương trình"), blank=True)
    livestream_url = models.URLField(_("đường dẫn truyền hình trực tiếp"), blank=True)
    invitation_only = models.BooleanField(_("chỉ theo giấy mời"), default=False)
    invitation_code = models.CharField(_("mã giấy mời"), max_length=40, blank=True)
    registration_open = models.BooleanField(_("đang nhận đăng ký"), default=True)
    certificates_enabled = models.BooleanField(_("cấp giấy chứng nhận"), default=False)
    # Online classes: the code shown at the end of the class, entered by attendees.
    attendance_code = models.CharField(_("mã điểm danh trực tuyến"), max_length=20, blank=True)
    search_key = models.CharField(max_length=600, db_index=True, editable=False)
    # Attendance of this offering (kept in the check-in transaction, rebuilt by the command).
    checked_in = models.PositiveIntegerField(default=0, editable=False)
    walk_ins = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("lớp học, sự kiện")
        verbose_name_plural = _("lớp học, sự kiện")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(seats_taken__lte=F("capacity")),
                name="offering_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="offering_time_order"
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "province", "starts_at"], name="offering_prov_time"),
            models.Index(fields=["campaign", "commune", "starts_at"], name="offering_comm_time"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.seats_taken)

    @property
    def attendance(self) -> int:
        return self.checked_in + self.walk_ins

    @property
    def gives_certificates(self) -> bool:
        return self.kind == self.Kind.TRAINING or self.certificates_enabled


class OfferingTopic(models.Model):
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="topics")
    topic = models.CharField(max_length=30, choices=Topic.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offering", "topic"], name="offering_topic_once")
        ]

    def __str__(self) -> str:
        return self.get_topic_display()


class Registration(TimeStampedModel):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Đã xác nhận")
        HELD = "held", _("Được giữ chỗ, chờ xác nhận")
        WAITLISTED = "waitlisted", _("Trong danh sách chờ")
        CANCELLED = "cancelled", _("Đã hủy")

    # Statuses that hold a seat (counted in Offering.seats_taken).
    SEATED = (Status.CONFIRMED, Status.HELD)

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="registrations")
    # The ticket's public code (the ticket page's address): random, unguessable.
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(_("họ và tên"), max_length=150)
    name_key = models.CharField(max_length=150, db_index=True, editable=False)
    # Who this is across offerings: "u<user id>" for an account, else "n<unit>:<name key>";
    # a trained official is counted once per unit and campaign on it.
    person_key = models.CharField(max_length=200, editable=False, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("xã, phường"), null=True, blank=True, on_delete=models.PROTECT
    )
    # A phone or e-mail, optional: never shown publicly, never logged or audited, erased
    # `LEARNING_CONTACT_RETENTION_DAYS` after the offering ends (registrations_erase_contacts).
    contact = models.CharField(_("điện thoại hoặc thư điện tử"), max_length=120, blank=True)
    contact_erased_at = models.DateTimeField(null=True, blank=True)
    # Officials: their account and their unit (the unit's training figures count them).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị công tác"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices)
    hold_until = models.DateTimeField(_("giữ chỗ đến"), null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đăng ký")
        verbose_name_plural = _("đăng ký")
        ordering = ["offering_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "user"],
                condition=Q(user__isnull=False) & ~Q(status="cancelled"),
                name="registration_user_once",
            ),
        ]
        indexes = [
            models.Index(fields=["offering", "status", "id"], name="registration_queue"),
        ]

    def __str__(self) -> str:
        return self.code

    def fill_keys(self) -> None:
        from dxday.core.text import nfc, search_key

        self.name = nfc(self.name).strip()
        self.name_key = search_key(self.name)[:150]
        if self.user_id:
            self.person_key = f"u{self.user_id}"
        else:
            self.person_key = f"n{self.organisation_id or ''}:{self.name_key}"[:200]


class CheckIn(models.Model):
    """One scan of a ticket or one walk-in count, sent by a staff phone with a client nonce."""

    nonce = models.UUIDField(unique=True)
    content_hash = models.CharField(max_length=64)
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="checkins")
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.PROTECT, related_name="checkins"
    )
    walk_ins = models.PositiveIntegerField(null=True, blank=True)
    age_group = models.CharField(max_length=8, choices=AgeGroup.choices, blank=True)
    # The first scan of a ticket counts; a later one (another phone) is kept uncounted.
    counted = models.BooleanField(default=True)
    scanned_at = models.DateTimeField()
    device = models.CharField(max_length=64, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField()

    class Meta:
        verbose_name = _("lượt điểm danh")
        verbose_name_plural = _("lượt điểm danh")
        constraints = [
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(counted=True, registration__isnull=False),
                name="checkin_ticket_counted_once",
            ),
            models.CheckConstraint(
                condition=(Q(registration__isnull=False) & Q(walk_ins__isnull=True))
                | (Q(registration__isnull=True) & Q(walk_ins__isnull=False)),
                name="checkin_ticket_or_walk_ins",
            ),
        ]
        indexes = [models.Index(fields=["offering", "counted"], name="checkin_offering")]

    def __str__(self) -> str:
        return str(self.nonce)


class OfficialHeadcount(models.Model):
    """How many officials a unit has (optional): the share trained is read against it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    officials = models.PositiveIntegerField(_("số cán bộ, công chức, viên chức"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organisation"], name="headcount_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.officials}"


# --- Roll-ups (kept by checkin.py in the check-in transaction, rebuilt by rollups.py) ---------


class _Row(models.Model):
    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} #{self.pk}"


class AreaStat(_Row):
    """Attendance of one commune (or "" for no place) by kind and audience."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    province_code = models.CharField(max_length=2, blank=True)
    commune_code = models.CharField(max_length=5, blank=True)
    kind = models.CharField(max_length=10)
    audience = models.CharField(max_length=10)
    registrants = models.PositiveBigIntegerField(default=0)
    walk_ins = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "province_code", "commune_code", "kind", "audience"],
                name="learning_areastat_key",
            )
        ]


class AreaTopicStat(_Row):
    """Attendance of one commune by topic (an offering with two topics counts in both)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    province_code = models.CharField(max_length=2, blank=True)
    commune_code = models.CharField(max_length=5, blank=True)
    topic = models.CharField(max_length=30)
    attendance = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "province_code", "commune_code", "topic"],
                name="learning_areatopicstat_key",
            )
        ]


class TrainedOfficial(_Row):
    """An official counted once per unit and campaign, however many trainings they attended."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person_key = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation", "person_key"], name="trained_official_once"
            )
        ]


class UnitTrainingStat(_Row):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    trained = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation"], name="unit_training_stat_key"
            )
        ]


class ProvinceStat(_Row):
    """AreaStat summed per province: the national dashboard reads a few hundred rows."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    province_code = models.CharField(max_length=2, blank=True)
    kind = models.CharField(max_length=10)
    audience = models.CharField(max_length=10)
    registrants = models.PositiveBigIntegerField(default=0)
    walk_ins = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "province_code", "kind", "audience"],
                name="learning_provincestat_key",
            )
        ]


class ProvinceTopicStat(_Row):
    """AreaTopicStat summed per province."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    province_code = models.CharField(max_length=2, blank=True)
    topic = models.CharField(max_length=30)
    attendance = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "province_code", "topic"],
                name="learning_provincetopicstat_key",
            )
        ]
