from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dxday.core.models import TimeStampedModel
from dxday.orgs.models import Organisation
from dxday.plans.models import Campaign

NARRATIVE_FIELDS = ("general_situation", "outstanding_examples", "difficulties", "proposals")


class Report(TimeStampedModel):
    """A unit's results report for one campaign (optionally one period), travelling upward.

    Figures are never stored here: they come from `selectors.report_figures` while the report is
    a draft, and from the latest `ReportSnapshot` once it is accepted. People write only the
    narrative and the explanations next to figures (`explanations`, keyed by figure code).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        SUBMITTED = "submitted", _("Đã gửi")
        ACCEPTED = "accepted", _("Đã tiếp nhận")
        RETURNED = "returned", _("Bị trả lại")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="reports"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("chiến dịch"), on_delete=models.PROTECT, related_name="reports"
    )
    period_start = models.DateField(_("từ ngày"), null=True, blank=True)
    period_end = models.DateField(_("đến ngày"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )

    # Header and closing block (Decree 30).
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    parent_agency = models.CharField(_("cơ quan chủ quản"), max_length=200, blank=True)
    issuing_agency = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    addressee = models.CharField(_("kính gửi"), max_length=300, blank=True)
    place = models.CharField(_("địa danh"), max_length=100, blank=True)
    issued_on = models.DateField(_("ngày báo cáo"), null=True, blank=True)
    authority_line = models.CharField(
        _("thẩm quyền ký (TM., KT., ...)"),
        max_length=200,
        blank=True,
        help_text=_("Mỗi dòng một cấp, ví dụ: TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH."),
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=100, blank=True)
    recipients = models.JSONField(_("nơi nhận"), default=list, blank=True)
    archive_unit = models.CharField(_("lưu (đơn vị soạn thảo)"), max_length=60, blank=True)
    party_standard = models.BooleanField(_("thể thức văn bản của Đảng (HD 36)"), default=False)

    # Narrative.
    general_situation = models.TextField(_("tình hình chung"), blank=True)
    outstanding_examples = models.TextField(_("gương điển hình, cách làm hay"), blank=True)
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    explanations = models.JSONField(_("giải trình theo chỉ tiêu"), default=dict, blank=True)

    # Travel upward.
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_on = models.DateField(_("ngày gửi"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["-campaign__year", "organisation__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "campaign"],
                condition=models.Q(period_start__isnull=True),
                name="report_one_per_campaign",
            ),
            models.UniqueConstraint(
                fields=["organisation", "campaign", "period_start", "period_end"],
                name="report_one_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__isnull=True, period_end__isnull=True)
                | models.Q(
                    period_start__isnull=False,
                    period_end__isnull=False,
                    period_end__gte=models.F("period_start"),
                ),
                name="report_period_order",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self) -> str:
        return _("Báo cáo %(org)s năm %(year)s") % {
            "org": self.organisation.name,
            "year": self.campaign.year,
        }

    @property
    def period(self):
        if self.period_start and self.period_end:
            return (self.period_start, self.period_end)
        return None

    @property
    def is_locked(self) -> bool:
        return self.status in {self.Status.SUBMITTED, self.Status.ACCEPTED}

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.RETURNED}

    def narrative(self) -> dict[str, str]:
        return {f: getattr(self, f) for f in NARRATIVE_FIELDS}

    def header(self) -> dict:
        return {
            "number": self.number,
            "parent_agency": self.parent_agency,
            "issuing_agency": self.issuing_agency,
            "addressee": self.addressee,
            "place": self.place,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "authority_line": self.authority_line,
            "signer_title": self.signer_title,
            "signer_name": self.signer_name,
            "recipients": list(self.recipients or []),
            "archive_unit": self.archive_unit,
            "party_standard": self.party_standard,
        }


class ReportSnapshot(models.Model):
    """The frozen figures and narrative of an accepted report. Never updated, only added."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="snapshots")
    version = models.PositiveIntegerField(_("phiên bản"))
    figures = models.JSONField(_("số liệu"))
    narrative = models.JSONField(_("nội dung"), default=dict, blank=True)
    header = models.JSONField(_("thể thức"), default=dict, blank=True)
    explanations = models.JSONField(_("giải trình"), default=dict, blank=True)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("bản chốt báo cáo")
        verbose_name_plural = _("bản chốt báo cáo")
        ordering = ["report", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="snapshot_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.version}"


class ReportDeadline(models.Model):
    """When units' reports are due for a campaign (for timeliness of reporting)."""

    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, related_name="report_deadline"
    )
    due_on = models.DateField(_("hạn gửi báo cáo"))

    class Meta:
        verbose_name = _("hạn gửi báo cáo")
        verbose_name_plural = _("hạn gửi báo cáo")

    def __str__(self) -> str:
        return f"{self.campaign.year}: {self.due_on:%d/%m/%Y}"


class ReportJob(TimeStampedModel):
    """One document generated in the background, with visible progress."""

    class Format(models.TextChoices):
        DOCX = "docx", "DOCX"
        XLSX = "xlsx", "XLSX"
        PDF = "pdf", "PDF"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        DONE = "done", _("Hoàn thành")
        FAILED = "failed", _("Lỗi")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    format = models.CharField(_("định dạng"), max_length=4, choices=Format.choices)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    file = models.FileField(_("tệp"), upload_to="reports/%Y/%m/", blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("tác vụ tạo báo cáo")
        verbose_name_plural = _("tác vụ tạo báo cáo")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation.code} {self.campaign.year} {self.format}"
