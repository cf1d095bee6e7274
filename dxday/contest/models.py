"""Tables of the contest capability: contests, rounds, the question bank, participants, timed
attempts with their drawn questions and saved answers, fair-play flags and roll-ups.

Invariants that many requests race for live in constraints, never in a check-then-write:
- one attempt number per (round, participant), and at most one attempt in progress per
  (round, participant) (a double-clicked start finds the first one);
- one answer row per (attempt, question), written by an INSERT … ON CONFLICT DO UPDATE.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxday.core.text import nfc, search_key
from dxday.orgs.models import Commune, Organisation, Province
from dxday.plans.models import Campaign


class Eligibility(models.TextChoices):
    EVERYONE = "everyone", _("Mọi người")
    CITIZENS = "citizens", _("Người dân")
    OFFICIALS = "officials", _("Cán bộ, công chức, viên chức")
    UNION_MEMBERS = "union_members", _("Đoàn viên, hội viên")


class Topic(models.TextChoices):
    DX = "dx", _("Chuyển đổi số")
    GOVERNMENT = "government", _("Chính quyền hai cấp")
    SKILLS = "skills", _("Kỹ năng số")
    SAFETY = "safety", _("An toàn trên không gian mạng")
    OTHER = "other", _("Khác")


class Contest(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="contests")
    organiser = models.ForeignKey(
        Organisation, verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT
    )
    nationwide = models.BooleanField(
        _("toàn quốc"),
        default=False,
        help_text=_("Không chọn: cuộc thi dành cho người ở địa bàn của đơn vị tổ chức."),
    )
    title = models.CharField(_("tên cuộc thi"), max_length=300)
    rules = models.TextField(_("thể lệ"), blank=True)
    prizes = models.TextField(_("cơ cấu giải thưởng"), blank=True)
    eligibility = models.CharField(
        _("đối tượng"), max_length=20, choices=Eligibility.choices, default=Eligibility.EVERYONE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cuộc thi")
        verbose_name_plural = _("cuộc thi")
        ordering = ["-campaign__year", "id"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title = nfc(self.title)
        super().save(*args, **kwargs)


class Round(models.Model):
    class State(models.TextChoices):
        UPCOMING = "upcoming", _("Sắp mở")
        OPEN = "open", _("Đang mở")
        CLOSED = "closed", _("Đã đóng")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("đợt thứ"))
    title = models.CharField(_("tên đợt thi"), max_length=200, blank=True)
    opens_at = models.DateTimeField(_("mở lúc"))
    closes_at = models.DateTimeField(_("đóng lúc"))
    questions_per_attempt = models.PositiveSmallIntegerField(_("số câu mỗi lượt"), default=20)
    time_limit_s = models.PositiveIntegerField(_("thời gian làm bài (giây)"), default=900)
    attempts_allowed = models.PositiveSmallIntegerField(_("số lượt được thi"), default=2)
    prediction_question = models.CharField(
        _("câu hỏi dự đoán"),
        max_length=300,
        default=_("Dự đoán có bao nhiêu người tham gia đợt thi này?"),
    )
    shuffle_options = models.BooleanField(_("đảo thứ tự đáp án"), default=True)

    class Meta:
        verbose_name = _("đợt thi")
        verbose_name_plural = _("đợt thi")
        ordering = ["contest_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="contest_round_number"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="contest_round_order"
            ),
            models.CheckConstraint(
                condition=Q(questions_per_attempt__gte=1)
                & Q(time_limit_s__gte=10)
                & Q(attempts_allowed__gte=1),
                name="contest_round_positive",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return self.title or _("Đợt %(n)s") % {"n": self.number}

    def state_at(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return self.State.UPCOMING
        if now < self.closes_at:
            return self.State.OPEN
        return self.State.CLOSED

    @property
    def state(self) -> str:
        return self.state_at()

    @property
    def state_label(self) -> str:
        return str(self.State(self.state).label)

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED


class RoundQuota(models.Model):
    """How many questions of one topic each attempt of a round draws."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="quotas")
    topic = models.CharField(_("chủ đề"), max_length=20, choices=Topic.choices)
    count = models.PositiveSmallIntegerField(_("số câu"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "topic"], name="contest_quota_topic"),
            models.CheckConstraint(condition=Q(count__gte=1), name="contest_quota_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.topic}: {self.count}"


class Question(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Nháp")
        APPROVED = "approved", _("Đã duyệt")

    class Difficulty(models.IntegerChoices):
        EASY = 1, _("Dễ")
        MEDIUM = 2, _("Trung bình")
        HARD = 3, _("Khó")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("câu hỏi"))
    explanation = models.TextField(_("giải thích"), blank=True)
    topic = models.CharField(_("chủ đề"), max_length=20, choices=Topic.choices)
    difficulty = models.PositiveSmallIntegerField(
        _("độ khó"), choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    search_key = models.CharField(max_length=500, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("ngân hàng câu hỏi")
        ordering = ["id"]
        indexes = [models.Index(fields=["contest", "status", "topic"], name="contest_q_draw")]

    def __str__(self) -> str:
        return self.text[:80]

    def save(self, *args, **kwargs):
        self.text = nfc(self.text)
        self.explanation = nfc(self.explanation)
        self.search_key = search_key(self.text)[:500]
        super().save(*args, **kwargs)


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(_("đáp án"), max_length=500)
    is_correct = models.BooleanField(_("đúng"), default=False)

    class Meta:
        ordering = ["question_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="contest_option_pos")
        ]

    def __str__(self) -> str:
        return self.text


class Participant(models.Model):
    """One person registered for one contest. One verified contact (an identity) is one
    participant of a contest; the contact itself lives only in the identity app, hashed."""

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Người dân")
        OFFICIAL = "official", _("Cán bộ, công chức, viên chức")
        UNION_MEMBER = "union_member", _("Đoàn viên, hội viên")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="participants")
    identity = models.ForeignKey(
        "identity.Identity", on_delete=models.PROTECT, related_name="contest_participants"
    )
    full_name = models.CharField(_("họ và tên"), max_length=150)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"))
    province = models.ForeignKey(Province, verbose_name=_("tỉnh"), on_delete=models.PROTECT)
    commune = models.ForeignKey(Commune, verbose_name=_("xã, phường"), on_delete=models.PROTECT)
    kind = models.CharField(
        _("đối tượng"), max_length=20, choices=Kind.choices, default=Kind.CITIZEN
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("cơ quan, đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("người dự thi")
        verbose_name_plural = _("người dự thi")
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "identity"], name="contest_one_participant_per_identity"
            )
        ]

    def __str__(self) -> str:
        return self.public_name

    def clean(self):
        this_year = timezone.localdate().year
        errors = {}
        if self.birth_year and not (this_year - 110 <= self.birth_year <= this_year - 6):
            errors["birth_year"] = _("Năm sinh không hợp lệ.")
        if self.commune_id and self.province_id and self.commune.province_id != self.province_id:
            errors["commune"] = _("Xã, phường không thuộc tỉnh đã chọn.")
        if self.kind != self.Kind.CITIZEN and not self.organisation_id:
            errors["organisation"] = _("Cán bộ và đoàn viên cần chọn cơ quan, đơn vị của mình.")
        if errors:
            raise ValidationError(errors)

    @property
    def public_name(self) -> str:
        return shorten_name(self.full_name)


def shorten_name(full_name: str) -> str:
    """'Nguyễn Thị Minh Anh' → 'Nguyễn T. M. Anh': family and given name kept, middle names
    shortened to their initial (what a leaderboard may show)."""
    parts = nfc(full_name).split()
    if len(parts) <= 2:
        return " ".join(parts)
    middle = [f"{p[0]}." for p in parts[1:-1]]
    return " ".join([parts[0], *middle, parts[-1]])


class Attempt(models.Model):
    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("Đang làm")
        OVERDUE = "overdue", _("Quá giờ, chờ đóng")
        FINISHED = "finished", _("Đã nộp")
        ABANDONED = "abandoned", _("Bỏ dở")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="attempts")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.IN_PROGRESS)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    max_score = models.PositiveSmallIntegerField(default=0)
    time_taken_ms = models.PositiveIntegerField(null=True, blank=True)
    prediction = models.PositiveIntegerField(null=True, blank=True)
    # HMAC of the client address (never the address itself), for the fair-play flags.
    origin_key = models.CharField(max_length=32, blank=True, db_index=True)

    class Meta:
        verbose_name = _("lượt thi")
        verbose_name_plural = _("lượt thi")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "participant", "number"], name="contest_attempt_number"
            ),
            models.UniqueConstraint(
                fields=["round", "participant"],
                condition=Q(state="in_progress"),
                name="contest_one_attempt_in_progress",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "deadline"], name="contest_attempt_sweep"),
            models.Index(fields=["round", "state", "score"], name="contest_attempt_rank"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def time_taken_s(self) -> float | None:
        return None if self.time_taken_ms is None else round(self.time_taken_ms / 1000, 1)


class AttemptQuestion(models.Model):
    """A question drawn for an attempt, in the order shown, with its options' order."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    question = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="+")
    position = models.PositiveSmallIntegerField()
    option_order = models.CharField(max_length=200)  # option ids, comma-separated

    class Meta:
        ordering = ["attempt_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="contest_aq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.position}"


class Answer(models.Model):
    """The options chosen for one question of an attempt; replaced as a whole on each save."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="+")
    options = models.CharField(max_length=200, blank=True)  # sorted option ids, comma-separated
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="contest_answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question_id}"

    @property
    def option_ids(self) -> list[int]:
        return [int(x) for x in self.options.split(",") if x]


class Flag(models.Model):
    """Something the organiser should look at. Never acted on by itself."""

    class Kind(models.TextChoices):
        RATE_LIMIT = "rate_limit", _("Gửi quá nhiều yêu cầu")
        TOO_FAST = "too_fast", _("Đạt điểm tối đa nhanh hơn tốc độ đọc của con người")
        SHARED_ORIGIN = "shared_origin", _("Nhiều tài khoản từ một địa chỉ, thiết bị")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What the flag is about: "p<participant id>", "o<origin key>" (one row per subject).
    subject = models.CharField(max_length=40)
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    attempt = models.ForeignKey(
        Attempt, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    count = models.PositiveIntegerField(default=1)
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("cảnh báo thi đấu công bằng")
        verbose_name_plural = _("cảnh báo thi đấu công bằng")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "kind", "subject"], name="contest_flag_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}"


class UnitOfficials(models.Model):
    """How many officials a unit has, as the organiser enters it: the denominator of the
    participation rate (not reported = no rate, never 0 %)."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="unit_sizes")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    officials = models.PositiveIntegerField(_("số cán bộ"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contest", "organisation"], name="contest_unit_size")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.officials}"


# --- Roll-ups (kept in the attempt transaction; contest.rollups rebuilds them) ---------------


class RoundStat(models.Model):
    round = models.OneToOneField(Round, on_delete=models.CASCADE, primary_key=True)
    participants = models.PositiveIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.round_id}"


class RoundProvinceStat(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    participants = models.PositiveIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "province"], name="contest_rps_key")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.province_id}"


class RoundCommuneStat(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    participants = models.PositiveIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "commune"], name="contest_rcs_key")]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.commune_id}"


class RoundOrgStat(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    participants = models.PositiveIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="contest_ros_key")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.organisation_id}"
