from django.utils.translation import gettext_lazy as _

from dxday.core.nav import NavItem

NAV = [
    NavItem(
        label=_("Đi từng ngõ, gõ từng nhà"), url_name="outreach:dashboard", action=None, order=40
    ),
    NavItem(
        label=_("Tiến độ tổ CNSCĐ"), url_name="outreach:progress", action="outreach.view", order=41
    ),
    NavItem(
        label=_("Tổ của tôi"), url_name="outreach:team", action="outreach.manage_team", order=42
    ),
    NavItem(
        label=_("Ứng dụng ghi nhận"), url_name="outreach:field", action="outreach.log", order=43
    ),
]
