"""How activities' audit entries read (core/audit_display.py)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "activities.activity.created": _("%(who)s đã tạo báo cáo hoạt động"),
    "activities.activity.updated": _("%(who)s đã sửa báo cáo hoạt động"),
    "activities.activity.submitted": _("%(who)s đã gửi báo cáo lên cấp trên"),
    "activities.activity.accepted": _("%(who)s đã duyệt báo cáo"),
    "activities.activity.returned": _("%(who)s đã trả lại báo cáo"),
    "activities.activity.published": _("%(who)s đã công khai hoạt động"),
    "activities.activity.unpublished": _("%(who)s đã ngừng công khai hoạt động"),
    "activities.values.set": _("%(who)s đã nhập số liệu chỉ tiêu"),
    "activities.evidence.added": _("%(who)s đã thêm minh chứng"),
    "activities.evidence.removed": _("%(who)s đã xóa minh chứng"),
    "activities.offer.registered": _("%(who)s đã đăng ký ưu đãi"),
    "activities.offer.approved": _("%(who)s đã duyệt ưu đãi"),
    "activities.offer.rejected": _("%(who)s đã từ chối ưu đãi"),
    "activities.sector.created": _("%(who)s đã đăng ký lĩnh vực quản lý nhà nước"),
    "activities.sector.updated": _("%(who)s đã cập nhật lĩnh vực quản lý nhà nước"),
    "activities.sector.milestone_added": _("%(who)s đã thêm mốc tiến độ"),
}

FIELDS = {
    "evidence": _("minh chứng"),
    "milestone": _("mốc tiến độ"),
    "values": _("số liệu"),
}
