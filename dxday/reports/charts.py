"""Charts as server-rendered inline SVG: no JavaScript, no CDN, legible on paper.

Bars carry their label and their number printed as text, black on white, so a printed page
(or a screen reader, through the <title> and the table next to each chart) reads the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .documents.formatting import format_value

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 230
WIDTH = 640
PALETTE = ("#1f4e79", "#7a9cc6", "#b8860b", "#6b8e23")


@dataclass
class Bar:
    label: str
    value: float | int | None
    second: float | int | None = None  # e.g. last year, or the target


def hbar_chart(
    bars: list[Bar],
    *,
    title: str,
    percent: bool = False,
    legend: tuple[str, str] | None = None,
) -> SafeString:
    """Horizontal bars (one or two series) with labels and numbers printed on the chart."""
    if not bars:
        return mark_safe("")
    values = [b.value or 0 for b in bars] + [b.second or 0 for b in bars]
    top = 100 if percent else max(values + [1])
    per_row = BAR_HEIGHT * (2 if legend else 1) + GAP
    legend_h = 24 if legend else 0
    height = legend_h + per_row * len(bars) + GAP
    span = WIDTH - LABEL_WIDTH - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="dx-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" style="max-width:{WIDTH}px" '
        f'font-family="Times New Roman, serif" font-size="13">',
        f"<title>{escape(title)}</title>",
    ]
    if legend:
        for i, name in enumerate(legend):
            x = LABEL_WIDTH + i * 160
            parts.append(f'<rect x="{x}" y="4" width="14" height="14" fill="{PALETTE[i]}"/>')
            parts.append(f'<text x="{x + 20}" y="16">{escape(name)}</text>')
    kind = "percent" if percent else "count"
    for i, bar in enumerate(bars):
        y = legend_h + GAP + i * per_row
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT - 7}" text-anchor="end">'
            f"{escape(bar.label[:38])}</text>"
        )
        series = [(bar.value, PALETTE[0])]
        if legend:
            series.append((bar.second, PALETTE[1]))
        for j, (value, colour) in enumerate(series):
            yy = y + j * BAR_HEIGHT
            w = 0 if not value else max(2, span * min(value, top) / top)
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{yy + 2}" width="{w:.1f}" '
                f'height="{BAR_HEIGHT - 4}" fill="{colour}" stroke="#000" stroke-width="0.5"/>'
            )
            parts.append(
                f'<text x="{LABEL_WIDTH + w + 4:.1f}" y="{yy + BAR_HEIGHT - 7}" '
                f'font-weight="bold">{escape(format_value(value, kind))}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def rate_bar(rate: float | None) -> SafeString:
    """A small 0–100% bar for tables (reporting rates), with the number printed beside it."""
    w = 0 if rate is None else max(0.0, min(rate, 100.0))
    colour = "#2e7d32" if (rate or 0) >= 80 else "#b8860b" if (rate or 0) >= 50 else "#b22222"
    return mark_safe(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 150 16" width="150" height="16" '
        'role="img" aria-hidden="true">'
        '<rect x="0" y="2" width="100" height="12" fill="#fff" stroke="#000" stroke-width="0.5"/>'
        f'<rect x="0" y="2" width="{w:.1f}" height="12" fill="{colour}"/>'
        f'<text x="104" y="13" font-size="11" font-family="sans-serif">'
        f"{escape(format_value(rate, 'percent') if rate is not None else '—')}</text></svg>"
    )


YEAR_CHART_WIDTH = 220
YEAR_CHART_HEIGHT = 78


def year_chart(label: str, points: list[tuple[int, float | int | None]], *, percent: bool = False):
    """A small column chart of one figure over the years, the number printed on each column
    and "—" where a year has none (not reported is not zero)."""
    values = [v for _, v in points if v is not None]
    if not values:
        return mark_safe("")
    top = 100 if percent else max(max(values), 1)
    n = len(points)
    slot = (YEAR_CHART_WIDTH - 10) / max(n, 1)
    base = YEAR_CHART_HEIGHT - 17
    kind = "percent" if percent else "count"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="dx-chart dx-year-chart" role="img" '
        f'viewBox="0 0 {YEAR_CHART_WIDTH} {YEAR_CHART_HEIGHT}" width="100%" '
        f'style="max-width:{YEAR_CHART_WIDTH}px" font-family="Times New Roman, serif" '
        f'font-size="13">',
        f"<title>{escape(label)}</title>",
        f'<line x1="4" y1="{base}" x2="{YEAR_CHART_WIDTH - 4}" y2="{base}" stroke="#000"/>',
    ]
    for i, (year, value) in enumerate(points):
        x = 8 + i * slot
        w = slot * 0.6
        cx = x + w / 2
        h = 0 if not value else max(2, (base - 17) * min(value, top) / top)
        if value is not None:
            parts.append(
                f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{w:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[0]}" stroke="#000" stroke-width="0.5"/>'
            )
        parts.append(
            f'<text x="{cx:.1f}" y="{base - h - 4:.1f}" text-anchor="middle" font-weight="bold">'
            f"{escape('—' if value is None else format_value(value, kind))}</text>"
        )
        parts.append(
            f'<text x="{cx:.1f}" y="{YEAR_CHART_HEIGHT - 5}" text-anchor="middle">{year}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
