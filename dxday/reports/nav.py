from django.utils.translation import gettext_lazy as _

from dxday.core.nav import NavItem

NAV = [NavItem(label=_("Báo cáo"), url_name="reports:home", action="reports.view", order=50)]
