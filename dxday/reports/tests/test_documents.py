"""Decree 30 layout facts of the DOCX, the PDF through LibreOffice, and the `report` command."""

from __future__ import annotations

import datetime as dt
import io
import os
import unicodedata

import pytest
from django.core.management import call_command
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm

from dxday.reports import decree30 as D
from dxday.reports import services
from dxday.reports.documents.pdf import docx_to_pdf, soffice_path
from dxday.reports.services import document_build


def test_vietnamese_date_padding_rules():
    assert D.vietnamese_date(dt.date(2025, 10, 5)) == "ngày 05 tháng 10 năm 2025"
    assert D.vietnamese_date(dt.date(2025, 2, 3)) == "ngày 03 tháng 02 năm 2025"
    assert D.vietnamese_date(dt.date(2025, 1, 20)) == "ngày 20 tháng 01 năm 2025"
    assert D.vietnamese_date(dt.date(2025, 3, 15)) == "ngày 15 tháng 3 năm 2025"
    assert D.vietnamese_date(dt.date(2025, 12, 31)) == "ngày 31 tháng 12 năm 2025"
    assert D.place_date("Thanh Hóa", dt.date(2025, 10, 5)) == "Thanh Hóa, ngày 05 tháng 10 năm 2025"


def test_document_number():
    assert D.document_number(5, "UBND") == "05/BC-UBND"
    assert D.document_number(123, "skhcn") == "123/BC-SKHCN"
    assert D.document_number(None, "UBND").endswith("/BC-UBND")


def test_constants_within_the_decree():
    for side, (low, high) in D.MARGIN_RANGES_MM.items():
        assert low <= getattr(D, f"MARGIN_{side.upper()}_MM") <= high
    assert 13 <= D.BODY_PT <= 14 and 13 <= D.PAGE_NUMBER_PT <= 14
    assert D.MOTTO_PT == D.NATIONAL_TITLE_PT + 1
    assert D.FIRST_LINE_INDENT_CM in (1, 1.27) and D.PARAGRAPH_SPACING_PT >= 6
    assert 1 <= D.LINE_SPACING <= 1.5


@pytest.fixture
def thanh_hoa_docx(world):
    coord = world.people.actor(world.people.th_coordinator)
    report = services.report_draft(organisation=world.tree.th, campaign=world.campaign, by=coord)
    services.report_update_narrative(
        report=report,
        by=coord,
        narrative={"general_situation": "Tình hình chung.\nĐoạn thứ hai.", "proposals": "Đề xuất."},
        header={"number": "05/BC-UBND", "issued_on": dt.date(2025, 10, 5),
                "signer_name": "Nguyễn Văn A", "recipients": ["Bộ Khoa học và Công nghệ (để b/c)"],
                "archive_unit": "KGVX"},
    )  # fmt: skip
    data, _ = document_build(
        "docx", organisation=world.tree.th, campaign=world.campaign, report=report
    )
    return Document(io.BytesIO(data))


def _texts(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


def test_docx_page_and_fonts(thanh_hoa_docx):
    doc = thanh_hoa_docx
    s = doc.sections[0]
    assert abs(s.page_width - Mm(210)) < Mm(0.5) and abs(s.page_height - Mm(297)) < Mm(0.5)
    assert Mm(20) <= s.top_margin <= Mm(25) and Mm(20) <= s.bottom_margin <= Mm(25)
    assert Mm(30) <= s.left_margin <= Mm(35) and Mm(15) <= s.right_margin <= Mm(20)
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert 13 <= normal.font.size.pt <= 14
    rfonts = normal.element.rPr.find(qn("w:rFonts"))
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert rfonts.get(qn(f"w:{slot}")) == "Times New Roman", slot
    # Page numbers from page 2: a different (empty) first-page header, a PAGE field otherwise.
    assert s.different_first_page_header_footer
    assert "PAGE" in s.header._element.xml
    assert "PAGE" not in s.first_page_header._element.xml
    assert s.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_docx_header_block(thanh_hoa_docx):
    header = thanh_hoa_docx.tables[0]
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None
    assert {el.get(qn("w:val")) for el in borders} == {"nil"}
    left, right = header.rows[0].cells
    assert _texts(left) == ["ỦY BAN NHÂN DÂN\nTỈNH THANH HÓA", "Số: 05/BC-UBND"]
    agency = left.paragraphs[0]
    assert all(r.bold for r in agency.runs)
    rule = left.paragraphs[1]  # a real rule: a paragraph border, not underscores
    assert rule.text == "" and rule._p.pPr.find(qn("w:pBdr")) is not None
    assert _texts(right) == [D.NATIONAL_TITLE, D.MOTTO, "Thanh Hóa, ngày 05 tháng 10 năm 2025"]
    title, motto = right.paragraphs[0], right.paragraphs[1]
    assert title.runs[0].bold and motto.runs[0].bold
    assert motto.runs[0].font.size.pt == title.runs[0].font.size.pt + 1
    assert right.paragraphs[2]._p.pPr.find(qn("w:pBdr")) is not None
    assert right.paragraphs[3].runs[0].italic


def test_docx_title_body_and_closing(thanh_hoa_docx):
    doc = thanh_hoa_docx
    texts = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO" in texts
    subject = D.SUBJECT_TEMPLATE.format(year=2025)
    assert subject in texts
    title = doc.paragraphs[texts.index("BÁO CÁO")]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].bold
    assert "Kính gửi: Bộ Khoa học và Công nghệ." in texts
    for heading in ("I. TÌNH HÌNH CHUNG", "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ",
                    "III. GƯƠNG ĐIỂN HÌNH, CÁCH LÀM HAY", "IV. KHÓ KHĂN, VƯỚNG MẮC",
                    "V. ĐỀ XUẤT, KIẾN NGHỊ"):  # fmt: skip
        assert heading in texts
    body = doc.paragraphs[texts.index("Đoạn thứ hai.")]
    pf = body.style.paragraph_format
    assert pf.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert abs(pf.first_line_indent.cm - 1.27) < 0.01
    assert pf.space_after.pt >= 6

    closing = doc.tables[-1]
    assert {el.get(qn("w:val")) for el in closing._tbl.tblPr.find(qn("w:tblBorders"))} == {"nil"}
    left, right = closing.rows[0].cells
    label = left.paragraphs[0]
    assert label.text == "Nơi nhận:" and label.runs[0].bold and label.runs[0].italic
    assert label.runs[0].font.size.pt == 12
    items = [p for p in left.paragraphs[1:] if p.text]
    assert items[0].text == "- Bộ Khoa học và Công nghệ (để b/c);"
    assert items[-1].text == "- Lưu: VT, KGVX."
    assert all(p.runs[0].font.size.pt == 11 for p in items)
    signature = _texts(right)
    assert signature[:3] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert signature[-1] == "Nguyễn Văn A"
    assert right.paragraphs[-1].runs[0].bold


def test_party_variant_header(world):
    coord = world.people.actor(world.people.th_coordinator)
    report = services.report_draft(organisation=world.tree.th, campaign=world.campaign, by=coord)
    services.report_update_narrative(
        report=report, by=coord, header={"party_standard": True, "number": "05/BC-ĐU"}
    )
    data, _ = document_build(
        "docx", organisation=world.tree.th, campaign=world.campaign, report=report
    )
    left, right = Document(io.BytesIO(data)).tables[0].rows[0].cells
    assert _texts(right)[0] == D.PARTY_TITLE
    assert _texts(left)[-1] == "Số 05-BC/ĐU"


def _needs_soffice():
    if soffice_path() is None:
        message = "LibreOffice (soffice) not found: apt-get install libreoffice-writer-nogui"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def test_pdf_through_libreoffice_has_pages_and_text(thanh_hoa_docx):
    _needs_soffice()
    from pypdf import PdfReader

    out = io.BytesIO()
    thanh_hoa_docx.save(out)
    pdf = PdfReader(io.BytesIO(docx_to_pdf(out.getvalue())))
    assert len(pdf.pages) >= 2  # the full Thanh Hóa report runs past one page
    first = unicodedata.normalize("NFC", pdf.pages[0].extract_text())
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO", "Kính gửi",
                 "ngày 05 tháng 10 năm 2025"):  # fmt: skip
        assert text in " ".join(first.split()), text
    second = pdf.pages[1].extract_text().strip().splitlines()
    assert second[0].strip() == "2"  # the page number, centred in the top margin
    assert first.strip().splitlines()[0].strip() != "1"  # no number on page 1
    last = unicodedata.normalize("NFC", pdf.pages[-1].extract_text())
    assert "Nguyễn Văn A" in last
    # Every glyph came from Liberation Serif (Times metrics): a font that lacks a Vietnamese
    # letter makes LibreOffice draw it from another family, which shows up here.
    assert _pdf_font_families(pdf) == {"LiberationSerif"}
    assert _pdf_fonts_embedded(pdf)


