"""How plans' audit entries read (core/audit_display.py)."""

from django.utils.translation import gettext_lazy as _

from dxday.core.audit_display import AuditField

from .models import UnitRole

ACTIONS = {
    "plans.campaign.created": _("%(who)s đã tạo chiến dịch"),
    "plans.campaign.updated": _("%(who)s đã sửa chiến dịch"),
    "plans.window.created": _("%(who)s đã thêm đợt cao điểm"),
    "plans.window.deleted": _("%(who)s đã xóa đợt cao điểm"),
    "plans.key_date.created": _("%(who)s đã thêm mốc thời gian"),
    "plans.key_date.deleted": _("%(who)s đã xóa mốc thời gian"),
    "plans.plan.created": _("%(who)s đã tạo kế hoạch"),
    "plans.plan.updated": _("%(who)s đã sửa kế hoạch"),
    "plans.plan.cascaded": _("%(who)s đã cụ thể hóa kế hoạch của cấp trên"),
    "plans.task.created": _("%(who)s đã thêm nhiệm vụ"),
    "plans.task.updated": _("%(who)s đã sửa nhiệm vụ"),
    "plans.task.target_added": _("%(who)s đã giao nhiệm vụ cho một nhóm đơn vị"),
    "plans.task.target_removed": _("%(who)s đã bỏ một nhóm đơn vị khỏi nhiệm vụ"),
    "plans.task.assigned": _("%(who)s đã phân công nhiệm vụ cho các đơn vị"),
    "plans.assignment.not_started": _("%(who)s: nhiệm vụ chuyển về chưa thực hiện"),
    "plans.assignment.in_progress": _("%(who)s đã bắt đầu thực hiện nhiệm vụ"),
    "plans.assignment.reported": _("%(who)s đã báo cáo kết quả nhiệm vụ"),
    "plans.assignment.accepted": _("%(who)s đã duyệt kết quả nhiệm vụ"),
    "plans.assignment.returned": _("%(who)s đã trả lại kết quả nhiệm vụ"),
    "plans.assignment.late": _("%(who)s: nhiệm vụ đã quá hạn"),
    "plans.reminder.created": _("%(who)s đã gửi lời nhắc đôn đốc"),
}

FIELDS = {
    "parent": AuditField(_("kế hoạch cấp trên"), model="plans.Plan"),
    "tasks": AuditField(_("số nhiệm vụ")),
    "assignments": AuditField(_("số đơn vị được giao")),
    "target": AuditField(_("nhóm đơn vị")),
    "role": AuditField(_("vai trò"), choices=UnitRole),
    "day": AuditField(_("ngày")),
}
