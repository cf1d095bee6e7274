"""Tabular imports (XLSX or CSV): read, validate row by row, dry run, all or nothing.

A capability subclasses `TableImport`, names its columns and validates one row at a time;
`run_import` collects every row's errors (in Vietnamese, with the spreadsheet row number) and
saves only when the whole file is clean and this is not a dry run — a file with one bad row
saves nothing. Saving runs in one transaction, so a failure there leaves nothing behind either.
"""

from __future__ import annotations

import contextlib
import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .errors import DomainError
from .text import nfc, search_key

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024


@dataclass
class RowError:
    row: int  # the row number a person sees in the spreadsheet (header = 1)
    message: str
    column: str | None = None

    def __str__(self) -> str:
        if self.column:
            return _("Dòng %(row)s, cột “%(column)s”: %(message)s") % {
                "row": self.row, "column": self.column, "message": self.message,
            }  # fmt: skip
        return _("Dòng %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportReport:
    rows_total: int = 0
    rows_valid: int = 0
    saved: int = 0
    dry_run: bool = True
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "rows_total": self.rows_total,
            "rows_valid": self.rows_valid,
            "saved": self.saved,
            "dry_run": self.dry_run,
            "errors": [{"row": e.row, "column": e.column, "message": str(e)} for e in self.errors],
        }


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = nfc(value)
        return value or None
    return value


def read_rows(uploaded, filename: str | None = None) -> list[dict[str, Any]]:
    """Rows of an .xlsx or .csv file as dicts keyed by the header row (NFC-normalised).

    Each dict carries its spreadsheet row number under "__row__". Raises DomainError for a
    file that cannot be read at all.
    """
    name = (filename or getattr(uploaded, "name", "") or "").lower()
    data = uploaded.read() if hasattr(uploaded, "read") else bytes(uploaded)
    if len(data) > MAX_BYTES:
        raise DomainError(_("Tệp quá lớn (tối đa 10 MB)."), code="file_too_large")
    if name.endswith(".csv"):
        rows = _read_csv(data)
    elif name.endswith(".xlsx") or data[:2] == b"PK":
        rows = _read_xlsx(data)
    else:
        raise DomainError(
            _("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."), code="unsupported_file_type"
        )
    if not rows:
        raise DomainError(_("Tệp không có dòng tiêu đề."), code="empty_file")
    header = [search_key(str(h)) if h is not None else "" for h in rows[0]]
    out = []
    for index, raw in enumerate(rows[1:], start=2):
        values = [_cell(v) for v in raw]
        if all(v in (None, "") for v in values):
            continue  # blank lines are not rows
        record = {header[i]: values[i] if i < len(values) else None for i in range(len(header))}
        record["__row__"] = index
        out.append(record)
    if len(out) > MAX_ROWS:
        raise DomainError(
            _("Tệp có quá nhiều dòng (tối đa %(n)s).") % {"n": MAX_ROWS}, code="too_many_rows"
        )
    return out


def _read_csv(data: bytes) -> list[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainError(
            _("Tệp CSV phải được lưu với bảng mã UTF-8."), code="bad_encoding"
        ) from exc
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    with contextlib.suppress(csv.Error):  # an unsniffable file is read as plain Excel CSV
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 — openpyxl raises many types for a broken file
        raise DomainError(
            _("Không đọc được tệp Excel. Hãy lưu lại dưới dạng .xlsx rồi thử lại."),
            code="unreadable_file",
        ) from exc
    sheet = workbook.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


class TableImport:
    """Subclass: set `columns` {key: header label}, `required`, and implement `clean_row`
    (return a cleaned object or raise RowInvalid / DomainError / ValidationError) and `save`."""

    columns: dict[str, str] = {}
    required: set[str] = set()

    def header_errors(self, rows: list[dict]) -> list[RowError]:
        if not rows:
            return []
        present = set(rows[0])
        missing = [
            self.columns[k]
            for k in self.columns
            if k in self.required and self._key(k) not in present
        ]
        if missing:
            return [
                RowError(row=1, message=_("Thiếu cột: %(cols)s.") % {"cols": ", ".join(missing)})
            ]
        return []

    def _key(self, key: str) -> str:
        return search_key(self.columns[key])

    def value(self, row: dict, key: str) -> Any:
        """The cell of column `key` in `row` (header matched without diacritics)."""
        return row.get(self._key(key))

    def clean_row(self, row: dict, context: dict) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def save(self, cleaned: list[Any], context: dict) -> int:  # pragma: no cover - abstract
        raise NotImplementedError


class RowInvalid(Exception):
    """A row's error; `RowInvalid.many([(message, column), …])` reports several at once, so a
    person fixes every cell of the row in one pass."""

    def __init__(self, message: str, column: str | None = None):
        super().__init__(message)
        self.message = str(message)
        self.column = column
        self.errors: list[tuple[str, str | None]] = [(self.message, column)]

    @classmethod
    def many(cls, errors: list[tuple[str, str | None]]) -> RowInvalid:
        exc = cls(*errors[0])
        exc.errors = [(str(m), c) for m, c in errors]
        return exc


def run_import(importer: TableImport, rows: list[dict], *, dry_run: bool) -> ImportReport:
    report = ImportReport(rows_total=len(rows), dry_run=dry_run)
    report.errors.extend(importer.header_errors(rows))
    if report.errors:
        return report
    context: dict = {}
    cleaned = []
    for row in rows:
        line = row["__row__"]
        missing = [k for k in importer.required if importer.value(row, k) in (None, "")]
        if missing:
            for k in missing:
                report.errors.append(RowError(line, _("không được để trống."), importer.columns[k]))
            continue
        try:
            cleaned.append(importer.clean_row(row, context))
        except RowInvalid as exc:
            for message, column in exc.errors:
                report.errors.append(RowError(line, message, column))
        except DomainError as exc:
            report.errors.append(RowError(line, exc.message, exc.field))
        except ValidationError as exc:
            for message in exc.messages:
                report.errors.append(RowError(line, message))
    report.rows_valid = len(cleaned)
    if report.errors or dry_run:
        return report
    try:
        with transaction.atomic():
            report.saved = importer.save(cleaned, context)
    except (DomainError, ValidationError) as exc:
        message = exc.message if isinstance(exc, DomainError) else "; ".join(exc.messages)
        report.errors.append(RowError(0, message))
        report.saved = 0
    return report
