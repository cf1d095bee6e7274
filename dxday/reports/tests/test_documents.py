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


def _pdf_font_families(pdf) -> set[str]:
    """The font families a PDF draws with, without subset tags and styles."""
    families = set()
    for page in pdf.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            base = str(ref.get_object().get("/BaseFont", ""))
            name = base.lstrip("/").split("+", 1)[-1]
            families.add(name.split("-", 1)[0].split(",", 1)[0])
    return families


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
