from django.utils.translation import gettext_lazy as _

from dxday.core.nav import Link, NavItem

NAV = [
    NavItem(
        label=_("Đi từng ngõ, gõ từng nhà"), url_name="outreach:dashboard", action=None, order=40
    ),
    NavItem(
        label=_("Tiến độ tổ CNSCĐ"), url_name="outreach:progress", action="outreach.view", order=41
    ),
    NavItem(
        label=_("Tổ của tôi"),
        url_name="outreach:team",
        action="outreach.manage_team",
        order=42,
        kinds=("community_team",),  # a coordinator above has no team of their own
    ),
    NavItem(
        label=_("Ứng dụng ghi nhận"), url_name="outreach:field", action="outreach.log", order=43
    ),
]

# Pages linked from other pages: shown only to who may open them (core/nav.py, `may_open`).
LINKS = [Link(url_name="outreach:team_import", action="outreach.manage")]
