from django.utils.translation import gettext_lazy as _

from dxday.core.nav import NavItem

NAV = [
    NavItem(label=_("Tìm lớp học số"), url_name="learning:find", action=None, order=50),
    NavItem(label=_("Số liệu học tập số"), url_name="learning:dashboard", action=None, order=51),
    NavItem(
        label=_("Lớp học, sự kiện của đơn vị"),
        url_name="learning:workspace",
        action="learning.view",
        order=52,
    ),  # fmt: skip
    NavItem(
        label=_("Ứng dụng điểm danh"),
        url_name="learning:checkin",
        action="learning.checkin",
        order=53,
    ),  # fmt: skip
]
