"""Vietnamese text: NFC normalisation, an unaccented search key and a Vietnamese sort key.

See shared/reference/vietnamese-text.md: the same word arrives in NFC or NFD, with two
tone-placement conventions ("Thanh Hóa" / "Thanh Hoá"), and đ is a letter of its own
that stripping combining marks does not touch.
"""

from __future__ import annotations

import unicodedata

__all__ = ["nfc", "search_key", "sort_key", "sort_text", "contains_key"]

# Combining marks that make a new letter (ă â ê ô ơ ư) rather than a tone.
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
# Tones in dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
_WEIGHT = {letter: i + 1 for i, letter in enumerate(_ALPHABET)}
_LETTER_MARK = {("a", _BREVE): "ă", ("a", _CIRCUMFLEX): "â", ("e", _CIRCUMFLEX): "ê",
                ("o", _CIRCUMFLEX): "ô", ("o", _HORN): "ơ", ("u", _HORN): "ư"}  # fmt: skip


def nfc(value: str | None) -> str:
    """Normalise to NFC and trim; every input is stored this way."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()


def search_key(value: str | None) -> str:
    """Lower case, no diacritics, đ→d, single spaces: "Thanh Hoá" → "thanh hoa"."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", str(value).replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def contains_key(haystack_key: str, query: str) -> bool:
    """Does a stored search key contain the query, diacritics ignored?"""
    return search_key(query) in haystack_key


def _letters(value: str):
    """Yield (letter, tone) pairs: the letter with ă/â/ê/ô/ơ/ư folded in, the tone apart."""
    decomposed = unicodedata.normalize("NFD", value.lower())
    base, tone = None, 0
    for ch in decomposed:
        if unicodedata.combining(ch):
            if base is None:
                continue
            if ch in _TONES:
                tone = _TONES[ch]
            else:
                base = _LETTER_MARK.get((base, ch), base)
            continue
        if base is not None:
            yield base, tone
        base, tone = ch, 0
    if base is not None:
        yield base, tone


def _weight(letter: str) -> int:
    """A letter's primary weight: space, then punctuation, digits, the Vietnamese alphabet,
    then any other letter (ICU's order of groups). Always below 1260 (see `sort_text`)."""
    if letter == " ":
        return 0
    if letter in _WEIGHT:
        return 200 + _WEIGHT[letter]
    if letter.isdigit() and letter.isascii():
        return 100 + int(letter)
    if not letter.isalnum():
        return 1 + min(ord(letter), 98)
    return 300 + min(ord(letter), 959)


def sort_key(value: str | None) -> tuple:
    """Vietnamese alphabetical order: a ă â b c d đ e ê …, tones after the base letter.

    Letters first (primary), then tones (secondary), then the original text as a tie-break,
    which is what ICU's "vi" collation does too.
    """
    if not value:
        return ((), (), "")
    primary, secondary = [], []
    for letter, tone in _letters(nfc(value)):
        primary.append(_weight(letter))
        secondary.append(tone)
    return (tuple(primary), tuple(secondary), value)


_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def sort_text(value: str | None) -> str:
    """`sort_key` as a string for a stored, indexed column (`name_sort`), so the database
    orders names in Vietnamese order on SQLite and PostgreSQL alike.

    Only [0-9a-z] is used, which every collation (C, en_US.UTF-8, ICU) orders the same way
    as bytes. Each letter is two base-36 characters that never start with "0" (weight + 36),
    then "0" ends the letters (so "Cà" sorts before "Cao"), then one digit per tone. Names
    that differ only in case or NFC form get the same key; order by the name next to break
    the tie.
    """
    primary, secondary, _ = sort_key(value)
    letters = "".join(_B36[(w + 36) // 36] + _B36[(w + 36) % 36] for w in primary)
    return letters + "0" + "".join(str(t) for t in secondary)
