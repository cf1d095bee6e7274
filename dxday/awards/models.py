"""Awards (a programme with categories, entries, a jury and results, like the Vietnam Digital
Awards) and honours (nominations by units, a shortlist and a public vote)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dxday.core.models import TimeStampedModel
from dxday.identity.models import Identity
from dxday.orgs.models import Organisation, User
from dxday.plans.models import Campaign


class Programme(TimeStampedModel):
    class Kind(models.TextChoices):
        AWARD = "award", _("Giải thưởng (hồ sơ dự thi, hội đồng giám khảo)")
        HONOURS = "honours", _("Tôn vinh (đề cử, bình chọn)")

    class Phase(models.TextChoices):
        ENTRIES = "entries", _("Nhận hồ sơ")
        SCREENING = "screening", _("Sơ loại")
        SCORING = "scoring", _("Chấm điểm")
        DELIBERATION = "deliberation", _("Hội đồng thảo luận")
        PUBLISHED = "published", _("Đã công bố kết quả")

    class Aggregation(models.TextChoices):
        MEDIAN = "median", _("Trung vị")
        MEAN = "mean", _("Trung bình cộng")

    kind = models.CharField(_("loại chương trình"), max_length=10, choices=Kind.choices)
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("năm chiến dịch"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="award_programmes",
    )  # fmt: skip
    year = models.PositiveIntegerField(_("năm"))
    name = models.CharField(_("tên chương trình"), max_length=300)
    organiser = models.ForeignKey(
        Organisation, verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT,
        related_name="award_programmes",
    )  # fmt: skip
    organiser_label = models.CharField(_("đơn vị chủ trì (ghi trên trang)"), max_length=300)
    rules = models.TextField(_("thể lệ"), blank=True)
    entries_open = models.DateTimeField(_("mở nhận hồ sơ / đề cử"))
    entries_close = models.DateTimeField(_("hạn nhận hồ sơ / đề cử"))
    ceremony_on = models.DateField(_("ngày lễ tôn vinh"), null=True, blank=True)
    phase = models.CharField(
        _("giai đoạn"), max_length=15, choices=Phase.choices, default=Phase.ENTRIES
    )
    # Jury (awards)
    jurors_per_entry = models.PositiveSmallIntegerField(_("số giám khảo mỗi hồ sơ"), default=3)
    max_load = models.PositiveSmallIntegerField(_("số hồ sơ tối đa mỗi giám khảo"), default=40)
    aggregation = models.CharField(
        _("cách tổng hợp điểm"), max_length=10, choices=Aggregation.choices,
        default=Aggregation.MEDIAN,
    )  # fmt: skip
    anonymous_scoring = models.BooleanField(
        _("chấm độc lập (không thấy điểm của giám khảo khác khi chấm)"), default=False
    )
    # Public vote (honours)
    votes_open = models.DateTimeField(_("mở bình chọn"), null=True, blank=True)
    votes_close = models.DateTimeField(_("đóng bình chọn"), null=True, blank=True)
    votes_per_person = models.PositiveSmallIntegerField(_("số phiếu mỗi người"), default=3)
    vote_weight = models.DecimalField(
        _("tỷ trọng bình chọn (0–1)"), max_digits=3, decimal_places=2, default=0.3
    )

    class Meta:
        verbose_name = _("chương trình giải thưởng")
        verbose_name_plural = _("chương trình giải thưởng")
        constraints = [
            models.CheckConstraint(
                condition=Q(entries_close__gt=F("entries_open")), name="programme_entry_window"
            ),
            models.CheckConstraint(
                condition=Q(vote_weight__gte=0) & Q(vote_weight__lte=1),
                name="programme_vote_weight_share",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField(_("mã hạng mục"), max_length=20)
    name = models.CharField(_("tên hạng mục"), max_length=300)
    description = models.TextField(_("mô tả, đối tượng"), blank=True)
    # Eligibility the entry form enforces (services/eligibility.py), e.g.
    # {"applicant_kinds": ["organisation"], "org_types": ["state_agency"], "foreign": "no"}.
    eligibility = models.JSONField(_("điều kiện tham dự"), default=dict, blank=True)
    # The category's own questions: [{"key": "tom_tat", "label": "Tóm tắt", "required": true}].
    questions = models.JSONField(_("câu hỏi"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("hạng mục")
        verbose_name_plural = _("hạng mục")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="category_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("tiêu chí"), max_length=200)
    weight = models.DecimalField(_("trọng số"), max_digits=5, decimal_places=2)
    scale_max = models.PositiveSmallIntegerField(_("thang điểm tối đa"), default=10)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("tiêu chí chấm")
        verbose_name_plural = _("tiêu chí chấm")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=Q(scale_max__gt=0), name="criterion_scale_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Applicant(TimeStampedModel):
    """Who enters: an organisation or a person, usually outside the org tree (an enterprise, a
    foreign company), proved by a verified e-mail address (an identity)."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Tổ chức")
        INDIVIDUAL = "individual", _("Cá nhân")

    class OrgType(models.TextChoices):
        STATE_AGENCY = "state_agency", _("Cơ quan Đảng, Nhà nước, tổ chức chính trị – xã hội")
        ENTERPRISE = "enterprise", _("Doanh nghiệp")
        PUBLIC_SERVICE_UNIT = "public_service_unit", _("Đơn vị sự nghiệp")
        ICT_ORGANISATION = "ict_organisation", _("Tổ chức trong lĩnh vực CNTT-TT")
        OTHER = "other", _("Tổ chức khác")

    identity = models.OneToOneField(Identity, on_delete=models.PROTECT, related_name="applicant")
    kind = models.CharField(
        _("người dự thi là"), max_length=15, choices=Kind.choices, default=Kind.ORGANISATION
    )
    name = models.CharField(_("tên tổ chức / họ và tên"), max_length=300)
    org_type = models.CharField(
        _("loại tổ chức"), max_length=25, choices=OrgType.choices, blank=True
    )
    is_foreign = models.BooleanField(_("tổ chức / cá nhân nước ngoài"), default=False)
    # For foreign applicants (seed 004, categories 4–5): a legal representative in Vietnam, or
    # a permanent residence card for a person.
    has_vn_representative = models.BooleanField(
        _("có đại diện pháp nhân tại Việt Nam"), default=False
    )
    has_permanent_residence = models.BooleanField(
        _("có thẻ thường trú tại Việt Nam"), default=False
    )
    # A state agency or public unit that is also a node of the tree: its entries and awards then
    # count in the official report of its subtree. Set by the organiser, never by the applicant.
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("đơn vị trong hệ thống"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="award_applicants",
    )  # fmt: skip

    class Meta:
        verbose_name = _("đơn vị, cá nhân dự thi")
        verbose_name_plural = _("đơn vị, cá nhân dự thi")

    def __str__(self) -> str:
        return self.name


