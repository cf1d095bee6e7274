"""Rules shared by the service modules of activities."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dxday.core.errors import DomainError

from ..models import Activity


def ensure_editable(activity: Activity) -> None:
    """Only a draft or a returned report may change (figures, text and evidence alike)."""
    if activity.status == Activity.Status.ACCEPTED:
        raise DomainError(
            _("Báo cáo đã được duyệt nên đã khóa, không thể sửa."), code="locked", status=409
        )
    if activity.status == Activity.Status.SUBMITTED:
        raise DomainError(
            _("Báo cáo đang chờ duyệt, không thể sửa. Hãy chờ kết quả duyệt."),
            code="under_review",
            status=409,
        )
