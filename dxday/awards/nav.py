from django.utils.translation import gettext_lazy as _

from dxday.core.nav import NavItem

NAV = [
    NavItem(label=_("Giải thưởng, tôn vinh"), url_name="awards:programmes", action=None, order=60),
    NavItem(
        label=_("Quản lý giải thưởng"), url_name="awards:manage", action="awards.manage", order=61
    ),
    NavItem(label=_("Chấm giải"), url_name="awards:juror_home", action="awards.judge", order=62),
]
