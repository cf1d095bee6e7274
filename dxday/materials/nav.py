from django.utils.translation import gettext_lazy as _

from dxday.core.nav import NavItem

NAV = [
    NavItem(label=_("Tài liệu truyền thông"), url_name="materials:library", action=None, order=14),
    NavItem(
        label=_("Đăng tài liệu"), url_name="materials:manage", action="materials.manage", order=60
    ),
]
