"""XLSX templates for people to fill in, read back by `core.imports`.

Every template dxday hands out has the same shape:

- the first sheet (a Vietnamese name with diacritics, e.g. "Báo cáo"): a hidden first row of
  column keys ("dx:title") that the import maps columns by, then the Vietnamese headings with
  their unit ("Tin, bài viết đã đăng (bài)"), frozen so they stay in view, then the rows;
- a dropdown (data validation) on every column with a fixed list of choices, showing the
  Vietnamese labels (the import accepts the label, and the old codes too); the lists live in a
  hidden sheet "Danh mục", so a list of any length works; whole numbers ≥ 0 in figure columns;
- a sheet "Hướng dẫn" that explains each column.

The workbook is saved through `core.exports.workbook_save` (formula-like text stays text).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .exports import workbook_save
from .imports import KEY_PREFIX

KEY_ROW = 1
HEADING_ROW = 2
FIRST_ROW = 3
# Validation covers this many rows below the headings (a template is filled by hand).
VALIDATED_ROWS = 2000
LISTS_SHEET = "Danh mục"
GUIDE_SHEET = "Hướng dẫn"


@dataclass
class TemplateColumn:
    key: str
    heading: str  # Vietnamese, with the unit: "Tin, bài viết đã đăng (bài)"
    note: str = ""  # what to write, for the "Hướng dẫn" sheet
    choices: list[str] = field(default_factory=list)  # labels offered in a dropdown
    kind: str = "text"  # "text", "whole" (a whole number ≥ 0), "date"
    width: float = 18
    required: bool = False


def template_xlsx(
    *,
    sheet_title: str,
    columns: list[TemplateColumn],
    rows: list[list[Any]] = (),
    guide_intro: list[str] = (),
    freeze_columns: int = 0,
) -> bytes:
    """The bytes of a template workbook (see the module docstring)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append([f"{KEY_PREFIX}{c.key}" for c in columns])
    sheet.row_dimensions[KEY_ROW].hidden = True
    sheet.append([c.heading for c in columns])
    heading_fill = PatternFill("solid", fgColor="DDEBF7")
    for cell, column in zip(sheet[HEADING_ROW], columns, strict=True):
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.fill = heading_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    sheet.row_dimensions[HEADING_ROW].height = 45
    for row in rows:
        sheet.append(list(row))
    last = FIRST_ROW + max(VALIDATED_ROWS, len(rows)) - 1
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=freeze_columns + 1)

    lists = None
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        cells = f"{letter}{FIRST_ROW}:{letter}{last}"
        if column.choices:
            if lists is None:
                lists = workbook.create_sheet(LISTS_SHEET)
                lists.sheet_state = "hidden"
            list_col = get_column_letter(index)
            lists.cell(row=1, column=index, value=column.heading)
            for r, label in enumerate(column.choices, start=2):
                lists.cell(row=r, column=index, value=label)
            source = f"'{LISTS_SHEET}'!${list_col}$2:${list_col}${len(column.choices) + 1}"
            validation = DataValidation(type="list", formula1=source, allow_blank=True)
            validation.error = _("Hãy chọn một giá trị trong danh sách.")
            validation.errorTitle = column.heading[:32]
            validation.prompt = _("Chọn trong danh sách.")
            validation.showErrorMessage = True
        elif column.kind == "whole":
            validation = DataValidation(
                type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True
            )
            validation.error = _(
                "Hãy nhập một số nguyên không âm, hoặc để trống nếu không báo cáo."
            )
            validation.errorTitle = column.heading[:32]
            validation.showErrorMessage = True
        else:
            validation = None
        if validation is not None:
            validation.showInputMessage = bool(validation.prompt)
            sheet.add_data_validation(validation)
            validation.add(cells)
        if column.kind == "date":
            for r in range(FIRST_ROW, FIRST_ROW + len(rows)):
                sheet.cell(row=r, column=index).number_format = "DD/MM/YYYY"

    guide = workbook.create_sheet(GUIDE_SHEET, index=1)
    for line in guide_intro:
        guide.append([line])
    if guide_intro:
        guide.append([])
    guide.append([_("Cột"), _("Cách ghi")])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    for column in columns:
        note = column.note
        if column.required:
            note = f"{_('Bắt buộc.')} {note}".strip()
        if column.choices and len(column.choices) <= 12:
            note = f"{note} {_('Chọn một trong:')} {'; '.join(column.choices)}.".strip()
        elif column.choices:
            note = f"{note} {_('Chọn trong danh sách thả xuống của cột.')}".strip()
        guide.append([column.heading, note])
    guide.column_dimensions["A"].width = 40
    guide.column_dimensions["B"].width = 90
    for row in guide.iter_rows(min_row=1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    out = io.BytesIO()
    workbook_save(workbook, out)
    return out.getvalue()
