"""Exports are classes: a subclass yields rows, the base renders CSV, XLSX or JSON
(pretix's ListExporter). CSV carries a UTF-8 BOM so Excel shows Vietnamese correctly; numbers
stay plain numbers for machines."""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any


class ListExporter:
    filename = "export"
    sheet_title = "Data"

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
        writer.writerow(self.headers())
        for row in self.rows():
            writer.writerow(["" if v is None else self._plain(v) for v in row])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")

    def to_json(self) -> bytes:
        keys = self.keys()
        data = [dict(zip(keys, (self._plain(v) for v in row), strict=True)) for row in self.rows()]
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")

    def to_xlsx(self) -> bytes:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(self.sheet_title[:31])
        sheet.append(self.headers())
        for row in self.rows():
            sheet.append([v.replace(tzinfo=None) if isinstance(v, datetime.datetime) else v
                          for v in row])  # fmt: skip
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