class Entry(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        SUBMITTED = "submitted", _("Đã nộp")
        ELIGIBLE = "eligible", _("Hợp lệ")
        INELIGIBLE = "ineligible", _("Không hợp lệ")
        INCOMPLETE = "incomplete", _("Cần bổ sung")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="entries")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="entries")
    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="entries")
    title = models.CharField(_("tên hồ sơ / sản phẩm"), max_length=300)
    answers = models.JSONField(_("trả lời"), default=dict, blank=True)
    video_link = models.URLField(_("đường dẫn video"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    screening_reason = models.TextField(_("lý do (sơ loại)"), blank=True)
    complete_by = models.DateTimeField(_("hạn bổ sung"), null=True, blank=True)
    # One entry reopened past the deadline by the organiser, with a reason (audited).
    reopened_until = models.DateTimeField(_("mở lại đến"), null=True, blank=True)
    reopen_reason = models.TextField(_("lý do mở lại"), blank=True)

    class Meta:
        verbose_name = _("hồ sơ dự thi")
        verbose_name_plural = _("hồ sơ dự thi")
        indexes = [models.Index(fields=["programme", "status"])]

    def __str__(self) -> str:
        return self.title


class EntryFile(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("tệp"), upload_to="awards/%Y/%m/")
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    original_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp hồ sơ")
        verbose_name_plural = _("tệp hồ sơ")

    def __str__(self) -> str:
        return self.original_name or self.file.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Panel(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="panels")
    name = models.CharField(_("tên tiểu ban"), max_length=200)
    categories = models.ManyToManyField(Category, related_name="panels")

    class Meta:
        verbose_name = _("tiểu ban giám khảo")
        verbose_name_plural = _("tiểu ban giám khảo")

    def __str__(self) -> str:
        return self.name


class Juror(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="jurors")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="juror_seats")
    name = models.CharField(_("họ và tên"), max_length=200)
    affiliation = models.CharField(_("nơi công tác"), max_length=300, blank=True)
    panels = models.ManyToManyField(Panel, related_name="jurors")

    class Meta:
        verbose_name = _("giám khảo")
        verbose_name_plural = _("giám khảo")
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="juror_once_per_programme")
        ]

    def __str__(self) -> str:
        return self.name


