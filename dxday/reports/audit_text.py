"""How reports' audit entries read (core/audit_display.py)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "reports.report.drafted": _("%(who)s đã soạn báo cáo"),
    "reports.report.edited": _("%(who)s đã sửa báo cáo"),
    "reports.report.submitted": _("%(who)s đã gửi báo cáo lên cấp trên"),
    "reports.report.accepted": _("%(who)s đã tiếp nhận báo cáo"),
    "reports.report.returned": _("%(who)s đã trả lại báo cáo"),
    "reports.job.queued": _("%(who)s đã yêu cầu tạo tệp báo cáo"),
}
