"""One way to read numbers from query strings and form fields: bad input is `None`, never a 500.

`str.isdigit()` accepts "²" and "٣", which `int()` then rejects, and a 30-digit id overflows
SQLite's 64-bit integers; so every view reads ids, years and page numbers through here.
"""

from __future__ import annotations

# Larger than any id, year or page this product has, and inside SQLite's and PostgreSQL's
# integer ranges (a 32-bit `integer` column on PostgreSQL overflows past 2**31 - 1).
MAX_INT = 2**31 - 1


def int_param(value, *, default: int | None = None, minimum: int = 0, maximum: int = MAX_INT):
    """A non-negative ASCII integer within [minimum, maximum], else `default`."""
    if value is None:
        return default
    text = str(value).strip()
    if not text or len(text) > 10 or not (text.isascii() and text.isdigit()):
        return default
    number = int(text)
    if number < minimum or number > maximum:
        return default
    return number


def page_param(value, *, default: int = 1, maximum: int = 100_000) -> int:
    """A page number for a Paginator: 1 for anything unusable, capped so offsets stay small."""
    return int_param(value, default=default, minimum=1, maximum=maximum)
