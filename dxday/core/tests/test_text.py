"""Vietnamese text helpers, tested with real names."""

import unicodedata

from dxday.core.text import contains_key, nfc, search_key, sort_key

HOA_NFC = "Hòa"
HOA_NFD = unicodedata.normalize("NFD", "Hòa")


def test_nfc_unifies_precomposed_and_decomposed():
    assert len(HOA_NFC) == 3 and len(HOA_NFD) == 4
    assert HOA_NFC != HOA_NFD
    assert nfc(HOA_NFD) == HOA_NFC
    assert nfc("  Thanh Hóa ") == "Thanh Hóa"
    assert nfc(None) == ""


def test_search_key_ignores_form_tone_placement_and_case():
    assert search_key(HOA_NFD) == search_key(HOA_NFC) == "hoa"
    # Both tone-placement conventions are found by the unaccented query.
    assert search_key("Thanh Hóa") == search_key("Thanh Hoá") == "thanh hoa"
    assert contains_key(search_key("UBND tỉnh Thanh Hóa"), "Thanh Hoa")
    assert contains_key(search_key("Báo Thanh Hoá"), "thanh hoa")


def test_search_key_maps_d_stroke():
    assert search_key("Chuyển đổi số") == "chuyen doi so"
    assert contains_key(search_key("Ngày Chuyển đổi số quốc gia"), "chuyen doi so")
    assert search_key("Đắk Lắk") == "dak lak"
    assert search_key("Điện Biên") == "dien bien"
    assert search_key("Thành phố  Đà   Nẵng") == "thanh pho da nang"


def test_vietnamese_sort_order_of_real_names():
    names = ["Đà Nẵng", "Đắk Lắk", "Dương Minh Châu", "An Giang", "Ân Thi", "Ăn Khế", "Bắc Ninh",
             "Cà Mau", "Điện Biên", "Yên Bái", "Ơn Điền", "Ô Môn", "Ông Ích Khiêm"]  # fmt: skip
    ordered = sorted(names, key=sort_key)
    # D before Đ: every D-name comes before every Đ-name.
    assert ordered.index("Dương Minh Châu") < ordered.index("Đà Nẵng")
    assert ordered.index("Đà Nẵng") < ordered.index("Đắk Lắk") < ordered.index("Điện Biên")
    # A, then Ă, then Â, then B.
    assert ordered[:4] == ["An Giang", "Ăn Khế", "Ân Thi", "Bắc Ninh"]
    # O, Ô, Ơ at the end before Y.
    assert ordered[-4:] == ["Ô Môn", "Ông Ích Khiêm", "Ơn Điền", "Yên Bái"]
    # Plain code-point order gets this wrong, which is why the key exists.
    assert sorted(names)[-1] != "Yên Bái"


def test_tones_order_after_the_base_letter():
    # ngang, huyền, hỏi, ngã, sắc, nặng
    words = ["hạ", "há", "hã", "hả", "hà", "ha"]
    assert sorted(words, key=sort_key) == ["ha", "hà", "hả", "hã", "há", "hạ"]
    assert sorted(["Hòa", "Hoa", "Hóa"], key=sort_key) == ["Hoa", "Hòa", "Hóa"]
    assert sort_key(HOA_NFD)[:2] == sort_key(HOA_NFC)[:2]
