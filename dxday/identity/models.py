"""People outside the org tree who proved they hold a contact: contest participants, voters,
award applicants. The contact itself is never stored: only a keyed hash (to find the same person
again) and a masked form (to remind them which address they used)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    PHONE = "phone", _("Số điện thoại")
    # A national e-ID login (VNeID through OpenID Connect) is one more backend: its subject
    # identifier goes where the contact hash goes (docs/architecture.md, "Identity").
    VNEID = "vneid", _("Định danh điện tử VNeID")


class Identity(models.Model):
    """One verified contact is one identity."""

    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    contact_hash = models.CharField(_("mã băm liên hệ"), max_length=64)
    contact_masked = models.CharField(_("liên hệ (che)"), max_length=80)
    verified_at = models.DateTimeField(_("xác minh lúc"))
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    # The hashed client address it was created from: enough to spot a burst of new identities
    # from one place, never the address itself.
    created_from = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("danh tính đã xác minh")
        verbose_name_plural = _("danh tính đã xác minh")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "contact_hash"], name="identity_one_per_contact"
            )
        ]
        indexes = [models.Index(fields=["created_from", "created_at"])]

    def __str__(self) -> str:
        return self.contact_masked


class Challenge(models.Model):
    """A code sent to a contact; proving it creates (or finds) the identity."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    purpose = models.CharField(max_length=40)
    contact_hash = models.CharField(max_length=64, db_index=True)
    contact_masked = models.CharField(max_length=80)
    code_hash = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField()
    verified_at = models.DateTimeField(null=True, blank=True)
    created_from = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mã xác minh")
        verbose_name_plural = _("mã xác minh")

    def __str__(self) -> str:
        return f"{self.contact_masked} ({self.purpose})"


class IdentityToken(models.Model):
    """A bearer token for an identity (a participant's or voter's phone); stored hashed."""

    key_hash = models.CharField(max_length=64, unique=True)
    identity = models.ForeignKey(Identity, on_delete=models.CASCADE, related_name="tokens")
    purpose = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("token định danh")
        verbose_name_plural = _("token định danh")

    def __str__(self) -> str:
        return f"{self.identity} ({self.purpose})"
