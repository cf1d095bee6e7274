"""Thanh Hóa's demo reports (seed 002)."""

from __future__ import annotations

from dxday.orgs.models import Organisation, Role
from dxday.plans.models import Campaign

from ._common import D, _actor, _assignment, _report


def _thanh_hoa(campaign: Campaign) -> int:
    th = _actor("thanhhoa.dieuphoi", Role.COORDINATOR, "tinh-38", "Lê Văn Thành")
    if th is None:
        return 0
    province = th.organisation
    hac_thanh = _actor("thanhhoa.hacthanh.baocao", Role.REPORTER, "xa-14797", "Hoàng Văn Đức")
    communes = list(
        Organisation.objects.filter(
            kind=Organisation.Kind.COMMUNE,
            path__startswith=province.path,
            assignments__task__plan__campaign=campaign,
        )
        .exclude(code="xa-14797")
        .distinct()
        .order_by("path")[:3]
    )
    press = (
        Organisation.objects.filter(kind=Organisation.Kind.PRESS, path__startswith=province.path)
        .order_by("path")
        .first()
    )
    created = 0
    if hac_thanh is not None:
        org = hac_thanh.organisation
        for category, spec, outcome, photo in [
            (
                "radio",
                {
                    "title": "Tăng thời lượng phát thanh về Ngày Chuyển đổi số quốc gia trên đài "
                    "truyền thanh phường Hạc Thành",
                    "type": "radio",
                    "starts_on": D(2025, 10, 1),
                    "ends_on": D(2025, 10, 10),
                    "description": "Phát các bản tin về chính quyền số, kinh tế số, xã hội số và "
                    "thông điệp Ngày Chuyển đổi số quốc gia năm 2025, sáng và chiều mỗi ngày.",
                    "values": {"radio-broadcasts": 20},
                },
                "accepted",
                4,
            ),
            (
                "door_to_door",
                {
                    "title": "Ra quân “Đi từng ngõ, gõ từng nhà, hướng dẫn từng người dân” tại "
                    "phường Hạc Thành",
                    "type": "door_to_door",
                    "starts_on": D(2025, 10, 1),
                    "ends_on": D(2025, 10, 10),
                    "description": "Tổ công nghệ số cộng đồng hướng dẫn người dân kích hoạt định "
                    "danh điện tử mức 2, sử dụng dịch vụ công trực tuyến và thanh toán không dùng "
                    "tiền mặt.",
                    "values": {
                        "teams": 18,
                        "households-visited": 1450,
                        "people-guided": 2300,
                        "vneid-level2": 640,
                        "people-guided-public-services": 910,
                        "cashless-accounts": None,
                    },
                },
                "accepted",
                5,
            ),
        ]:
            done = _report(
                reporter=hac_thanh,
                campaign=campaign,
                organisation=org,
                assignment=_assignment(org.code, campaign, category),
                spec=spec,
                reviewer=th,
                outcome=outcome,
                photo=photo,
            )
            created += done is not None
    outcomes = [
        ("accepted", "Lan tỏa thông điệp Ngày Chuyển đổi số trên trang thông tin điện tử của xã"),
        ("submitted", "Tuyên truyền Ngày Chuyển đổi số quốc gia trên mạng xã hội của xã"),
        (
            "returned:Thiếu ảnh minh chứng và số lượt tiếp cận; đề nghị bổ sung rồi gửi lại.",
            "Hưởng ứng Ngày hội toàn dân học tập số tại nhà văn hóa",
        ),
    ]
    for commune, (outcome, title) in zip(communes, outcomes, strict=False):
        spec = {
            "title": f"{title} ({commune.name})",
            "type": "communication",
            "starts_on": D(2025, 10, 2),
            "ends_on": D(2025, 10, 10),
            "description": "Đăng tin, bài về vai trò, ý nghĩa, lợi ích của chuyển đổi số và các "
            "mô hình, cách làm hay gắn với chính quyền 02 cấp.",
            "values": {"articles": 6, "social-posts": 15, "people-reached": None},
        }
        done = _report(
            reporter=th,
            campaign=campaign,
            organisation=commune,
            assignment=_assignment(commune.code, campaign, "communication"),
            spec=spec,
            reviewer=th,
            outcome=outcome,
            photo=None,
        )
        created += done is not None
    if press is not None:
        done = _report(
            reporter=th,
            campaign=campaign,
            organisation=press,
            assignment=_assignment(press.code, campaign, "communication"),
            spec={
                "title": "Chuyên mục “Chuyển đổi số” và tọa đàm về Tổ công nghệ số cộng đồng",
                "type": "communication",
                "starts_on": D(2025, 10, 1),
                "ends_on": D(2025, 10, 31),
                "description": "Chuyên đề, chuyên mục, phóng sự, tọa đàm về Ngày Chuyển đổi số "
                "quốc gia năm 2025; phản ánh hoạt động của các Tổ công nghệ số cộng đồng.",
                "links": "https://baothanhhoa.vn",
                "values": {"articles": 42, "videos": 12, "people-reached": 185000},
            },
            reviewer=th,
            outcome="accepted",
            photo=6,
        )
        created += done is not None
    return created
