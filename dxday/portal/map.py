"""The country as a tile grid: one tile per province (34 since 1/7/2025), placed roughly where
it lies, each printing its short name and its number, shaded in five steps. Server-rendered
SVG, black text on light fills (legible on paper), a table beside it for screen readers.

No maintained package ships the 2025 province boundaries (vietnam-provinces carries codes and
names only), so the map is a grid rather than outlines. Measures are a registry: the door-to-
door figures come from the outreach roll-ups; the learning festival adds its own (`MEASURES`)
when it lands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

# code → (column, row, short name): north at the top, the south-west corner at the bottom left.
TILES: dict[str, tuple[int, int, str]] = {
    "12": (1, 0, "Lai Châu"), "15": (2, 0, "Lào Cai"), "08": (3, 0, "Tuyên Quang"),
    "04": (4, 0, "Cao Bằng"),
    "11": (0, 1, "Điện Biên"), "14": (1, 1, "Sơn La"), "25": (2, 1, "Phú Thọ"),
    "19": (3, 1, "Thái Nguyên"), "20": (4, 1, "Lạng Sơn"),
    "01": (2, 2, "Hà Nội"), "24": (3, 2, "Bắc Ninh"), "22": (4, 2, "Quảng Ninh"),
    "37": (2, 3, "Ninh Bình"), "33": (3, 3, "Hưng Yên"), "31": (4, 3, "Hải Phòng"),
    "38": (2, 4, "Thanh Hóa"),
    "40": (2, 5, "Nghệ An"),
    "42": (2, 6, "Hà Tĩnh"),
    "44": (3, 7, "Quảng Trị"),
    "46": (3, 8, "Huế"),
    "48": (4, 9, "Đà Nẵng"),
    "51": (4, 10, "Quảng Ngãi"),
    "52": (4, 11, "Gia Lai"),
    "66": (4, 12, "Đắk Lắk"),
    "68": (3, 13, "Lâm Đồng"), "56": (4, 13, "Khánh Hòa"),
    "80": (1, 14, "Tây Ninh"), "75": (2, 14, "Đồng Nai"), "79": (3, 14, "TP HCM"),
    "91": (0, 15, "An Giang"), "82": (1, 15, "Đồng Tháp"), "86": (2, 15, "Vĩnh Long"),
    "96": (0, 16, "Cà Mau"), "92": (1, 16, "Cần Thơ"),
}  # fmt: skip
TILE_W, TILE_H, GAP = 92, 58, 4
# Five light-to-mid blues: black text stays readable on each, and on paper in grey.
SHADES = ("#f2f6fb", "#d6e4f2", "#b4cde6", "#8fb3d8", "#6c98c9")
NO_DATA = "#ffffff"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str
    field: str  # the key of a province row of `outreach.selectors.session_totals`
    source: str  # which capability it comes from ("outreach"; "learning" later)


MEASURES: dict[str, Measure] = {
    m.key: m
    for m in (
        Measure("nguoi-dan", _("Người dân được hướng dẫn"), _("người"), "people_guided",
                "outreach"),
        Measure("luot", _("Lượt hướng dẫn"), _("lượt"), "sessions", "outreach"),
        Measure("ho-dan", _("Hộ gia đình được đến"), _("hộ"), "households_visited", "outreach"),
        Measure("tai-khoan", _("Tài khoản được kích hoạt"), _("tài khoản"), "accounts_activated",
                "outreach"),
    )
}  # fmt: skip
DEFAULT_MEASURE = "nguoi-dan"


def _number(value) -> str:
    return "—" if value is None else f"{int(value):,}".replace(",", ".")


def shade_steps(values: list[int]) -> Callable[[int | None], int | None]:
    """A function giving a value its shade index (0–4) by where it falls between 0 and the
    largest value, in equal steps; None for a province without data."""
    top = max(values, default=0)

    def step(value: int | None) -> int | None:
        if value is None:
            return None
        if top <= 0:
            return 0
        return min(4, int(5 * value / top)) if value < top else 4

    return step


def tile_map(values: dict[str, int | None], names: dict[str, str], *, title: str,
             link: Callable[[str], str] | None = None) -> SafeString:  # fmt: skip
    """The tile-grid SVG: each province's short name and number, its full name in <title>."""
    step = shade_steps([v for v in values.values() if v is not None])
    cols = 1 + max(c for c, _, _ in TILES.values())
    rows = 1 + max(r for _, r, _ in TILES.values())
    width, height = cols * (TILE_W + GAP) + GAP, rows * (TILE_H + GAP) + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="dx-chart dx-map" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" '
        f'font-family="Be Vietnam Pro, Arial, sans-serif">',
        f"<title>{escape(title)}</title>",
    ]
    for code, (col, row, short) in TILES.items():
        x, y = GAP + col * (TILE_W + GAP), GAP + row * (TILE_H + GAP)
        value = values.get(code)
        index = step(value)
        fill = NO_DATA if index is None else SHADES[index]
        label = f"{names.get(code, short)}: {_number(value)}"
        tile = (
            f'<g data-province="{code}"><title>{escape(label)}</title>'
            f'<rect x="{x}" y="{y}" width="{TILE_W}" height="{TILE_H}" rx="4" fill="{fill}" '
            f'stroke="#000" stroke-width="0.8"/>'
            f'<text x="{x + TILE_W / 2}" y="{y + 22}" text-anchor="middle" font-size="14" '
            f'fill="#000">{escape(short)}</text>'
            f'<text x="{x + TILE_W / 2}" y="{y + 45}" text-anchor="middle" font-size="19" '
            f'font-weight="bold" fill="#000">{escape(_number(value))}</text></g>'
        )
        if link is not None:
            tile = f'<a href="{escape(link(code))}">{tile}</a>'
        parts.append(tile)
    parts.append("</svg>")
    return mark_safe("".join(parts))
