"""Campaign materials: posters, banners, infographics, the message and logo, key documents and
video links, each behind a stable short URL (`/m/<code>`) printed as a QR code. A new version
of an item keeps its code, so a QR already printed in a dispatch keeps working."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxday.core.models import TimeStampedModel
from dxday.orgs.models import Organisation
from dxday.plans.models import Campaign

# Letters only (no 0/o, 1/l/i): an item's code never looks like a campaign year in /m/<year>.
SHORT_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz"
SHORT_CODE_LENGTH = 7


class Material(TimeStampedModel):
    class Kind(models.TextChoices):
        POSTER = "poster", _("Áp phích")
        BANNER = "banner", _("Băng rôn, pano")
        INFOGRAPHIC = "infographic", _("Infographic")
        MESSAGE = "message", _("Thông điệp")
        LOGO = "logo", _("Biểu trưng (logo)")
        PLAN = "plan", _("Kế hoạch")
        DISPATCH = "dispatch", _("Công văn")
        VIDEO = "video", _("Video")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Công khai")
        SUBTREE = "subtree", _("Chỉ trong đơn vị và cấp dưới")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="materials")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="materials",
        verbose_name=_("đơn vị ban hành"),
    )
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("tiêu đề"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True, max_length=2000)
    visibility = models.CharField(
        _("phạm vi"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    short_code = models.CharField(max_length=12, unique=True, editable=False)
    current = models.ForeignKey(
        "MaterialVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    downloads = models.PositiveBigIntegerField(_("lượt tải"), default=0)
    search_key = models.CharField(max_length=500, db_index=True, editable=False)

    class Meta:
        verbose_name = _("tài liệu truyền thông")
        verbose_name_plural = _("tài liệu truyền thông")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["campaign", "visibility"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC


def material_upload_to(instance: MaterialVersion, filename: str) -> str:
    """A random name: the uploaded name is never used on disk."""
    ext = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg",
           "image/webp": ".webp"}.get(instance.content_type, ".bin")  # fmt: skip
    return f"materials/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class MaterialVersion(models.Model):
    """One version of an item: a verified file (image or PDF) or a video link."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=material_upload_to, max_length=200, blank=True)
    content_type = models.CharField(max_length=40, blank=True)
    original_name = models.CharField(_("tên tệp"), max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    link = models.URLField(_("đường dẫn video"), blank=True, max_length=500)
    note = models.CharField(_("ghi chú phiên bản"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("phiên bản tài liệu")
        verbose_name_plural = _("phiên bản tài liệu")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["material", "number"], name="material_version_unique"),
            models.CheckConstraint(
                condition=~models.Q(file="") | ~models.Q(link=""), name="material_version_content"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.material_id} v{self.number}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"
