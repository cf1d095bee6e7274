"""Tuyên Quang's demo reports."""

from __future__ import annotations

from dxday.orgs.models import Role
from dxday.orgs.permissions import Actor
from dxday.plans.models import Campaign

from ._common import D, _actor, _assignment, _report


def _tuyen_quang(campaign: Campaign, national: Actor) -> int:
    tq = _actor("tuyenquang.dieuphoi", Role.COORDINATOR, "tinh-08", "Nông Thị Lan")
    if tq is None:
        return 0
    org = tq.organisation
    specs = [
        (
            "communication",
            {
                "title": "Chiến dịch truyền thông đa phương tiện hưởng ứng Ngày Chuyển đổi số "
                "quốc gia năm 2025 tại Tuyên Quang",
                "type": "communication",
                "starts_on": D(2025, 10, 1),
                "ends_on": D(2025, 10, 31),
                "description": "Truyền thông trên báo chí, phát thanh - truyền hình, Cổng thông "
                "tin điện tử tỉnh, mạng xã hội, pano, áp phích, truyền thông lưu động, tin nhắn "
                "viễn thông về lợi ích và vai trò của chuyển đổi số; thông điệp “Chuyển đổi số: "
                "Nhanh hơn - Hiệu quả hơn - Gần dân hơn”.",
                "values": {
                    "articles": 186,
                    "videos": 24,
                    "social-posts": 410,
                    "people-reached": 350000,
                },
            },
            "accepted",
            1,
        ),
        (
            "learning",
            {
                "title": "“Ngày hội toàn dân học tập số” tại cơ sở",
                "type": "learning",
                "starts_on": D(2025, 10, 10),
                "ends_on": D(2025, 10, 10),
                "description": "Hướng dẫn người dân kỹ năng số cơ bản, truy cập và sử dụng dịch "
                "vụ công trực tuyến, ứng dụng thanh toán không dùng tiền mặt và các nền tảng số "
                "phục vụ đời sống, sản xuất.",
                "values": {"classes": 95, "learners": 6200, "bhvs-enrolments": None},
            },
            "accepted",
            2,
        ),
        (
            "learning",
            {
                "title": "Tập huấn kỹ năng số cho cán bộ, công chức, viên chức: trí tuệ nhân tạo "
                "(AI), dữ liệu lớn (Big Data)",
                "type": "learning",
                "starts_on": D(2025, 10, 14),
                "ends_on": D(2025, 10, 16),
                "is_online": True,
                "description": "Trang bị kiến thức về trí tuệ nhân tạo, dữ liệu lớn, ứng dụng "
                "công nghệ thông tin, chuyển đổi số và kỹ năng làm việc trên môi trường số.",
                "values": {"classes": 4, "learners": 480},
            },
            "accepted",
            None,
        ),
        (
            "sector",
            {
                "title": "Triển khai mô hình “Giải quyết thủ tục hành chính phi địa giới”",
                "type": "initiative",
                "starts_on": D(2025, 10, 1),
                "ends_on": D(2025, 10, 31),
                "description": "Người dân, doanh nghiệp nộp và nhận kết quả thủ tục hành chính "
                "tại bất kỳ điểm tiếp nhận nào trong tỉnh, không phụ thuộc nơi cư trú.",
                "values": {"procedures-location-independent": 1200, "procedures-end-to-end": None},
            },
            "accepted",
            3,
        ),
        (
            None,
            {
                "title": "Cuộc thi trực tuyến tìm hiểu về chuyển đổi số và Nghị quyết về đột "
                "phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
                "type": "contest",
                "starts_on": D(2025, 10, 1),
                "ends_on": D(2025, 10, 25),
                "is_online": True,
                "description": "Dành cho cán bộ, công chức, viên chức, đoàn viên, hội viên và "
                "nhân dân các dân tộc sinh sống, học tập và lao động trên địa bàn tỉnh.",
                "values": {"contest-participants": 21500, "contest-attempts": 48700},
            },
            "submitted",
            None,
        ),
    ]
    created = 0
    for category, spec, outcome, photo in specs:
        assignment = _assignment("tinh-08", campaign, category) if category else None
        done = _report(
            reporter=tq,
            campaign=campaign,
            organisation=org,
            assignment=assignment,
            spec=spec,
            reviewer=national,
            outcome=outcome,
            photo=photo,
        )
        created += done is not None
    return created
