"""The demo's entry point: `seed()` runs every part in order."""

from __future__ import annotations

from dxday.orgs.models import Role
from dxday.plans.models import Campaign

from ..models import Activity, Offer, Sector
from ._common import _actor, _log
from .history import _history
from .sectors_offers import _offers, _sectors
from .thanh_hoa import _thanh_hoa
from .tuyen_quang import _tuyen_quang


def seed(stdout=None) -> None:
    campaigns = {c.year: c for c in Campaign.objects.filter(year__in=[2022, 2024, 2025])}
    if 2025 not in campaigns:
        _log(stdout, "activities: chưa có chiến dịch 2025, bỏ qua dữ liệu mẫu.")
        return
    national = _actor("qg.dieuphoi", Role.COORDINATOR, "bo-khcn", "Nguyễn Minh Quân")
    if national is None:
        _log(stdout, "activities: chưa có đơn vị bo-khcn, bỏ qua dữ liệu mẫu.")
        return
    created = _tuyen_quang(campaigns[2025], national) + _thanh_hoa(campaigns[2025])
    _sectors(campaigns[2025], national)
    created += _offers(campaigns, national)
    created += _history(campaigns, national)
    _log(
        stdout,
        f"Hoạt động: thêm {created}, tổng {Activity.objects.count()}, "
        f"công khai {Activity.objects.filter(is_published=True).count()}; "
        f"ưu đãi {Offer.objects.count()}; lĩnh vực {Sector.objects.count()}.",
    )
