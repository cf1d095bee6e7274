from django.utils.translation import gettext_lazy as _

from dxday.core.nav import NavItem

NAV = [
    NavItem(label=_("Hoạt động"), url_name="portal:activities", action=None, order=10),
    NavItem(label=_("Lịch"), url_name="portal:calendar", action=None, order=11),
    NavItem(label=_("Ưu đãi số"), url_name="portal:offers", action=None, order=12),
    NavItem(label=_("Bản đồ"), url_name="portal:map", action=None, order=13),
    NavItem(label=_("Dữ liệu mở"), url_name="portal:open_data", action=None, order=13),
]
