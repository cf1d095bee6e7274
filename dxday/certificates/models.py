"""Certificates that anyone can verify: festival attendance, officials' training, contest
winners, award winners. One table for all three capabilities, so one public page and one QR
format serve them all."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dxday.core.models import TimeStampedModel
from dxday.orgs.models import Organisation


class Certificate(TimeStampedModel):
    class Kind(models.TextChoices):
        LEARNING = "learning", _("Học tập, bồi dưỡng")
        CONTEST = "contest", _("Cuộc thi")
        AWARDS = "awards", _("Giải thưởng, tôn vinh")

    class Status(models.TextChoices):
        VALID = "valid", _("Còn hiệu lực")
        REVOKED = "revoked", _("Đã thu hồi")

    # Unguessable (60 bits of randomness in Crockford base32): the code is the capability to
    # see the certificate, so it is never a sequence number.
    code = models.CharField(_("mã chứng nhận"), max_length=16, unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    # What issued it, e.g. "learning.offering:42"; with holder_key ("registration:17") it makes
    # a second bulk issue for the same people a no-op.
    source = models.CharField(_("nguồn"), max_length=80)
    holder_key = models.CharField(_("khóa người nhận"), max_length=80)
    holder_name = models.CharField(_("họ và tên"), max_length=200)
    title = models.CharField(_("nội dung chứng nhận"), max_length=300)
    issuer = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị cấp"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    issued_on = models.DateField(_("ngày cấp"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.VALID
    )
    revoked_reason = models.CharField(_("lý do thu hồi"), max_length=500, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("chứng nhận")
        verbose_name_plural = _("chứng nhận")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "holder_key"], name="certificate_once_per_holder"
            ),
            models.CheckConstraint(
                condition=models.Q(status="valid") | ~models.Q(revoked_reason=""),
                name="certificate_revoked_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["source"])]

    def __str__(self) -> str:
        return f"{self.code} — {self.holder_name}"

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID
