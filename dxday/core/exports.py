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

    def sheet_value(self, value: Any) -> Any:
        """A cell of the XLSX before it is written (a subclass may write words for booleans)."""
        return value

    def xlsx_finish(self, workbook) -> None:
        """Add to the workbook before it is saved (properties, a notes sheet); none by default."""

    def csv_value(self, value: Any) -> Any:
        """A cell of the CSV (a subclass may write booleans as words, say)."""
        return "" if value is None else csv_safe(self._plain(value))

    def records(self) -> Iterable[dict[str, Any]]:
        """The JSON objects, one per row; defaults to the rows under `keys()`."""
        keys = self.keys()
        for row in self.rows():
            yield dict(zip(keys, (self._plain(v) for v in row), strict=True))

    # Streaming: rows are written as they are read, so memory stays flat however many there
    # are (a subclass's rows() should read its queryset with .iterator(chunk_size=...)).
    CHUNK_ROWS = 500

    def csv_chunks(self) -> Iterable[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")
        writer.writerow([csv_safe(h) for h in self.headers()])
        for n, row in enumerate(self.rows(), start=1):
            writer.writerow([self.csv_value(v) for v in row])
            if n % self.CHUNK_ROWS == 0:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue().encode("utf-8")

    def json_chunks(self) -> Iterable[bytes]:
        """A JSON array, one record a line."""
        yield b"["
        parts: list[str] = []
        for n, record in enumerate(self.records()):
            parts.append(("," if n else "") + "\n" + json.dumps(record, ensure_ascii=False))
            if len(parts) >= self.CHUNK_ROWS:
                yield "".join(parts).encode("utf-8")
                parts = []
        parts.append("\n]\n")
        yield "".join(parts).encode("utf-8")

    def to_csv(self) -> bytes:
        return b"".join(self.csv_chunks())

    def to_json(self) -> bytes:
        return b"".join(self.json_chunks())

    def to_xlsx(self) -> bytes:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(self.sheet_title[:31])

        def cell(value: Any) -> Any:
            value = self.sheet_value(value)
            if isinstance(value, datetime.datetime):
                return excel_datetime(value)
            if is_formula_like(value):
                return xlsx_text(WriteOnlyCell(sheet, value=value))
            return value

        sheet.append([cell(v) for v in self.headers()])
        for row in self.rows():
            sheet.append([cell(v) for v in row])
        self.xlsx_finish(workbook)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    CONTENT_TYPES = {
        "csv": "text/csv; charset=utf-8",
        "json": "application/json; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }

    def response(self, fmt: str):
        """An HttpResponse with the export as a download."""
        from django.http import HttpResponse

        body = {"csv": self.to_csv, "json": self.to_json, "xlsx": self.to_xlsx}[fmt]()
        response = HttpResponse(body, content_type=self.CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{self.filename}.{fmt}"'
        return response

    def streaming_response(self, fmt: str):
        """A StreamingHttpResponse with the CSV or JSON written while rows are read."""
        from django.http import StreamingHttpResponse

        chunks = {"csv": self.csv_chunks, "json": self.json_chunks}[fmt]()
        response = StreamingHttpResponse(chunks, content_type=self.CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{self.filename}.{fmt}"'
        return response
