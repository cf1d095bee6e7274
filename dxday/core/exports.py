"""Exports are classes: a subclass yields rows, the base renders CSV, XLSX or JSON
(pretix's ListExporter). CSV carries a UTF-8 BOM so Excel shows Vietnamese correctly; numbers
stay plain numbers for machines.

Text that a spreadsheet would run as a formula (it starts with = + - @, a tab or a carriage
return; OWASP "CSV injection") is neutralised here, for every exporter: CSV prefixes it with an
apostrophe, XLSX stores it as a string cell with Excel's quote prefix (the text is unchanged, so
a title "=HYPERLINK(...)" reads back as that title). JSON is for programs and stays verbatim.
Numbers are never touched, so -5 stays a number. XLSX times are wall-clock times in
Asia/Ho_Chi_Minh (TIME_ZONE): Excel has no time zones.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone

# The first characters that make Excel, LibreOffice or Google Sheets read a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    """Would a spreadsheet run this text cell as a formula?"""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_safe(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs: formula-like text gets a leading apostrophe."""
    return "'" + value if is_formula_like(value) else value


def xlsx_text(cell):
    """Make an openpyxl cell holding formula-like text a plain text cell (for workbooks built
    by hand; the base class does this for every exporter). Returns the cell."""
    if is_formula_like(cell.value):
        cell.data_type = "s"  # openpyxl would store "=..." as a formula
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    return cell


def workbook_save(workbook, out) -> None:
    """Save a workbook built by hand with every formula-like text cell made plain text first,
    so a title such as "=HYPERLINK(...)" typed by a unit never runs in a reader's Excel."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                xlsx_text(cell)
    workbook.save(out)


def excel_datetime(value: datetime.datetime) -> datetime.datetime:
    """An aware datetime as the naive local (TIME_ZONE) wall-clock time Excel stores."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


class ListExporter:
    filename = "export"
    sheet_title = "Dữ liệu"

    def headers(self) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def keys(self) -> list[str]:
        """Machine keys for JSON; defaults to the headers."""
        return self.headers()

    def rows(self) -> Iterable[list[Any]]:  # pragma: no cover - abstract
        raise NotImplementedError

    @staticmethod
    def _plain(value: Any) -> Any:
        if isinstance(value, datetime.datetime | datetime.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return float(value)
        return value

    def to_csv(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([csv_safe(h) for h in self.headers()])
        for row in self.rows():
            writer.writerow(["" if v is None else csv_safe(self._plain(v)) for v in row])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")

    def to_json(self) -> bytes:
        keys = self.keys()
        data = [dict(zip(keys, (self._plain(v) for v in row), strict=True)) for row in self.rows()]
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")

    def to_xlsx(self) -> bytes:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(self.sheet_title[:31])

        def cell(value: Any) -> Any:
            if isinstance(value, datetime.datetime):
                return excel_datetime(value)
            if is_formula_like(value):
                return xlsx_text(WriteOnlyCell(sheet, value=value))
            return value

        sheet.append([cell(v) for v in self.headers()])
        for row in self.rows():
            sheet.append([cell(v) for v in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def response(self, fmt: str):
        """An HttpResponse with the export as a download."""
        from django.http import HttpResponse

        content_types = {
            "csv": "text/csv; charset=utf-8",
            "json": "application/json; charset=utf-8",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
        body = {"csv": self.to_csv, "json": self.to_json, "xlsx": self.to_xlsx}[fmt]()
        response = HttpResponse(body, content_type=content_types[fmt])
        response["Content-Disposition"] = f'attachment; filename="{self.filename}.{fmt}"'
        return response
