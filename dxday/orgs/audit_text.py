"""How orgs' audit entries read (core/audit_display.py)."""

from django.utils.translation import gettext_lazy as _

from dxday.core.audit_display import AuditField

from .models import Role

ACTIONS = {
    "orgs.organisation.created": _("%(who)s đã tạo đơn vị"),
    "orgs.organisation.updated": _("%(who)s đã sửa thông tin đơn vị"),
    "orgs.user.created": _("%(who)s đã tạo tài khoản"),
    "orgs.user.password_reset": _("%(who)s đã đặt lại mật khẩu"),
    "orgs.membership.granted": _("%(who)s đã giao vai trò"),
    "orgs.membership.revoked": _("%(who)s đã thu hồi vai trò"),
    "orgs.api_token.issued": _("%(who)s đã cấp token API"),
    "orgs.api_token.revoked": _("%(who)s đã thu hồi token API"),
}

FIELDS = {
    "membership_role": AuditField(_("vai trò"), choices=Role),
    "tokens_revoked": AuditField(_("số token bị thu hồi")),
    "revoked_at": AuditField(_("thu hồi lúc")),
}
