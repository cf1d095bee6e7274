"""The one detector of a citizen's personal data in free text (issue 9 §6).

Guards: the session-note filter (a run of 9+ digits with spaces, dots or dashes) let through
"(091) 234-5678", "0912/345/678", "0912_345_678", "0912,345,678", "001,203,004,567", e-mail
addresses and house addresses; and the figures officials write must stay allowed.
"""

from __future__ import annotations

import pytest

from dxday.core.personal import contains_personal_data, find_personal_data

# (text, the kinds found; empty for text that must pass)
CASES = [
    # Phones, as people type them
    ("0912345678", {"phone"}),
    ("SĐT 0912 345 678", {"phone"}),
    ("gọi 0912.345.678 nhé", {"phone"}),
    ("0912-345-678", {"phone"}),
    ("(091) 234-5678", {"phone"}),
    ("0912/345/678", {"phone"}),
    ("0912_345_678", {"phone"}),
    ("0912,345,678", {"phone"}),
    ("+84 912 345 678", {"phone"}),
    ("+84912345678", {"phone"}),
    ("84-912-345-678", {"phone"}),
    ("máy bàn 024 3824 5678", {"phone"}),
    ("(024) 38245678", {"phone"}),
    ("zalo: 09 12 34 56 78", {"phone"}),
    # ID numbers: CCCD 12 digits, CMND 9
    ("CCCD 038123456789", {"id_number"}),
    ("001,203,004,567", {"id_number"}),
    ("001.203.004.567", {"id_number"}),
    ("số định danh 001 203 004 567", {"id_number"}),
    ("CMND 123456789", {"id_number"}),
    ("CMND: 172-345-678", {"id_number"}),
    # E-mail addresses
    ("email bac.ba@gmail.com", {"email"}),
    ("Nguyen.Van-A+vneid@yahoo.com.vn", {"email"}),
    ("liên hệ ba.nguyen (at) gmail (dot) com", {"email"}),
    ("thư: hoa_le @ outlook.com", {"email"}),
    # House addresses
    ("số 12 ngõ 34 phố Hàng Bông", {"address"}),
    ("nhà số 5, hẻm 123/4 Nguyễn Trãi", {"address"}),
    ("số nhà 7 đường Trần Phú", {"address"}),
    ("123 Lê Lợi", {"address"}),
    ("ở 12/34 Nguyễn Văn Cừ", {"address"}),
    ("kiệt 7 Hùng Vương", {"address"}),
    ("45 đường Quang Trung", {"address"}),
    ("ngách 5/12 ngõ 80", {"address"}),
    # Figures, dates and ordinary notes: never flagged
    ("Năm 2025", set()),
    ("ngày 10/10", set()),
    ("50 hộ, 120 người", set()),
    ("02/10/2025 08:30", set()),
    ("2025-10-02 lúc 9h30", set()),
    ("từ 01/10/2025 đến 10/10/2025", set()),
    ("1.234.567 người", set()),
    ("kinh phí 1.250.000.000 đồng", set()),
    ("đạt 98,5%", set()),
    ("Thôn 3 Đông Hòa có 45 hộ", set()),
    ("Tổ dân phố 5 Phường Hạc Thành", set()),
    ("Đi từng ngõ, gõ từng nhà", set()),
    ("hướng dẫn 3 người cài VNeID, 2 người thanh toán", set()),
    ("năm 2024, 2025, 2026", set()),
    ("giai đoạn 2021 2025 2030", set()),
    ("Hộ gia đình thôn Đông", set()),
    ("Bác Ba 70 tuổi", set()),
    ("5, 6, 7, 8, 9, 10, 11 tháng 10", set()),
    ("", set()),
]


@pytest.mark.parametrize(("text", "kinds"), CASES, ids=[c[0] or "empty" for c in CASES])
def test_detector_table(text, kinds):
    assert {f.kind for f in find_personal_data(text)} == kinds
    assert contains_personal_data(text) is bool(kinds)


def test_table_is_large_and_mixed():
    positives = [c for c in CASES if c[1]]
    negatives = [c for c in CASES if not c[1]]
    assert len(positives) >= 30 and len(negatives) >= 15


def test_finding_points_at_the_text():
    (finding,) = find_personal_data("Bác Ba, SĐT (091) 234-5678, ở thôn Đông")
    assert finding.kind == "phone"
    assert finding.text == "(091) 234-5678"
