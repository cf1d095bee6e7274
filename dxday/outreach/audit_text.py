"""How outreach's audit entries read (core/audit_display.py)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "outreach.team.created": _("%(who)s đã lập tổ công nghệ số cộng đồng"),
    "outreach.member.added": _("%(who)s đã thêm thành viên tổ"),
    "outreach.member.deactivated": _("%(who)s đã cho thành viên nghỉ"),
    "outreach.target.set": _("%(who)s đã giao chỉ tiêu cho xã, phường"),
    "outreach.token.issued": _("%(who)s đã cấp mã thiết bị"),
    "outreach.token.revoked": _("%(who)s đã thu hồi mã thiết bị"),
}