def _pdf_fonts(pdf) -> list[tuple[str, bool]]:
    """Every font the PDF draws with, as (base font name, embedded?): the fonts of each page,
    of the form XObjects it paints, and the descendants of composite (Type0) fonts."""
    found: list[tuple[str, bool]] = []
    seen: set = set()

    def font(obj) -> None:
        obj = obj.get_object()
        if id(obj) in seen:
            return
        seen.add(id(obj))
        for child in obj.get("/DescendantFonts") or []:
            font(child)
        if obj.get("/Subtype") == "/Type0":
            return
        descriptor = (obj.get("/FontDescriptor") or {}) and obj["/FontDescriptor"].get_object()
        embedded = bool(descriptor) and any(
            k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
        )
        found.append((str(obj.get("/BaseFont", "")).lstrip("/"), embedded))

    def resources(res) -> None:
        res = res.get_object() if res is not None else {}
        for ref in (res.get("/Font") or {}).values():
            font(ref)
        for ref in (res.get("/XObject") or {}).values():
            xobj = ref.get_object()
            if xobj.get("/Subtype") == "/Form" and id(xobj) not in seen:
                seen.add(id(xobj))
                resources(xobj.get("/Resources"))

    for page in pdf.pages:
        resources(page.get("/Resources"))
    return found


def _pdf_font_families(pdf) -> set[str]:
    """The font families a PDF draws with, without subset tags and styles."""
    return {name.split("+", 1)[-1].split("-", 1)[0].split(",", 1)[0] for name, _ in _pdf_fonts(pdf)}


def _pdf_fonts_embedded(pdf) -> bool:
    fonts = _pdf_fonts(pdf)
    return bool(fonts) and all(embedded for _, embedded in fonts)


@pytest.mark.django_db
def test_report_command_writes_each_format(world, tmp_path):
    for fmt in ("docx", "xlsx"):
        out = tmp_path / f"bao-cao.{fmt}"
        call_command("report", org="tinh-38", campaign=2025, format=fmt, output=str(out))
        assert out.exists() and out.read_bytes()[:2] == b"PK"
    if soffice_path() is not None:
        out = tmp_path / "bao-cao.pdf"
        call_command("report", org="tinh-38", campaign=2025, format="pdf", output=str(out))
        assert out.read_bytes()[:5] == b"%PDF-"


@pytest.mark.django_db
def test_report_command_unknown_org(tree):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("report", org="khong-co", campaign=2025, format="docx")


