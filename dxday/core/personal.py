"""One detector of a citizen's personal data in free text: phone numbers, ID numbers (CCCD 12
digits, CMND 9), e-mail addresses and house addresses.

Every free-text field a citizen's data could go into (a session note, a comment, a
description) asks `find_personal_data` / `contains_personal_data` before storing, and refuses
the text with its own sentence. The detector errs towards refusing: a person rewrites a note,
a leaked phone number cannot be taken back. What it must never flag are the figures and dates
officials write every day: "2025", "10/10", "50 hộ", "02/10/2025 08:30", "1.234.567 người".

Numbers. A run of digits joined by the separators people type inside one number (space, ".",
"-", "/", "_", ",", brackets: "(091) 234-5678", "0912/345/678", "001,203,004,567") is read
as one number; ", " and ". " end it (a list, a sentence). Dates and times are taken out
first. A run is personal when it has 9 digits or more, unless it is written as a figure with
thousands separators ("1.234.567.890", first group without a leading zero: an ID number starts
with its province code 0xx and a phone with 0 or +84) or is a list of years.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import nfc

__all__ = ["Finding", "contains_personal_data", "find_personal_data"]


@dataclass(frozen=True)
class Finding:
    kind: str  # "phone", "id_number", "email", "address"
    start: int
    end: int
    text: str


_DATE = re.compile(
    r"(?<!\d)(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}\s*[:h]\s*\d{2}(?:\s*:\s*\d{2})?)(?![\d/.\-])",
    re.IGNORECASE,
)
# A number as typed: digits and in-number separators, optionally "+" or "(" in front.
_NUMBER = re.compile(r"\+?\(?\d[\d\s().\-/_,\u00a0]*\d\)?|\d")
_BREAK = re.compile(r"[.,]\s+|\s{2,}|\s-\s")
_FIGURE = re.compile(r"[1-9]\d{0,2}(?:([.,])\d{3})(?:\1\d{3})*")
_YEARS = re.compile(r"(?:(?:19|20)\d{2}[\s/\-]*)+")
_EMAIL = re.compile(
    r"[\w.+\-]+\s*(?:@|\(at\)|\[at\])\s*[\w\-]+(?:\s*(?:\.|\(dot\)|\[dot\])\s*[\w\-]+)+",
    re.IGNORECASE,
)
# "số 12 ngõ 34", "số nhà 5", "nhà số 5", "ngõ 34", "ngách 5/12", "hẻm 123/4", "kiệt 7".
_ALLEY = re.compile(
    r"(?<!\w)(?:(?:số\s+nhà|nhà\s+số)\s*\d+\w?(?:/\d+\w?)*"
    r"|số\s*\d+\w?(?:/\d+\w?)*\s*,?\s*(?:ngõ|ngách|hẻm|kiệt|đường|phố)"
    r"|(?:ngõ|ngách|hẻm|kiệt)\s+(?:số\s+)?\d+\w?(?:/\d+\w?)*)",
    re.IGNORECASE,
)
# A house number before a street: "123 Lê Lợi", "12/34 Nguyễn Trãi", "45 đường Trần Phú",
# "7 phố Huế". The street must start with a capital letter; checked in code.
_STREET = re.compile(
    r"(?<![\w/])(\d{1,4}[A-Za-z]?(?:/\d{1,4}[A-Za-z]?)*)\s+((?:đường|phố)\s+)?(\w+)(?:\s+(\w+))?",
    re.IGNORECASE,
)
# Words after which a number names a village or group, not a house ("Thôn 3 Đông Hòa").
_GROUP_WORDS = {
    "thôn", "xóm", "tổ", "ấp", "khu", "bản", "khối", "đội", "phường", "quận", "lớp", "năm",
    "ngày", "tháng", "đợt", "lần", "buổi", "số", "nhóm", "làng", "buôn", "sóc", "tdp",
    "phố",
}  # fmt: skip


def _number_kind(piece: str) -> str | None:
    piece = piece.strip(" ()\u00a0")
    digits = re.sub(r"\D", "", piece)
    if len(digits) < 9:
        return None
    if _FIGURE.fullmatch(piece) or _YEARS.fullmatch(piece.strip()):
        return None
    if piece.startswith("+84") or (digits.startswith("84") and len(digits) in (11, 12)):
        return "phone"
    if digits.startswith("0") and len(digits) in (10, 11) and digits[1] != "0":
        return "phone"
    return "id_number"


def _numbers(text: str) -> list[Finding]:
    masked = _DATE.sub(lambda m: "x" * len(m.group()), text)
    out = []
    for m in _NUMBER.finditer(masked):
        offset = m.start()
        pos = 0
        for part in [*_BREAK.split(m.group()), None]:
            if part is None:
                break
            start = m.group().find(part, pos)
            pos = start + len(part)
            kind = _number_kind(part)
            if kind:
                s = offset + start
                out.append(Finding(kind, s, s + len(part), text[s : s + len(part)]))
    return out


def _streets(text: str) -> list[Finding]:
    out = []
    for m in _STREET.finditer(text):
        number, keyword, first, second = m.groups()
        before = text[: m.start()].split()
        if before and before[-1].lower().strip(",.:") in _GROUP_WORDS:
            continue
        if len(number) == 4 and number[:2] in ("19", "20"):
            continue  # a year
        capitalised = first[0].isupper() and first[0].isalpha()
        if keyword:
            if not capitalised:
                continue
        elif not (capitalised and second and second[0].isupper() and second[0].isalpha()):
            continue  # "123 Lê Lợi" needs a two-word capitalised street name
        out.append(Finding("address", m.start(), m.end(), m.group()))
    return out


def find_personal_data(text: str | None) -> list[Finding]:
    """Every phone number, ID number, e-mail address and house address found in `text`."""
    if not text:
        return []
    text = nfc(text)
    has_digit = any(c.isdigit() for c in text)
    found: list[Finding] = []
    if has_digit:
        found += _numbers(text)
    if "@" in text or "at" in text.lower():
        found += [Finding("email", m.start(), m.end(), m.group()) for m in _EMAIL.finditer(text)]
    if has_digit:
        found += [Finding("address", m.start(), m.end(), m.group()) for m in _ALLEY.finditer(text)]
        found += _streets(text)
    return sorted(found, key=lambda f: (f.start, f.kind))


def contains_personal_data(text: str | None) -> bool:
    return bool(find_personal_data(text))
