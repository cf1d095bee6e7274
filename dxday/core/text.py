"""Vietnamese text: NFC normalisation, an unaccented search key and a Vietnamese sort key.

See shared/reference/vietnamese-text.md: the same word arrives in NFC or NFD, with two
tone-placement conventions ("Thanh Hóa" / "Thanh Hoá"), and đ is a letter of its own
that stripping combining marks does not touch.
"""

from __future__ import annotations

import unicodedata

__all__ = ["nfc", "search_key", "sort_key", "contains_key"]

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


def sort_key(value: str | None) -> tuple:
    """Vietnamese alphabetical order: a ă â b c d đ e ê …, tones after the base letter.

    Letters first (primary), then tones (secondary), then the original text as a tie-break,
    which is what ICU's "vi" collation does too.
    """
    if not value:
        return ((), (), "")
    primary, secondary = [], []
    for letter, tone in _letters(nfc(value)):
        if letter == " ":
            primary.append(0)
        else:
            primary.append(_WEIGHT.get(letter, 1000 + ord(letter)))
        secondary.append(tone)
    return (tuple(primary), tuple(secondary), value)
