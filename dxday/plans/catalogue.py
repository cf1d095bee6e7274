"""The indicator catalogue units report against (shared/reference/indicators.md and issue 3).

Data, not code: `catalogue_load` is used by the data migration (with the historical model), by
the demo seed and by tests. A part (`part_of`) never exceeds its total; `parts_violations`
checks a set of reported values against that rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

# (code, name, unit, definition, part_of code or None)
CATALOGUE: list[tuple[str, str, str, str, str | None]] = [
    # Communication
    (
        "articles",
        "Tin, bài viết đã đăng",
        "bài",
        "Tin, bài đăng trên trang/cổng thông tin điện tử, báo chí.",
        None,
    ),  # noqa: E501
    (
        "videos",
        "Phóng sự, video clip",
        "video",
        "Phóng sự, video clip đã phát sóng hoặc đăng tải.",
        None,
    ),  # noqa: E501
    (
        "social-posts",
        "Bài đăng trên mạng xã hội",
        "bài",
        "Bài đăng trên các nền tảng mạng xã hội của đơn vị.",
        None,
    ),  # noqa: E501
    (
        "people-reached",
        "Lượt tiếp cận, lượt xem",
        "lượt",
        "Lượt tiếp cận hoặc lượt xem các sản phẩm truyền thông.",
        None,
    ),  # noqa: E501
    (
        "radio-broadcasts",
        "Buổi phát thanh trên đài truyền thanh cơ sở",
        "buổi",
        "Số buổi (lượt) phát thanh nội dung về chuyển đổi số.",
        None,
    ),  # noqa: E501
    (
        "visual-displays",
        "Pano, áp phích, băng rôn, màn hình LED",
        "điểm",
        "Điểm trưng bày nhận diện Ngày Chuyển đổi số.",
        None,
    ),  # noqa: E501
    # Events
    (
        "events",
        "Sự kiện, hội thảo, tọa đàm đã tổ chức",
        "sự kiện",
        "Sự kiện, hội thảo, tọa đàm hưởng ứng.",
        None,
    ),  # noqa: E501
    (
        "event-participants",
        "Người tham dự sự kiện",
        "người",
        "Người tham dự trực tiếp và trực tuyến.",
        None,
    ),  # noqa: E501
    (
        "event-participants-online",
        "Người tham dự trực tuyến",
        "người",
        "Phần người tham dự theo hình thức trực tuyến.",
        "event-participants",
    ),  # noqa: E501
    # Learning
    (
        "classes",
        "Lớp học số đã tổ chức",
        "lớp",
        "Lớp học số cho cộng đồng, trực tiếp hoặc trực tuyến.",
        None,
    ),  # noqa: E501
    ("learners", "Người học", "người", "Người tham gia các lớp học số.", None),
    (
        "officials-trained",
        "Cán bộ, công chức, viên chức được tập huấn",
        "người",
        "Tập huấn kỹ năng số, AI, dữ liệu lớn, làm việc số.",
        None,
    ),  # noqa: E501
    (
        "bhvs-enrolments",
        "Lượt đăng ký Bình dân học vụ số",
        "lượt",
        "Lượt đăng ký học trên nền tảng Bình dân học vụ số.",
        None,
    ),  # noqa: E501
    (
        "bhvs-completions",
        "Lượt hoàn thành Bình dân học vụ số",
        "lượt",
        "Phần lượt đăng ký đã hoàn thành khóa học.",
        "bhvs-enrolments",
    ),  # noqa: E501
    # Online public services
    (
        "public-services-promoted",
        "Dịch vụ công trực tuyến được tuyên truyền, hướng dẫn",
        "dịch vụ",
        "Số dịch vụ công trực tuyến được giới thiệu, hướng dẫn.",
        None,
    ),  # noqa: E501
    # Door-to-door campaign
    (
        "teams",
        "Tổ công nghệ số cộng đồng tham gia",
        "tổ",
        "Tổ công nghệ số cộng đồng tham gia chiến dịch.",
        None,
    ),  # noqa: E501
    (
        "team-members",
        "Thành viên tổ công nghệ số cộng đồng",
        "người",
        "Thành viên các tổ tham gia chiến dịch.",
        None,
    ),  # noqa: E501
    (
        "households-visited",
        "Hộ gia đình được đến hướng dẫn",
        "hộ",
        "Hộ gia đình tổ công nghệ số đã đến tận nơi.",
        None,
    ),  # noqa: E501
    (
        "people-guided",
        "Người dân được hướng dẫn kỹ năng số",
        "người",
        "Người dân được hướng dẫn trực tiếp.",
        None,
    ),  # noqa: E501
    (
        "vneid-level2",
        "Tài khoản định danh điện tử (VNeID) mức 2 được kích hoạt",
        "tài khoản",
        "Phần người được hướng dẫn đã kích hoạt VNeID mức 2.",
        "people-guided",
    ),  # noqa: E501
    (
        "people-guided-public-services",
        "Người được hướng dẫn sử dụng dịch vụ công trực tuyến",
        "người",
        "Phần người được hướng dẫn dùng dịch vụ công trực tuyến.",
        "people-guided",
    ),  # noqa: E501
    (
        "applications-filed",
        "Hồ sơ trực tuyến được nộp với sự hướng dẫn",
        "hồ sơ",
        "Hồ sơ dịch vụ công trực tuyến nộp khi được hướng dẫn.",
        None,
    ),  # noqa: E501
    (
        "cashless-accounts",
        "Tài khoản thanh toán không dùng tiền mặt được mở",
        "tài khoản",
        "Phần người được hướng dẫn đã mở tài khoản thanh toán.",
        "people-guided",
    ),  # noqa: E501
    (
        "ecommerce-accounts",
        "Tài khoản, gian hàng thương mại điện tử được mở",
        "tài khoản",
        "Tài khoản, gian hàng trên sàn thương mại điện tử.",
        None,
    ),  # noqa: E501
    (
        "digital-safety-guided",
        "Người được hướng dẫn an toàn, phòng chống lừa đảo trên mạng",
        "người",
        "Phần người được hướng dẫn về an toàn số.",
        "people-guided",
    ),  # noqa: E501
    # Contest
    (
        "contest-participants",
        "Người tham gia cuộc thi",
        "người",
        "Người đăng ký tham gia cuộc thi trực tuyến.",
        None,
    ),  # noqa: E501
    ("contest-attempts", "Lượt dự thi", "lượt", "Lượt làm bài thi.", None),
    # State-management areas
    (
        "sectors-chosen",
        "Lĩnh vực quản lý nhà nước chuyển đổi số toàn diện, toàn trình",
        "lĩnh vực",
        "Tối thiểu 3 lĩnh vực mỗi bộ, ngành.",
        None,
    ),  # noqa: E501
    (
        "procedures-end-to-end",
        "Thủ tục hành chính thực hiện trực tuyến toàn trình",
        "thủ tục",
        "Thủ tục được giải quyết trực tuyến toàn trình.",
        None,
    ),  # noqa: E501
    (
        "procedures-location-independent",
        "Thủ tục hành chính phi địa giới được công bố",
        "thủ tục",
        "Thủ tục tiếp nhận không phụ thuộc địa giới hành chính.",
        None,
    ),  # noqa: E501
    # Offers
    (
        "offers-published",
        "Chương trình ưu đãi, giảm giá được công bố",
        "chương trình",
        "Ưu đãi trên sản phẩm, dịch vụ số.",
        None,
    ),  # noqa: E501
]


def catalogue_load(model=None) -> int:
    """Create or update the catalogue (idempotent). Returns how many rows were created."""
    if model is None:
        from .models import Indicator as model
    created = 0
    by_code = {}
    for order, (code, name, unit, definition, _parent) in enumerate(CATALOGUE, start=1):
        obj, was_created = model.objects.update_or_create(
            code=code,
            defaults={"name": name, "unit": unit, "definition": definition, "order": order * 10},
        )
        by_code[code] = obj
        created += int(was_created)
    for code, *_rest, parent in CATALOGUE:
        if parent:
            obj = by_code[code]
            if obj.part_of_id != by_code[parent].pk:
                obj.part_of = by_code[parent]
                obj.save(update_fields=["part_of"])
    return created


def parts_violations(values: Mapping, indicators=None) -> list[dict]:
    """Which reported parts exceed their totals.

    `values` maps indicator pk (or Indicator) to a number; missing means "not reported" and is
    never read as 0, so a part is only checked when its total is reported too. Returns
    [{"indicator": pk, "total": pk, "value", "total_value"}].
    """
    from .models import Indicator

    plain = {getattr(k, "pk", k): v for k, v in values.items() if v is not None}
    if not plain:
        return []
    rows = indicators or Indicator.objects.filter(pk__in=plain, part_of__isnull=False)
    out = []
    for ind in rows:
        if ind.pk not in plain or ind.part_of_id not in plain:
            continue
        if Decimal(str(plain[ind.pk])) > Decimal(str(plain[ind.part_of_id])):
            out.append(
                {
                    "indicator": ind.pk,
                    "total": ind.part_of_id,
                    "value": plain[ind.pk],
                    "total_value": plain[ind.part_of_id],
                }
            )
    return out
