"""QR codes of items and libraries (segno), and the printable "QR block": the code with the
title and the short URL written under it, to paste into a dispatch. Pure functions of text."""

from __future__ import annotations

import io
import textwrap
from functools import cache
from pathlib import Path

import segno
from django.utils.html import escape

BLOCK_WIDTH = 600  # px (PNG) / user units (SVG)
QR_SCALE = 10
QR_BORDER = 4


def _qr(url: str):
    return segno.make(url, error="m", micro=False)


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    _qr(url).save(buffer, kind="png", scale=QR_SCALE, border=QR_BORDER)
    return buffer.getvalue()


def qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    _qr(url).save(buffer, kind="svg", scale=QR_SCALE, border=QR_BORDER, xmldecl=True,
                  svgns=True, title=url)  # fmt: skip
    return buffer.getvalue()


@cache
def _font_path(bold: bool) -> str | None:
    try:
        import fontpkg_be_vietnam_pro
    except ImportError:  # the font ships with the project; a bare install falls back
        return None
    name = "BeVietnamPro-Bold.ttf" if bold else "BeVietnamPro-Regular.ttf"
    path = Path(fontpkg_be_vietnam_pro.__file__).parent / "files" / name
    return str(path) if path.exists() else None


def _font(size: int, bold: bool = False):
    from PIL import ImageFont

    path = _font_path(bold)
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size)


def _title_lines(title: str) -> list[str]:
    return textwrap.wrap(title, width=38)[:3] or [""]


def qr_block_png(url: str, title: str, caption: str) -> bytes:
    """The QR with the title above it and the short URL under it, black on white."""
    from PIL import Image, ImageDraw

    code = Image.open(io.BytesIO(qr_png(url))).convert("RGB")
    side = min(code.width, BLOCK_WIDTH - 80)
    code = code.resize((side, side), Image.NEAREST)
    lines = _title_lines(title)
    title_font, small_font = _font(26, bold=True), _font(20)
    top = 24 + 36 * len(lines)
    height = top + side + 110
    image = Image.new("RGB", (BLOCK_WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((BLOCK_WIDTH // 2, 20 + 36 * i), line, fill="black", font=title_font, anchor="ma")
    image.paste(code, ((BLOCK_WIDTH - side) // 2, top))
    draw.text((BLOCK_WIDTH // 2, top + side + 16), url, fill="black", font=small_font, anchor="ma")
    draw.text((BLOCK_WIDTH // 2, top + side + 52), caption, fill="black", font=small_font,
              anchor="ma")  # fmt: skip
    draw.rectangle((1, 1, BLOCK_WIDTH - 2, height - 2), outline="black", width=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def qr_block_svg(url: str, title: str, caption: str) -> bytes:
    """The same block as SVG: the QR's modules as one path, the texts as real text."""
    code = _qr(url)
    width, _ = code.symbol_size(scale=QR_SCALE, border=QR_BORDER)
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=QR_SCALE, border=QR_BORDER, xmldecl=False, svgns=False,
              svgclass=None, lineclass=None, omitsize=True)  # fmt: skip
    inner = (
        buffer.getvalue().decode().replace("<svg ", f'<svg width="{width}" height="{width}" ', 1)
    )
    lines = _title_lines(title)
    top = 24 + 36 * len(lines)
    x = (BLOCK_WIDTH - width) // 2
    height = top + width + 110
    texts = "".join(
        f'<text x="{BLOCK_WIDTH // 2}" y="{44 + 36 * i}" font-size="26" font-weight="bold" '
        f'text-anchor="middle">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    svg = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {BLOCK_WIDTH} {height}" '
        f'width="{BLOCK_WIDTH}" height="{height}" font-family="Be Vietnam Pro, Arial, sans-serif">'
        f"<title>{escape(title)}</title>"
        f'<rect x="1" y="1" width="{BLOCK_WIDTH - 2}" height="{height - 2}" fill="#fff" '
        'stroke="#000" stroke-width="2"/>'
        f"{texts}"
        f'<g transform="translate({x} {top})">{inner}</g>'
        f'<text x="{BLOCK_WIDTH // 2}" y="{top + width + 36}" font-size="20" '
        f'text-anchor="middle">{escape(url)}</text>'
        f'<text x="{BLOCK_WIDTH // 2}" y="{top + width + 72}" font-size="20" '
        f'text-anchor="middle">{escape(caption)}</text>'
        "</svg>"
    )
    return svg.encode()
