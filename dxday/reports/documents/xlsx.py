"""The XLSX annex: every figure of the report per subordinate unit, with a total row that equals
the report's totals (it is the same figure dict, not a new computation)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from dxday.core.exports import workbook_save

from .. import decree30 as D

FIRST_DATA_ROW = 7
TOTAL_LABEL = "Tổng cộng"
CATALOGUE_SHEET = "Danh mục chỉ tiêu"
ANNEX_SHEET = "Phụ lục"
KIND_LABELS = {"count": "Số lượng (cộng từ các đơn vị)", "percent": "Tỷ lệ (tính từ số lượng)"}


def _print_setup(ws, last_col: int) -> None:
    """A4 landscape, every column on one page width (as many pages tall as needed), the title
    and the column headings (rows 1–6) repeated on every printed page, margins in inches."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # 0: as many pages as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{FIRST_DATA_ROW - 1}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "Trang &P / &N"
    ws.print_area = f"A1:{get_column_letter(max(last_col, 2))}{ws.max_row}"


def build_xlsx(content: dict[str, Any], progress: Callable[[int], None] | None = None) -> bytes:
    progress = progress or (lambda p: None)
    figures = content["figures"]
    wb = Workbook()
    ws = wb.active
    ws.title = ANNEX_SHEET
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(name=D.FONT_NAME, bold=True, size=12)
    plain = Font(name=D.FONT_NAME, size=12)
    wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")

    columns: list[tuple[dict, dict]] = []  # (section, figure)
    for section in figures["sections"]:
        for group in section["groups"]:
            for fig in group["figures"]:
                columns.append((section, group, fig))
    last_col = 2 + len(columns)

    ws["A1"] = "PHỤ LỤC"
    ws["A1"].font = Font(name=D.FONT_NAME, bold=True, size=14)
    ws["A2"] = (
        f"Số liệu kết quả tổ chức các hoạt động hưởng ứng Ngày Chuyển đổi số quốc gia năm "
        f"{content['year']} theo đơn vị trực thuộc — {content['organisation_name']}"
    )
    ws["A2"].font = Font(name=D.FONT_NAME, italic=True, size=12)
    number = content["header"].get("number") or ""
    ws["A3"] = f"(Kèm theo Báo cáo số {number})" if number.strip(" /") else ""
    ws["A3"].font = Font(name=D.FONT_NAME, italic=True, size=12)
    if last_col > 1:
        for row in (1, 2, 3):
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(last_col, 2))
            ws.cell(row=row, column=1).alignment = Alignment(horizontal="center")

    for col, text in ((1, "TT"), (2, "Đơn vị")):
        ws.cell(row=4, column=col, value=text)
        ws.merge_cells(start_row=4, start_column=col, end_row=6, end_column=col)
    col = 3
    for section, group, fig in columns:
        ws.cell(row=4, column=col, value=f"{section['title']} — {group['title']}")
        ws.cell(row=5, column=col, value=fig["label"])
        ws.cell(row=6, column=col, value=f"({fig['unit']})")
        col += 1
    for r in (4, 5, 6):
        for c in range(1, last_col + 1):
            cell = ws.cell(row=r, column=c)
            cell.font, cell.alignment, cell.border = bold, wrap, box
    ws.row_dimensions[4].height = 45
    ws.row_dimensions[5].height = 60

    row = FIRST_DATA_ROW
    for i, unit in enumerate(figures["units"], start=1):
        ws.cell(row=row, column=1, value=i)
        ws.cell(row=row, column=2, value=unit["name"])
        for c, (_s, _g, fig) in enumerate(columns, start=3):
            ws.cell(row=row, column=c, value=fig["by_unit"].get(unit["key"]))
        row += 1
        if i % 200 == 0:
            progress(10 + int(70 * i / max(len(figures["units"]), 1)))
    ws.cell(row=row, column=2, value=TOTAL_LABEL)
    for c, (_s, _g, fig) in enumerate(columns, start=3):
        ws.cell(row=row, column=c, value=fig["value"])
    for r in range(FIRST_DATA_ROW, row + 1):
        for c in range(1, last_col + 1):
            cell = ws.cell(row=r, column=c)
            cell.border = box
            cell.font = bold if r == row else plain
            if c >= 3:
                kind = columns[c - 3][2].get("kind", "count")
                cell.number_format = "0.0" if kind == "percent" else "#,##0"
    for c in range(1, last_col + 1):
        ws.cell(row=row, column=c).fill = PatternFill("solid", fgColor="EEEEEE")
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 42
    for c in range(3, last_col + 1):
        ws.column_dimensions[get_column_letter(c)].width = 16
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=3)
    _print_setup(ws, last_col)

    cat = wb.create_sheet(CATALOGUE_SHEET)
    cat.append(["Cột", "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Loại"])
    for c, (_s, _g, fig) in enumerate(columns, start=3):
        kind = KIND_LABELS.get(fig.get("kind", "count"), fig.get("kind"))
        cat.append([get_column_letter(c), fig["code"], fig["label"], fig["unit"], kind])
    cat.column_dimensions["B"].width = 40
    cat.column_dimensions["C"].width = 50

    progress(90)
    out = io.BytesIO()
    workbook_save(wb, out)
    return out.getvalue()
