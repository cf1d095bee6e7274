"""The topic catalogue: what community teams guide households through (seeded by migration)."""

# (code, name, outcome label, counts as an activated account)
TOPICS = [
    ("vneid", "Kích hoạt định danh điện tử VNeID mức 2", "tài khoản VNeID mức 2 được kích hoạt",
     True),
    ("dich-vu-cong", "Sử dụng dịch vụ công trực tuyến", "hồ sơ trực tuyến đã nộp", False),
    ("thanh-toan", "Thanh toán không dùng tiền mặt", "tài khoản, ví điện tử được mở", False),
    ("thuong-mai-dien-tu", "Mua bán trên sàn thương mại điện tử", "gian hàng, tài khoản được tạo",
     False),
    ("an-toan-so", "Kỹ năng an toàn trên không gian mạng", "người nắm được cách phòng lừa đảo",
     False),
    ("binh-dan-hoc-vu-so", "Đăng ký học “Bình dân học vụ số”", "người đăng ký học", False),
    ("ai-co-ban", "Làm quen trí tuệ nhân tạo (AI)", "người đã dùng thử trợ lý AI", False),
]  # fmt: skip


def topics_ensure(model=None) -> None:
    """Create or update the catalogue (used by the data migration and after test flushes)."""
    if model is None:
        from .models import Topic as model
    for order, (code, name, outcome_label, activation) in enumerate(TOPICS, start=1):
        model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "outcome_label": outcome_label,
                "counts_as_activation": activation,
                "order": order,
            },
        )
