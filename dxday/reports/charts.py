"""Charts as server-rendered inline SVG: no JavaScript, no CDN, legible on paper.

Bars carry their label and their number printed as text, black on white, so a printed page
(or a screen reader, through the <title> and the table next to each chart) reads the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .documents.formatting import format_value

BAR_HEIGHT = 18
GAP = 10
LINE = 15  # height of one line of text
WIDTH = 340  # the viewBox, drawn at most this wide: 13 px text on a phone and a desktop
NUMBER_ROOM = 110  # right of the longest bar: its number and unit
LABEL_CHARS = 52  # characters of a label line across the full width (13 px Times)
TITLE_CHARS = 46  # characters of a title line (bold)
PALETTE = ("#1f4e79", "#7a9cc6", "#b8860b", "#6b8e23")


@dataclass
class Bar:
    label: str
    value: float | int | None
    second: float | int | None = None  # e.g. last year, or the target
    unit: str = ""  # the unit of measure ("lượt", "hộ"…); one chart never mixes two


def wrap_label(text: str, width: int = LABEL_CHARS) -> list[str]:
    """`text` in lines of at most `width` characters, broken between words: a label is never
    cut. Only a single word longer than a whole line is split (with a hyphen)."""
    lines: list[str] = []
    line = ""
    for word in str(text).split():
        while len(word) > width:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[: width - 1] + "-")
            word = word[width - 1 :]
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line = f"{line} {word}"
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines or [""]


def _text_lines(lines: list[str], *, x: float, y: float, attrs: str = "") -> str:
    """A <text> of several lines (tspans), the first baseline at `y`."""
    spans = "".join(
        f'<tspan x="{x}" dy="{0 if i == 0 else LINE}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text x="{x}" y="{y}"{attrs}>{spans}</text>'


def hbar_chart(
    bars: list[Bar],
    *,
    title: str,
    percent: bool = False,
    legend: tuple[str, str] | None = None,
) -> SafeString:
    """Horizontal bars (one or two series) under a title, each bar under its label wrapped on
    whole words, with its number (and unit) printed after it. All bars share one scale, so
    they must share one unit of measure: `charts_by_unit` splits mixed figures."""
    if not bars:
        return mark_safe("")
    if not str(title).strip():
        raise ValueError("Every chart has a title.")
    units = {b.unit for b in bars}
    if len(units) > 1:
        raise ValueError(f"One chart, one unit of measure: got {sorted(units)}.")
    unit = "%" if percent else units.pop()
    values = [b.value or 0 for b in bars] + [b.second or 0 for b in bars]
    top = 100 if percent else max(values + [1])
    span = WIDTH - NUMBER_ROOM
    kind = "percent" if percent else "count"
    title_lines = wrap_label(title, TITLE_CHARS)
    parts = [f"<title>{escape(title)}</title>"]
    y = LINE
    parts.append(
        _text_lines(title_lines, x=0, y=y, attrs=' font-weight="bold" class="dx-chart-title"')
    )
    y += LINE * (len(title_lines) - 1) + GAP
    if legend:
        for i, name in enumerate(legend):
            x = i * 120
            parts.append(f'<rect x="{x}" y="{y}" width="14" height="14" fill="{PALETTE[i]}"/>')
            parts.append(f'<text x="{x + 20}" y="{y + 12}">{escape(name)}</text>')
        y += 14 + GAP // 2
    for bar in bars:
        lines = wrap_label(bar.label)
        y += LINE
        parts.append(_text_lines(lines, x=0, y=y, attrs=' class="dx-chart-label"'))
        y += LINE * (len(lines) - 1) + 4
        series = [(bar.value, PALETTE[0])]
        if legend:
            series.append((bar.second, PALETTE[1]))
        for value, colour in series:
            w = 0 if not value else max(2, span * min(value, top) / top)
            parts.append(
                f'<rect x="0" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT - 4}" '
                f'fill="{colour}" stroke="#000" stroke-width="0.5"/>'
            )
            number = format_value(value, kind)
            if value is not None and unit and not percent:
                number = f"{number} {unit}"
            parts.append(
                f'<text x="{w + 4:.1f}" y="{y + BAR_HEIGHT - 7}" font-weight="bold">'
                f"{escape(number)}</text>"
            )
            y += BAR_HEIGHT
        y += GAP // 2
    height = y + GAP
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="dx-chart" role="img" '
        f'aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'style="max-width:{WIDTH}px" font-family="Times New Roman, serif" font-size="13">'
    )
    return mark_safe(head + "".join(parts) + "</svg>")


def charts_by_unit(
    bars: list[Bar], *, title: str, legend: tuple[str, str] | None = None
) -> list[SafeString]:
    """One chart per unit of measure, in the order the units first appear, each titled
    "`title` (đơn vị tính: …)": a figure counted in views never flattens one counted in
    households."""
    groups: dict[str, list[Bar]] = {}
    for bar in bars:
        groups.setdefault(bar.unit, []).append(bar)
    out = []
    for unit, group in groups.items():
        named = (
            _("%(title)s (đơn vị tính: %(unit)s)") % {"title": title, "unit": unit}
            if unit
            else title
        )
        out.append(hbar_chart(group, title=named, legend=legend))
    return out


def rate_bar(rate: float | None) -> SafeString:
    """A small 0–100% bar for tables (reporting rates), with the number printed beside it."""
    w = 0 if rate is None else max(0.0, min(rate, 100.0))
    colour = "#2e7d32" if (rate or 0) >= 80 else "#b8860b" if (rate or 0) >= 50 else "#b22222"
    return mark_safe(
        '<svg xmlns="http://www.w3.org/2000/svg" class="dx-rate" viewBox="0 0 150 16" width="150" '
        'height="16" role="img" aria-hidden="true">'
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
