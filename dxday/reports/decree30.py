"""Every constant of the official document format in one place.

Decree 30/2020/NĐ-CP, Appendix I (state bodies) — see shared/reference/decree-30-format.md.
Sizes are in millimetres and points as the decree gives them; the generator in
`documents/docx.py` reads only from here, so a change of standard is a change of this module.

Party bodies (Đảng ủy) follow Hướng dẫn 36-HD/VPTW instead. `Standard.PARTY` selects its
heading ("ĐẢNG CỘNG SẢN VIỆT NAM" on the right, the Party committee on the left with an
asterisk, the number written "Số 05-BC/ĐU"). Only the header differs in this implementation;
the Party standard's other details (its own margins table, signature block "T/M ĐẢNG ỦY") are
NOT fully implemented yet: the body and closing block use the Decree 30 rules.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


class Standard(enum.StrEnum):
    STATE = "state"  # Decree 30/2020/NĐ-CP, Appendix I
    PARTY = "party"  # Hướng dẫn 36-HD/VPTW (header only, see module docstring)


# --- Page -----------------------------------------------------------------------------------
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 20  # 20–25
MARGIN_BOTTOM_MM = 20  # 20–25
MARGIN_LEFT_MM = 30  # 30–35
MARGIN_RIGHT_MM = 16  # 15–20 (15 itself rounds to 14.99 mm in twips)
MARGIN_RANGES_MM = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}
HEADER_DISTANCE_MM = 10  # page number sits in the top margin
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 164

FONT_NAME = "Times New Roman"
LANGUAGE = "vi-VN"
BODY_PT = 14  # 13–14
PAGE_NUMBER_PT = 13  # 13–14, centred in the top margin, not on page 1
FIRST_LINE_INDENT_CM = 1.27  # 1 or 1.27
PARAGRAPH_SPACING_PT = 6  # at least 6
LINE_SPACING = 1.15  # single to 1.5
TABLE_PT = 12  # figure tables in the body

# --- Header (two columns, no borders) -------------------------------------------------------
# The columns are sized by `header_layout`: the right one just holds the national title, the
# left one takes the rest, so that "BỘ KHOA HỌC VÀ CÔNG NGHỆ" stays on one line.
HEADER_LEFT_WIDTH_MM = 65  # the narrowest the left column gets
HEADER_RIGHT_WIDTH_MM = TEXT_WIDTH_MM - HEADER_LEFT_WIDTH_MM  # 99, the widest the right gets
CELL_MARGIN_MM = 2  # the table cells' left and right padding (python-docx's 0.08" = 1.9 mm)
HEADER_SLACK_MM = 1.5  # room for the measuring to be a little off
PARENT_AGENCY_PT = 13  # upper case, regular
ISSUING_AGENCY_PT = 13  # upper case, bold, short rule under it
AGENCY_PT_CHOICES = (13, 12)  # 12–13: the larger one at which every agency line fits
PLACE_DATE_PT_CHOICES = (14, 13)  # 13–14
AGENCY_RULE_FRACTION = 0.45  # 1/3–1/2 of the text width
NUMBER_PT = 13  # "Số: 05/BC-UBND"
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_TITLE_PT = 12  # 12–13, bold
MOTTO = "Độc lập - Tự do - Hạnh phúc"
MOTTO_PT = NATIONAL_TITLE_PT + 1  # one point larger, bold, rule as long as the text
PLACE_DATE_PT = 14  # italic
RULE_WIDTH_PT = 0.75  # solid line (w:sz is in eighths of a point: 6)
RULE_GAP_PT = 5  # the rule is drawn this far under the line above it

PARTY_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"
PARTY_TITLE_PT = 15

# --- Title, subject, addressee --------------------------------------------------------------
DOCUMENT_TYPE_NAME = "BÁO CÁO"
DOCUMENT_TYPE_CODE = "BC"
TITLE_PT = 14
SUBJECT_PT = 14
SUBJECT_RULE_FRACTION = 0.33
# "\n" is a line break inside the subject paragraph: the subject is set in two balanced lines.
SUBJECT_TEMPLATE = "Kết quả tổ chức các hoạt động hưởng ứng\nNgày Chuyển đổi số quốc gia năm {year}"
ADDRESSEE_LABEL = "Kính gửi:"
# A report goes to the body above it in the organisation tree (a province's to the Ministry of
# Science and Technology, a commune's to its province); the top of the tree, the national
# coordinator, reports to the Government, which is not a node of the tree.
TOP_ADDRESSEE = "Thủ tướng Chính phủ"
TOP_RECIPIENTS = ("Thủ tướng Chính phủ (để b/c)", "Các Phó Thủ tướng Chính phủ (để b/c)",
                  "Văn phòng Chính phủ")  # fmt: skip

# Type codes (ký hiệu), for reference and for the number helper.
TYPE_CODES = {
    "BC": "báo cáo",
    "KH": "kế hoạch",
    "QĐ": "quyết định",
    "TB": "thông báo",
    "TTr": "tờ trình",
    "GM": "giấy mời",
}

# --- Body -----------------------------------------------------------------------------------
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
LETTERS = "abcdefghiklmnopqrstuvxy"  # Vietnamese lists skip j, w, z
CLOSING_SENTENCE = (
    "Trên đây là báo cáo kết quả tổ chức các hoạt động hưởng ứng Ngày Chuyển đổi số "
    "quốc gia năm {year} của {organisation}./."
)

# --- Closing block --------------------------------------------------------------------------
RECIPIENTS_LABEL = "Nơi nhận:"
RECIPIENTS_LABEL_PT = 12  # bold italic
RECIPIENTS_PT = 11
ARCHIVE_PREFIX = "Lưu: VT"
SIGNATURE_PT = 14  # authority, title and name bold
SIGNATURE_SPACE_LINES = 4  # room for the signature and the seal
AUTHORITY_PREFIXES = ("TM.", "KT.", "Q.", "TL.", "TUQ.")

# Who signs by default, by kind of organisation: (authority lines, title).
DEFAULT_SIGNATURE = {
    "province": ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    "commune": ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    "department": ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    "ministry": ("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"),
    "national": ("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"),
}
DEFAULT_ISSUER_CODE = {
    "province": "UBND",
    "commune": "UBND",
    "department": "SKHCN",
    "ministry": "BTC",
    "national": "BKHCN",
}


# --- Formatting helpers ---------------------------------------------------------------------
def vietnamese_date(day: datetime.date) -> str:
    """ "ngày 05 tháng 10 năm 2025": day padded below 10, month padded only for 1 and 2."""
    month = f"{day.month:02d}" if day.month in (1, 2) else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date(place: str, day: datetime.date | None) -> str:
    """ "Thanh Hóa, ngày 05 tháng 10 năm 2025"; without a date, blanks for the clerk to fill."""
    if day is None:
        return f"{place}, ngày      tháng      năm      "
    return f"{place}, {vietnamese_date(day)}"


def document_number(
    sequence: int | None, issuer_code: str, type_code: str = DOCUMENT_TYPE_CODE
) -> str:
    """ "05/BC-UBND" (numbers below 10 padded); without a number, room for the clerk."""
    kind = f"{type_code}-{issuer_code.upper()}"
    if sequence is None:
        return f"       /{kind}"
    return f"{sequence:02d}/{kind}"


def agency_lines(name: str) -> str:
    """Break a People's Committee's name the way the header sets it: "ỦY BAN NHÂN DÂN" on its
    own line, the locality under it. Names that carry their own breaks are kept."""
    if "\n" in name:
        return name
    for prefix in ("Ủy ban nhân dân ", "ỦY BAN NHÂN DÂN ", "Uỷ ban nhân dân "):
        if name.startswith(prefix):
            return prefix.strip() + "\n" + name[len(prefix) :]
    return name


@dataclass(frozen=True)
class HeaderLayout:
    left_mm: float
    right_mm: float
    agency_pt: int  # parent and issuing agency lines
    parent_lines: tuple[str, ...]
    issuer_lines: tuple[str, ...]
    place_date_pt: int

    def usable_mm(self, column: str) -> float:
        width = self.left_mm if column == "left" else self.right_mm
        return width - 2 * CELL_MARGIN_MM


def _wrap(line: str, size_pt: float, width_mm: float, *, bold: bool) -> list[str]:
    """Greedy word wrap of one line into lines no wider than `width_mm` (a word longer than the
    column stays whole)."""
    out: list[str] = []
    current = ""
    for word in line.split():
        candidate = f"{current} {word}".strip()
        if current and text_width_mm(candidate, size_pt, bold=bold) > width_mm:
            out.append(current)
            current = word
        else:
            current = candidate
    if current:
        out.append(current)
    return out or [line]


def header_layout(
    parent: str, issuer: str, place_date_text: str = "", *, party: bool = False
) -> HeaderLayout:
    """Column widths and sizes of the header so that no agency line breaks inside a name.

    The right column gets the width of its longest fixed line (the national title, or the Party
    title) and no more; the left column the rest of the text width. The agency lines are set at
    13 pt when every one of them fits, else at 12 pt (both within the decree's 12–13); a line
    still too long at 12 pt is broken between words here, deterministically, instead of where
    the word processor happens to wrap it. `parent` and `issuer` are upper case, lines "\n"."""
    if party:
        fixed = [text_width_mm(PARTY_TITLE, PARTY_TITLE_PT, bold=True)]
    else:
        fixed = [
            text_width_mm(NATIONAL_TITLE, NATIONAL_TITLE_PT, bold=True),
            text_width_mm(MOTTO, MOTTO_PT, bold=True),
        ]
    right = min(max(fixed) + 2 * CELL_MARGIN_MM + HEADER_SLACK_MM, HEADER_RIGHT_WIDTH_MM)
    right = float(round(right, 1))
    left = TEXT_WIDTH_MM - right
    usable = left - 2 * CELL_MARGIN_MM
    parent_lines = [ln for ln in parent.split("\n") if ln.strip()]
    issuer_lines = [ln for ln in issuer.split("\n") if ln.strip()]

    def fits(pt: int) -> bool:
        return all(text_width_mm(ln, pt) <= usable for ln in parent_lines) and all(
            text_width_mm(ln, pt, bold=True) <= usable for ln in issuer_lines
        )

    agency_pt = next((pt for pt in AGENCY_PT_CHOICES if fits(pt)), AGENCY_PT_CHOICES[-1])
    if not fits(agency_pt):
        parent_lines = [w for ln in parent_lines for w in _wrap(ln, agency_pt, usable, bold=False)]
        issuer_lines = [w for ln in issuer_lines for w in _wrap(ln, agency_pt, usable, bold=True)]
    place_pt = next(
        (
            pt
            for pt in PLACE_DATE_PT_CHOICES
            if text_width_mm(place_date_text, pt) <= right - 2 * CELL_MARGIN_MM
        ),
        PLACE_DATE_PT_CHOICES[-1],
    )
    return HeaderLayout(
        left_mm=left,
        right_mm=right,
        agency_pt=agency_pt,
        parent_lines=tuple(parent_lines),
        issuer_lines=tuple(issuer_lines),
        place_date_pt=place_pt,
    )


def party_number(number: str) -> str:
    """A Party body writes "05-BC/ĐU" where a state body writes "05/BC-ĐU" (Hướng dẫn 36)."""
    if "/" in number and "-" in number.split("/", 1)[1]:
        seq, rest = number.split("/", 1)
        kind, issuer = rest.split("-", 1)
        return f"{seq}-{kind}/{issuer}"
    return number


def roman(n: int) -> str:
    return ROMAN[n - 1] if 0 < n <= len(ROMAN) else str(n)


@dataclass(frozen=True)
class FontFiles:
    regular: Path
    bold: Path


# Liberation Serif is metric-compatible with Times New Roman: what it measures is what Word and
# LibreOffice lay out. Only used to size the short rules under the header lines.
_FONT_DIRS = [
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/truetype/liberation2"),
]


@lru_cache(maxsize=1)
def _font_files() -> FontFiles | None:
    for d in _FONT_DIRS:
        regular, bold = d / "LiberationSerif-Regular.ttf", d / "LiberationSerif-Bold.ttf"
        if regular.exists() and bold.exists():
            return FontFiles(regular, bold)
    return None


@lru_cache(maxsize=64)
def text_width_mm(text: str, size_pt: float, *, bold: bool = False) -> float:
    """Approximate printed width of one line of Times New Roman text."""
    files = _font_files()
    if files is not None:
        from PIL import ImageFont

        font = ImageFont.truetype(str(files.bold if bold else files.regular), size=100)
        width_pt = font.getlength(text) / 100 * size_pt
    else:  # average glyph width of Times: about half an em, more for capitals
        em = sum(0.7 if c.isupper() else 0.5 for c in text)
        width_pt = em * size_pt * (1.05 if bold else 1.0)
    return width_pt * 25.4 / 72
