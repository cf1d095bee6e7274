"""The demo state-management areas and offers."""

from __future__ import annotations

from django.db import transaction

from dxday.orgs.models import Organisation, Role
from dxday.orgs.permissions import Actor
from dxday.plans.models import Campaign

from .. import services
from ..models import Offer, Sector
from ._common import D, _actor, _report

SECTORS = {
    "bo-tai-chinh": [
        (
            "Thuế",
            "Toàn bộ thủ tục kê khai, nộp thuế thực hiện trực tuyến toàn trình.",
            80,
            "Trợ lý ảo trả lời người nộp thuế; phân tích rủi ro hồ sơ bằng AI.",
            [(D(2025, 10, 1), "Kết nối dữ liệu hóa đơn điện tử với cơ sở dữ liệu dân cư")],
        ),
        (
            "Hải quan",
            "Thông quan điện tử toàn trình cho hàng hóa xuất nhập khẩu.",
            70,
            "Nhận dạng hình ảnh soi chiếu container bằng AI.",
            [(D(2025, 12, 31), "Hoàn thành cơ chế một cửa quốc gia thế hệ mới")],
        ),
        (
            "Đăng ký doanh nghiệp",
            "Đăng ký thành lập doanh nghiệp trực tuyến, không giấy tờ.",
            60,
            "Kiểm tra tự động hồ sơ đăng ký bằng AI.",
            [],
        ),
    ],
    "bo-y-te": [
        (
            "Khám bệnh, chữa bệnh",
            "Bệnh án điện tử tại tất cả bệnh viện tuyến trung ương.",
            45,
            "Hỗ trợ chẩn đoán hình ảnh bằng AI.",
            [(D(2025, 12, 31), "100% bệnh viện tuyến trung ương triển khai bệnh án điện tử")],
        ),
    ],
}


@transaction.atomic
def _sectors(campaign: Campaign, national: Actor) -> int:
    created = 0
    for code, specs in SECTORS.items():
        ministry = Organisation.objects.filter(code=code).first()
        if ministry is None:
            continue
        for name, target, progress, ai, milestones in specs:
            if Sector.objects.filter(organisation=ministry, name=name).exists():
                continue
            sector = services.sector_create(
                by=national,
                organisation=ministry,
                name=name,
                target=target,
                progress=progress,
                ai_usage=ai,
                campaign=campaign,
            )
            for day, text in milestones:
                services.sector_milestone_add(sector=sector, by=national, date=day, text=text)
            created += 1
    return created


def _offers(campaigns: dict[int, Campaign], national: Actor) -> int:
    moderator = _actor("qg.kiemduyet", Role.MODERATOR, "bo-khcn", "Trần Thu Hà")
    created = 0
    c2022 = campaigns.get(2022)
    specs = []
    if c2022 is not None:
        specs += [
            (
                "vnpost",
                c2022,
                {
                    "provider": "Sàn thương mại điện tử Postmart",
                    "title": "Sáng kiến thúc đẩy mua sắm trực tuyến trên sàn Postmart",
                    "discount": "Chương trình khuyến mại hưởng ứng Ngày Chuyển đổi số quốc gia",
                    "starts_on": D(2022, 10, 1),
                    "ends_on": D(2022, 10, 10),
                    "how_to_claim": "Mua sắm trên postmart.vn trong thời gian chương trình.",
                    "link": "https://postmart.vn",
                },
                True,
            ),
            (
                "vnpt",
                c2022,
                {
                    "provider": "Sàn thương mại điện tử Vỏ sò (Voso)",
                    "title": "Sáng kiến thúc đẩy mua sắm trực tuyến trên sàn Vỏ sò",
                    "discount": "Chương trình khuyến mại hưởng ứng Ngày Chuyển đổi số quốc gia",
                    "starts_on": D(2022, 10, 1),
                    "ends_on": D(2022, 10, 10),
                    "how_to_claim": "Mua sắm trên voso.vn trong thời gian chương trình.",
                    "link": "https://voso.vn",
                },
                True,
            ),
            (
                "ncsc-chung-thuc",
                c2022,
                {
                    "provider": "Trung tâm Chứng thực điện tử quốc gia",
                    "title": "Dịch vụ chứng thực chữ ký số",
                    "discount": "Chính sách thúc đẩy khách hàng đăng ký dịch vụ chứng thực chữ "
                    "ký số",
                    "starts_on": D(2022, 10, 1),
                    "ends_on": D(2022, 10, 31),
                    "how_to_claim": "Đăng ký dịch vụ chứng thực chữ ký số trong tháng 10.",
                    "link": "https://neac.gov.vn",
                },
                True,
            ),
        ]
    specs.append(
        (
            "vnpost",
            campaigns[2025],
            {
                "provider": "Tổng công ty Bưu điện Việt Nam",
                "title": "Thúc đẩy mua sắm trực tuyến trên sàn Postmart tháng 10/2025",
                "discount": "Ưu đãi phí vận chuyển theo thể lệ chương trình",
                "starts_on": D(2025, 10, 1),
                "ends_on": D(2025, 10, 31),
                "link": "https://postmart.vn",
            },
            False,
        )
    )
    for code, campaign, data, approve in specs:
        org = Organisation.objects.filter(code=code).first()
        if org is None or Offer.objects.filter(provider=data["provider"], title=data["title"]):
            continue
        offer = services.offer_register(by=national, organisation=org, campaign=campaign, data=data)
        if approve and moderator is not None:
            services.offer_approve(offer=offer, by=moderator)
    vnn = Organisation.objects.filter(code="bao-vietnamnet").first()
    if vnn is not None and c2022 is not None:
        done = _report(
            reporter=national,
            campaign=c2022,
            organisation=vnn,
            assignment=None,
            spec={
                "title": "Sáng kiến hoạt động cộng đồng hưởng ứng Ngày Chuyển đổi số quốc gia "
                "của Báo điện tử VietNamNet",
                "type": "initiative",
                "starts_on": D(2022, 10, 1),
                "ends_on": D(2022, 10, 10),
                "description": "Tối thiểu một sáng kiến hoạt động cộng đồng phù hợp với tinh thần "
                "Ngày Chuyển đổi số quốc gia năm 2022.",
                "links": "https://vietnamnet.vn",
            },
            reviewer=_actor("qg.dieuphoi", Role.COORDINATOR, "bo-khcn", "Nguyễn Minh Quân"),
            outcome="accepted",
        )
        created += done is not None
    return created
