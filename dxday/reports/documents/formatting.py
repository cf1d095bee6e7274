"""How figures are written in documents: 1.234.567 and 85,5% (Vietnamese separators).

A missing figure is written out as "Chưa báo cáo", never as 0.
"""

from __future__ import annotations

NOT_REPORTED = "Chưa báo cáo"


def format_value(value: int | float | None, kind: str = "count") -> str:
    if value is None:
        return NOT_REPORTED
    if kind == "percent":
        return f"{value:.1f}".replace(".", ",") + "%"
    return f"{int(value):,}".replace(",", ".")


def parse_value(text: str) -> int | float | None:
    """The inverse of `format_value` (used by tests and imports)."""
    text = text.strip()
    if text == NOT_REPORTED or not text:
        return None
    if text.endswith("%"):
        return float(text[:-1].replace(",", "."))
    return int(text.replace(".", ""))
