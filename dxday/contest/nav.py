from django.utils.translation import gettext_lazy as _

from dxday.core.nav import NavItem

NAV = [
    NavItem(label=_("Cuộc thi trực tuyến"), url_name="contest:list", action=None, order=60),
    NavItem(
        label=_("Quản lý cuộc thi"), url_name="contest:manage", action="contest.manage", order=61
    ),
]
