from django.utils.translation import gettext_lazy as _

from dxday.core.nav import NavItem

NAV = [
    NavItem(label=_("Đơn vị của tôi"), url_name="orgs:workspace", action="orgs.view", order=10),
    NavItem(label=_("Nhập từ tệp"), url_name="orgs:import_home", action="orgs.import", order=90),
    NavItem(label=_("Token API"), url_name="orgs:token_list", action="auth", order=95),
]
