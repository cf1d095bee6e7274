from django.utils.translation import gettext_lazy as _

from dxday.core.nav import Link, NavItem

NAV = [
    NavItem(label=_("Việc cần làm"), url_name="activities:inbox", action="auth", order=5),
    NavItem(
        label=_("Hoạt động của đơn vị"),
        url_name="activities:mine",
        action="activities.report",
        order=30,
    ),
    NavItem(
        label=_("Duyệt báo cáo"), url_name="activities:review", action="activities.review", order=31
    ),
    NavItem(
        label=_("Báo cáo của cấp dưới"),
        url_name="activities:subtree",
        action="activities.review",
        order=31,
    ),
    NavItem(
        label=_("Hoạt động công khai"),
        url_name="activities:published",
        action="activities.moderate",
        order=32,
    ),
    NavItem(
        label=_("Kết quả nhiệm vụ"),
        url_name="activities:task_results_index",
        action="activities.review",
        order=32,
    ),
    NavItem(
        label=_("Lĩnh vực QLNN"), url_name="activities:sectors", action="sectors.manage", order=33
    ),
    NavItem(
        label=_("Đăng ký ưu đãi"), url_name="activities:offers", action="offers.register", order=34
    ),
    NavItem(
        label=_("Kiểm duyệt ưu đãi"),
        url_name="activities:offer_moderation",
        action="offers.moderate",
        order=35,
    ),
]

# Pages linked from other pages (notifications, the inbox, task lists): shown only to a role
# that may open them.
LINKS = [
    Link(url_name="activities:create", action="activities.report"),
    Link(url_name="activities:edit", action="activities.report"),
    Link(url_name="activities:detail", action="activities.view"),
]