class Conflict(models.Model):
    """A juror's tie to an organisation; checked at assignment and again at scoring."""

    class Relation(models.TextChoices):
        EMPLOYMENT = "employment", _("Làm việc cho")
        OWNERSHIP = "ownership", _("Sở hữu, góp vốn")
        ADVISORY = "advisory", _("Tư vấn")
        FAMILY = "family", _("Quan hệ gia đình")

    class DeclaredBy(models.TextChoices):
        JUROR = "juror", _("Giám khảo tự khai")
        ORGANISER = "organiser", _("Ban tổ chức bổ sung")

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="conflicts")
    organisation_name = models.CharField(_("tổ chức"), max_length=300)
    organisation_key = models.CharField(max_length=300, db_index=True)  # core.text.search_key
    relation = models.CharField(_("quan hệ"), max_length=12, choices=Relation.choices)
    starts_on = models.DateField(_("từ ngày"), null=True, blank=True)
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)
    declared_by = models.CharField(max_length=10, choices=DeclaredBy.choices)

    class Meta:
        verbose_name = _("xung đột lợi ích")
        verbose_name_plural = _("xung đột lợi ích")

    def __str__(self) -> str:
        return f"{self.juror} — {self.organisation_name}"


class Assignment(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="assignments")
    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="assignments")
    manual = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phân công chấm")
        verbose_name_plural = _("phân công chấm")
        constraints = [models.UniqueConstraint(fields=["entry", "juror"], name="assignment_once")]

    def __str__(self) -> str:
        return f"{self.juror} → {self.entry}"


class Review(models.Model):
    """One review per juror and entry; its total is derived from the raw scores, never stored."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    submitted_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("nhận xét"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phiếu chấm")
        verbose_name_plural = _("phiếu chấm")

    def __str__(self) -> str:
        return str(self.assignment)


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    raw = models.DecimalField(_("điểm"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_once"),
            models.CheckConstraint(condition=Q(raw__gte=0), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.raw}"


class Result(models.Model):
    class Award(models.TextChoices):
        WINNER = "winner", _("Giải thưởng")
        MENTION = "mention", _("Ghi nhận, khen ngợi")

    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="result")
    award = models.CharField(_("danh hiệu"), max_length=10, choices=Award.choices)
    citation = models.TextField(_("lời tôn vinh"), blank=True)
    certificate_code = models.CharField(max_length=16, blank=True)

    class Meta:
        verbose_name = _("kết quả")
        verbose_name_plural = _("kết quả")

    def __str__(self) -> str:
        return f"{self.entry} — {self.get_award_display()}"


class Candidate(TimeStampedModel):
    """An app or a typical public service nominated by a unit for honours."""

    class Kind(models.TextChoices):
        APP = "app", _("Ứng dụng số")
        PUBLIC_SERVICE = "public_service", _("Dịch vụ công tiêu biểu")

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Được đề cử")
        SHORTLISTED = "shortlisted", _("Vào danh sách bình chọn")
        NOT_SHORTLISTED = "not_shortlisted", _("Không vào danh sách")
        HONOURED = "honoured", _("Được tôn vinh")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="candidates")
    kind = models.CharField(_("loại"), max_length=15, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=300)
    search_key = models.CharField(max_length=300, db_index=True, blank=True)
    description = models.TextField(_("mô tả"))
    link = models.URLField(_("đường dẫn"), blank=True)
    nominated_by = models.ForeignKey(
        Organisation, verbose_name=_("đơn vị đề cử"), on_delete=models.PROTECT,
        related_name="honour_nominations",
    )  # fmt: skip
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.NOMINATED
    )
    assessment = models.DecimalField(
        _("điểm đánh giá của ban tổ chức (0–100)"), max_digits=5, decimal_places=2,
        null=True, blank=True,
    )  # fmt: skip
    # Kept in the vote's transaction (F() + 1): the list page never counts rows.
    votes = models.PositiveIntegerField(_("số phiếu"), default=0)

    class Meta:
        verbose_name = _("đề cử tôn vinh")
        verbose_name_plural = _("đề cử tôn vinh")
        indexes = [models.Index(fields=["programme", "status"])]

    def __str__(self) -> str:
        return self.name


class VoterAllowance(models.Model):
    """How many of a programme's votes one identity has used: the limit is an atomic counter."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="allowances")
    identity = models.ForeignKey(Identity, on_delete=models.CASCADE, related_name="allowances")
    used = models.PositiveSmallIntegerField(default=0)
    limit = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "identity"], name="allowance_once"),
            models.CheckConstraint(condition=Q(used__lte=F("limit")), name="allowance_within"),
        ]

    def __str__(self) -> str:
        return f"{self.identity}: {self.used}/{self.limit}"


class Vote(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="vote_rows")
    identity = models.ForeignKey(Identity, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField(auto_now_add=True)
    created_from = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("phiếu bình chọn")
        verbose_name_plural = _("phiếu bình chọn")
        constraints = [
            # CONSUL's double votes came from lacking exactly this.
            models.UniqueConstraint(fields=["identity", "candidate"], name="vote_once")
        ]

    def __str__(self) -> str:
        return f"{self.identity} → {self.candidate}"
