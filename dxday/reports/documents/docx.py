"""The results report as a DOCX in the format of Decree 30/2020/NĐ-CP, Appendix I.

Every size, font and fixed wording comes from `dxday.reports.decree30`. The document is built
from a `content` dict (see `selectors.report_content`): header, narrative, explanations and the
figures of `selectors.report_figures` (live for a draft, frozen for an accepted report).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from .. import decree30 as D
from .formatting import format_value

_PBDR_SUCCESSORS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_TBLBORDERS_SUCCESSORS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")

BODY_STYLE = "DX Body"


# --- low-level helpers -------------------------------------------------------------------------
def _set_fonts(rpr_parent, size_pt: float | None = None) -> None:
    """Times New Roman in all four font slots (ascii, hAnsi, eastAsia, cs), Vietnamese."""
    if hasattr(rpr_parent, "get_or_add_rPr"):
        rpr = rpr_parent.get_or_add_rPr()
    else:  # w:rPrDefault is not a python-docx element class
        rpr = rpr_parent.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            rpr_parent.append(rpr)
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in list(rfonts.attrib):
        if attr.endswith("Theme") or attr.endswith("theme"):
            del rfonts.attrib[attr]
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{slot}"), D.FONT_NAME)
    # Schema order matters to Word: ... sz, szCs, ..., lang (lang last of these).
    if size_pt is not None:
        sz = rpr.find(qn("w:sz"))
        if sz is None:
            sz = OxmlElement("w:sz")
            existing_lang = rpr.find(qn("w:lang"))
            if existing_lang is not None:
                existing_lang.addprevious(sz)
            else:
                rpr.append(sz)
        sz.set(qn("w:val"), str(int(size_pt * 2)))
        szcs = rpr.find(qn("w:szCs"))
        if szcs is None:
            szcs = OxmlElement("w:szCs")
            sz.addnext(szcs)
        szcs.set(qn("w:val"), str(int(size_pt * 2)))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), D.LANGUAGE)
    lang.set(qn("w:eastAsia"), D.LANGUAGE)


def _paragraph_border(paragraph, side: str = "bottom", width_pt: float = D.RULE_WIDTH_PT) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    pbdr = OxmlElement("w:pBdr")
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(int(width_pt * 8)))
    edge.set(qn("w:space"), "1")
    edge.set(qn("w:color"), "000000")
    pbdr.append(edge)
    ppr.insert_element_before(pbdr, *_PBDR_SUCCESSORS)


def _table_borders(table, value: str) -> None:
    """`value` "nil" for the header and closing blocks, "single" for figure tables."""
    tblpr = table._tbl.tblPr
    existing = tblpr.find(qn("w:tblBorders"))
    if existing is not None:
        tblpr.remove(existing)
    borders = OxmlElement("w:tblBorders")
    for side in _SIDES:
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), value)
        if value != "nil":
            el.set(qn("w:sz"), "4")
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        borders.append(el)
    tblpr.insert_element_before(borders, *_TBLBORDERS_SUCCESSORS)


def _fixed_widths(table, widths_mm: list[float]) -> None:
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tblpr = table._tbl.tblPr
    layout = tblpr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tblpr.insert_element_before(layout, "w:tblCellMar", "w:tblLook")
    layout.set(qn("w:type"), "fixed")
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=False):
        col.set(qn("w:w"), str(int(Mm(w).twips)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(w)


def _tight(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER, after: float = 0) -> None:
    pf = paragraph.paragraph_format
    pf.alignment = align
    pf.first_line_indent = Cm(0)
    pf.space_before = Pt(0)
    pf.space_after = Pt(after)
    pf.line_spacing = 1.0


def _run(paragraph, text: str, size: float, *, bold=False, italic=False):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    return run


def _line(container, text: str, size: float, *, bold=False, italic=False, align=None, after=0):
    """One paragraph; a "\n" in `text` is a line break inside it (not a new paragraph)."""
    p = container.add_paragraph() if hasattr(container, "add_paragraph") else container
    _tight(p, align if align is not None else WD_ALIGN_PARAGRAPH.CENTER, after)
    for i, part in enumerate(text.split("\n")):
        run = _run(p, part, size, bold=bold, italic=italic)
        if i:
            run._r.insert(1, OxmlElement("w:br"))  # after the run's rPr, before its text
    return p


def _rule(container, width_mm: float, column_mm: float) -> None:
    """A short solid rule, centred in its column: an empty paragraph with a bottom border and
    indents, so it is a real line (not underscores) of exactly `width_mm`, drawn a few points
    under the text above (the empty paragraph's height is the gap)."""
    p = container.add_paragraph()
    _tight(p)
    side = max((column_mm - width_mm) / 2, 0)
    p.paragraph_format.left_indent = Mm(side)
    p.paragraph_format.right_indent = Mm(side)
    p.paragraph_format.line_spacing = Pt(D.RULE_GAP_PT)
    _paragraph_border(p, "bottom")
    _run(p, "", 1)


def _first_cell_paragraph(cell):
    """Cells start with one empty paragraph: use it for the first line."""
    return cell.paragraphs[0]


class _Cell:
    """add_paragraph() that reuses the cell's initial empty paragraph once."""

    def __init__(self, cell):
        self.cell = cell
        self.used = False

    def add_paragraph(self):
        if not self.used:
            self.used = True
            return _first_cell_paragraph(self.cell)
        return self.cell.add_paragraph()


# --- the document ---------------------------------------------------------------------------
def _setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(D.PAGE_WIDTH_MM)
    section.page_height = Mm(D.PAGE_HEIGHT_MM)
    section.top_margin = Mm(D.MARGIN_TOP_MM)
    section.bottom_margin = Mm(D.MARGIN_BOTTOM_MM)
    section.left_margin = Mm(D.MARGIN_LEFT_MM)
    section.right_margin = Mm(D.MARGIN_RIGHT_MM)
    section.header_distance = Mm(D.HEADER_DISTANCE_MM)
    section.footer_distance = Mm(D.HEADER_DISTANCE_MM)

    normal = doc.styles["Normal"]
    normal.font.name = D.FONT_NAME
    normal.font.size = Pt(D.BODY_PT)
    _set_fonts(normal.element, D.BODY_PT)
    npf = normal.paragraph_format
    npf.space_before = Pt(0)
    npf.space_after = Pt(0)
    # Word's document defaults point at theme fonts: pin them to Times New Roman too.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            _set_fonts(rpr_default, D.BODY_PT)

    body = doc.styles.add_style(BODY_STYLE, 1)
    body.base_style = normal
    bpf = body.paragraph_format
    bpf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    bpf.first_line_indent = Cm(D.FIRST_LINE_INDENT_CM)
    bpf.space_before = Pt(0)
    bpf.space_after = Pt(D.PARAGRAPH_SPACING_PT)
    bpf.line_spacing = D.LINE_SPACING
    bpf.widow_control = True

    # Page numbers: centred in the top margin, from page 2 (page 1 has its own, empty header).
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    p = section.header.paragraphs[0]
    _tight(p)
    run = p.add_run()
    run.font.size = Pt(D.PAGE_NUMBER_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)


def _header_block(doc, content: dict[str, Any]) -> None:
    h = content["header"]
    party = bool(h.get("party_standard"))
    parent = D.agency_lines((h.get("parent_agency") or "").strip()).upper()
    issuer = D.agency_lines((h.get("issuing_agency") or "").strip()).upper()
    issued_on = h.get("issued_on")
    day = datetime.date.fromisoformat(issued_on) if issued_on else None
    place_date = D.place_date(h.get("place") or "", day)
    layout = D.header_layout(parent, issuer, place_date, party=party)
    table = doc.add_table(rows=1, cols=2)
    _table_borders(table, "nil")
    _fixed_widths(table, [layout.left_mm, layout.right_mm])
    left, right = _Cell(table.cell(0, 0)), _Cell(table.cell(0, 1))
    column = layout.usable_mm("left")

    if layout.parent_lines:
        _line(left, "\n".join(layout.parent_lines), layout.agency_pt)
    _line(left, "\n".join(layout.issuer_lines), layout.agency_pt, bold=True)
    if party:
        _line(left, "*", layout.agency_pt)
    else:
        longest = max(
            (D.text_width_mm(ln, layout.agency_pt, bold=True) for ln in layout.issuer_lines),
            default=0.0,
        )
        _rule(left, min(longest, column) * D.AGENCY_RULE_FRACTION, column)
    number = h.get("number") or ""
    if party:
        _line(left, f"Số {D.party_number(number)}", D.NUMBER_PT)
    else:
        p = _line(left, f"Số: {number}", D.NUMBER_PT)
        p.paragraph_format.space_before = Pt(4)

    rcol = layout.usable_mm("right")
    if party:
        _line(right, D.PARTY_TITLE, D.PARTY_TITLE_PT, bold=True)
        _rule(right, D.text_width_mm(D.PARTY_TITLE, D.PARTY_TITLE_PT, bold=True), rcol)
    else:
        _line(right, D.NATIONAL_TITLE, D.NATIONAL_TITLE_PT, bold=True)
        _line(right, D.MOTTO, D.MOTTO_PT, bold=True)
        _rule(right, D.text_width_mm(D.MOTTO, D.MOTTO_PT, bold=True), rcol)
    p = _line(right, place_date, layout.place_date_pt, italic=True)
    p.paragraph_format.space_before = Pt(6)


def _title_block(doc, content: dict[str, Any]) -> None:
    h = content["header"]
    p = _line(doc, D.DOCUMENT_TYPE_NAME, D.TITLE_PT, bold=True)
    p.paragraph_format.space_before = Pt(18)
    subject = D.SUBJECT_TEMPLATE.format(year=content["year"])
    _line(doc, subject, D.SUBJECT_PT, bold=True)
    longest = max(subject.split("\n"), key=len)
    width = min(D.text_width_mm(longest, D.SUBJECT_PT, bold=True), D.TEXT_WIDTH_MM)
    _rule(doc, width * D.SUBJECT_RULE_FRACTION, D.TEXT_WIDTH_MM)
    if h.get("addressee"):
        p = _line(doc, f"{D.ADDRESSEE_LABEL} {h['addressee']}.", D.BODY_PT, after=12)
        p.paragraph_format.space_before = Pt(12)


def _body(doc, text: str, *, draft: bool = False) -> None:
    """Body paragraphs, one a line. A `draft` (text the system drafted from the figures, that
    nobody has edited yet) is highlighted, so that it is read and corrected before signing."""
    for chunk in (text or "").replace("\r\n", "\n").split("\n"):
        chunk = chunk.strip()
        if chunk:
            p = doc.add_paragraph(style=BODY_STYLE)
            run = p.add_run(chunk)
            if draft:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _heading(doc, text: str, *, italic: bool = False) -> None:
    p = doc.add_paragraph(style=BODY_STYLE)
    p.paragraph_format.keep_with_next = True
    run = p.add_run(text)
    run.bold = not italic
    run.italic = italic


def _figure_table(doc, group: dict[str, Any], explanations: dict[str, str]) -> None:
    headers = ["TT", "Chỉ tiêu", "Đơn vị tính", "Kết quả", "Ghi chú"]
    widths = [10, 71, 23, 25, 35]  # = TEXT_WIDTH_MM
    table = doc.add_table(rows=1 + len(group["figures"]), cols=len(headers))
    _table_borders(table, "single")
    _fixed_widths(table, widths)
    # The header row repeats on every page the table runs onto; rows never split.
    for r, row in enumerate(table.rows):
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        if r == 0:
            trpr.append(OxmlElement("w:tblHeader"))
    for i, text in enumerate(headers):
        p = table.cell(0, i).paragraphs[0]
        _tight(p)
        _run(p, text, D.TABLE_PT, bold=True)
    for r, fig in enumerate(group["figures"], start=1):
        values = [
            str(r),
            fig["label"],
            fig["unit"],
            format_value(fig["value"], fig.get("kind", "count")),
            explanations.get(fig["code"], ""),
        ]
        for c, text in enumerate(values):
            p = table.cell(r, c).paragraphs[0]
            align = WD_ALIGN_PARAGRAPH.LEFT if c in (1, 4) else WD_ALIGN_PARAGRAPH.CENTER
            if c == 3:
                align = WD_ALIGN_PARAGRAPH.RIGHT
            _tight(p, align)
            _run(p, text, D.TABLE_PT)
    spacer = doc.add_paragraph()
    _tight(spacer, after=D.PARAGRAPH_SPACING_PT)


def _closing_block(doc, content: dict[str, Any]) -> None:
    h = content["header"]
    table = doc.add_table(rows=1, cols=2)
    _table_borders(table, "nil")
    _fixed_widths(table, [70, D.TEXT_WIDTH_MM - 70])
    left, right = _Cell(table.cell(0, 0)), _Cell(table.cell(0, 1))
    _line(left, D.RECIPIENTS_LABEL, D.RECIPIENTS_LABEL_PT, bold=True, italic=True,
          align=WD_ALIGN_PARAGRAPH.LEFT)  # fmt: skip
    for name in h.get("recipients") or []:
        name = name.strip().lstrip("-").strip().rstrip(";.")
        _line(left, f"- {name};", D.RECIPIENTS_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
    archive = (h.get("archive_unit") or "").strip()
    archive_line = f"- {D.ARCHIVE_PREFIX}, {archive}." if archive else f"- {D.ARCHIVE_PREFIX}."
    _line(left, archive_line, D.RECIPIENTS_PT, align=WD_ALIGN_PARAGRAPH.LEFT)

    for line in (h.get("authority_line") or "").splitlines():
        if line.strip():
            _line(right, line.strip().upper(), D.SIGNATURE_PT, bold=True)
    if h.get("signer_title"):
        _line(right, h["signer_title"].upper(), D.SIGNATURE_PT, bold=True)
    for _ in range(D.SIGNATURE_SPACE_LINES):
        _line(right, "", D.SIGNATURE_PT)
    _line(right, h.get("signer_name") or "", D.SIGNATURE_PT, bold=True)


def build_docx(content: dict[str, Any], progress: Callable[[int], None] | None = None) -> bytes:
    progress = progress or (lambda p: None)
    doc = Document()
    _setup(doc)
    # The empty paragraph python-docx's template starts with would push the header down.
    for p in list(doc.paragraphs):
        p._p.getparent().remove(p._p)
    _header_block(doc, content)
    _title_block(doc, content)
    progress(20)

    narrative = content["narrative"]
    drafted = set(content.get("drafted") or ())
    explanations = content.get("explanations") or {}
    sections = content["figures"]["sections"]
    n = 0

    n += 1
    _heading(doc, f"{D.roman(n)}. TÌNH HÌNH CHUNG")
    _body(doc, narrative.get("general_situation") or "", draft="general_situation" in drafted)

    n += 1
    _heading(doc, f"{D.roman(n)}. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ")
    for i, section in enumerate(sections, start=1):
        _heading(doc, f"{i}. {section['title']}")
        if not section["groups"]:
            _body(doc, section.get("note") or "Chưa có số liệu.")
        for j, group in enumerate(section["groups"]):
            letter = D.LETTERS[j] if j < len(D.LETTERS) else str(j + 1)
            _heading(doc, f"{letter}) {group['title']}", italic=True)
            _figure_table(doc, group, explanations)
        progress(20 + int(60 * i / max(len(sections), 1)))

    n += 1
    _heading(doc, f"{D.roman(n)}. GƯƠNG ĐIỂN HÌNH, CÁCH LÀM HAY")
    _body(doc, narrative.get("outstanding_examples") or "", draft="outstanding_examples" in drafted)
    for section in sections:
        for ex in section.get("examples") or []:
            text = f"- {ex['title']} ({ex['organisation']})"
            if ex.get("text"):
                text += f": {ex['text']}"
            _body(doc, text)

    n += 1
    _heading(doc, f"{D.roman(n)}. KHÓ KHĂN, VƯỚNG MẮC")
    _body(doc, narrative.get("difficulties") or "", draft="difficulties" in drafted)

    n += 1
    _heading(doc, f"{D.roman(n)}. ĐỀ XUẤT, KIẾN NGHỊ")
    _body(doc, narrative.get("proposals") or "", draft="proposals" in drafted)

    _body(
        doc,
        D.CLOSING_SENTENCE.format(year=content["year"], organisation=content["organisation_name"]),
    )
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    doc.paragraphs[-1].paragraph_format.space_after = Pt(12)
    _closing_block(doc, content)
    progress(90)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