@pytest.mark.django_db
def test_xlsx_annex_prints_landscape_fit_to_width_with_repeated_titles(world):
    from openpyxl import load_workbook

    from dxday.reports.documents.xlsx import ANNEX_SHEET, FIRST_DATA_ROW

    data, _ = document_build("xlsx", organisation=world.tree.th, campaign=world.campaign)
    sheet = load_workbook(io.BytesIO(data))[ANNEX_SHEET]
    setup = sheet.page_setup
    assert setup.orientation == "landscape"
    assert int(setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0
    # The title and the three heading rows print again on every page.
    assert sheet.print_title_rows == f"$1:${FIRST_DATA_ROW - 1}"
    assert "&P" in sheet.oddFooter.center.text
    # The catalogue sheet explains each column in Vietnamese (no "count"/"percent").
    from dxday.reports.documents.xlsx import CATALOGUE_SHEET

    kinds = {row[4] for row in load_workbook(io.BytesIO(data))[CATALOGUE_SHEET].iter_rows(
        min_row=2, values_only=True)}  # fmt: skip
    assert kinds and not kinds & {"count", "percent", None}


def _twips_to_mm(value) -> float:
    return int(value) / 1440 * 25.4


def _national_docx(world) -> Document:
    data, _ = document_build("docx", organisation=world.tree.national, campaign=world.campaign)
    return Document(io.BytesIO(data))


@pytest.mark.django_db
def test_national_header_keeps_the_ministry_on_one_line(world):
    """ "BỘ KHOA HỌC VÀ CÔNG NGHỆ" must not wrap as "…CÔNG / NGHỆ": the columns fill the text
    width, the right one holds the national title, and each agency line fits its column at the
    size it is set in (12–13 pt)."""
    header = _national_docx(world).tables[0]
    grid = [_twips_to_mm(c.get(qn("w:w"))) for c in header._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert abs(sum(grid) - D.TEXT_WIDTH_MM) < 0.5
    left, right = header.rows[0].cells
    agency = left.paragraphs[0]
    assert agency.text == "BỘ KHOA HỌC VÀ CÔNG NGHỆ"  # one line, no break inside
    size = agency.runs[0].font.size.pt
    assert 12 <= size <= 13
    usable_left = grid[0] - 2 * D.CELL_MARGIN_MM
    assert D.text_width_mm(agency.text, size, bold=True) <= usable_left
    title = right.paragraphs[0]
    usable_right = grid[1] - 2 * D.CELL_MARGIN_MM
    assert D.text_width_mm(title.text, title.runs[0].font.size.pt, bold=True) <= usable_right
    place = right.paragraphs[3]
    assert D.text_width_mm(place.text, place.runs[0].font.size.pt) <= usable_right


@pytest.mark.parametrize(
    ("issuer", "expected_pt", "lines"),
    [
        ("ỦY BAN NHÂN DÂN\nTỈNH THANH HÓA", 13, ["ỦY BAN NHÂN DÂN", "TỈNH THANH HÓA"]),
        ("BỘ KHOA HỌC VÀ CÔNG NGHỆ", 12, ["BỘ KHOA HỌC VÀ CÔNG NGHỆ"]),
        # Too long even at 12 pt: broken between words, the first line as full as it can be.
        ("SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH THANH HÓA", 12,
         ["SỞ KHOA HỌC VÀ CÔNG NGHỆ", "TỈNH THANH HÓA"]),
    ],
)  # fmt: skip
def test_header_layout_sizes_and_breaks_agency_lines(issuer, expected_pt, lines):
    layout = D.header_layout("", issuer, "Hà Nội, ngày 05 tháng 10 năm 2025")
    assert layout.agency_pt == expected_pt
    assert list(layout.issuer_lines) == lines
    assert layout.left_mm + layout.right_mm == pytest.approx(D.TEXT_WIDTH_MM)
    for line in layout.issuer_lines:
        assert D.text_width_mm(line, layout.agency_pt, bold=True) <= layout.usable_mm("left")


@pytest.mark.django_db
def test_addressee_follows_the_tree(world):
    """Kính gửi: the national report to the Prime Minister, a province's to the ministry above
    it, a commune's to its province, by the full name of the body above in the tree."""
    texts = [p.text for p in _national_docx(world).paragraphs]
    assert f"Kính gửi: {D.TOP_ADDRESSEE}." in texts
    from dxday.reports.selectors import report_addressee

    assert report_addressee(world.tree.th) == "Bộ Khoa học và Công nghệ"
    assert report_addressee(world.tree.th_c1) == "Ủy ban nhân dân tỉnh Thanh Hóa"


@pytest.mark.django_db
def test_national_report_section_one_is_not_empty(world):
    paragraphs = [p.text for p in _national_docx(world).paragraphs]
    start = paragraphs.index("I. TÌNH HÌNH CHUNG")
    end = paragraphs.index("II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ")
    body = [t for t in paragraphs[start + 1 : end] if t.strip()]
    assert body and sum(len(t) for t in body) > 200


@pytest.mark.django_db
def test_national_pdf_header_line_is_whole_and_fonts_are_one_serif_family(world):
    _needs_soffice()
    from pypdf import PdfReader

    data, _ = document_build("pdf", organisation=world.tree.national, campaign=world.campaign)
    pdf = PdfReader(io.BytesIO(data))
    lines = [
        " ".join(unicodedata.normalize("NFC", ln).split())
        for ln in pdf.pages[0].extract_text().splitlines()
    ]
    assert any(ln.startswith("BỘ KHOA HỌC VÀ CÔNG NGHỆ") for ln in lines), lines[:6]
    assert not any(ln.strip() == "NGHỆ" for ln in lines)
    assert _pdf_font_families(pdf) == {"LiberationSerif"}
    assert _pdf_fonts_embedded(pdf)


@pytest.mark.django_db
def test_department_header_breaks_between_names_not_inside_them(world):
    """A department: its parent on two lines ("ỦY BAN NHÂN DÂN" / "TỈNH THANH HÓA"), its own
    name broken after "CÔNG NGHỆ", never inside a word pair, every line within its column."""
    data, _ = document_build("docx", organisation=world.tree.th_dost, campaign=world.campaign)
    header = Document(io.BytesIO(data)).tables[0]
    grid = [_twips_to_mm(c.get(qn("w:w"))) for c in header._tbl.tblGrid.findall(qn("w:gridCol"))]
    left = header.rows[0].cells[0]
    parent, issuer = left.paragraphs[0], left.paragraphs[1]
    assert parent.text == "ỦY BAN NHÂN DÂN\nTỈNH THANH HÓA"
    assert issuer.text == "SỞ KHOA HỌC VÀ CÔNG NGHỆ\nTHANH HÓA"
    assert all(r.bold for r in issuer.runs) and not any(r.bold for r in parent.runs)
    size = issuer.runs[0].font.size.pt
    for line in issuer.text.split("\n"):
        assert D.text_width_mm(line, size, bold=True) <= grid[0] - 2 * D.CELL_MARGIN_MM
