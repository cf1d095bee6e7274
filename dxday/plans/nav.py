from django.utils.translation import gettext_lazy as _

from dxday.core.nav import Link, NavItem

NAV = [
    NavItem(label=_("Nhiệm vụ của tôi"), url_name="plans:my_tasks", action="plans.view", order=20),
    NavItem(label=_("Kế hoạch"), url_name="plans:plan_list", action="plans.view", order=21),
    NavItem(label=_("Đôn đốc"), url_name="plans:chase", action="plans.chase", order=22),
    NavItem(label=_("Chiến dịch"), url_name="plans:campaign_list", action="plans.manage", order=23),
    NavItem(label=_("Chỉ tiêu"), url_name="plans:indicator_list", action="plans.manage", order=24),
    NavItem(label=_("Thông báo"), url_name="plans:notifications", action="auth", order=90),
]

# Pages linked from other pages: shown only to who may open them (core/nav.py, `may_open`).
LINKS = [Link(url_name="plans:plan_cascade", action="plans.cascade")]
