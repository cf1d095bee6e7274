import io

import pytest
from openpyxl import Workbook

from dxday.core.errors import DomainError
from dxday.core.exports import ListExporter
from dxday.core.imports import RowInvalid, TableImport, read_rows, run_import


class NumberImport(TableImport):
    columns = {"name": "Tên đơn vị", "count": "Số lượng"}
    required = {"name"}

    def __init__(self):
        self.saved_rows = []

    def clean_row(self, row, context):
        value = self.value(row, "count")
        try:
            count = int(value)
        except (TypeError, ValueError) as exc:
            raise RowInvalid("phải là số nguyên.", column=self.columns["count"]) from exc
        return (self.value(row, "name"), count)

    def save(self, cleaned, context):
        self.saved_rows.extend(cleaned)
        return len(cleaned)


def _xlsx(rows):
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.django_db
def test_xlsx_headers_match_without_diacritics_and_rows_are_numbered():
    data = _xlsx(
        [["TEN DON VI", "so luong"], ["Xã Quảng Phú", 3], [None, None], ["Phường Hạc Thành", 4]]
    )
    rows = read_rows(io.BytesIO(data), "units.xlsx")
    assert [r["__row__"] for r in rows] == [2, 4]
    importer = NumberImport()
    report = run_import(importer, rows, dry_run=False)
    assert report.ok and report.saved == 2
    assert importer.saved_rows == [("Xã Quảng Phú", 3), ("Phường Hạc Thành", 4)]


@pytest.mark.django_db
def test_one_bad_row_saves_nothing_and_names_row_and_column():
    data = "Tên đơn vị,Số lượng\nXã A,1\nXã B,mười\n,2\n".encode()
    importer = NumberImport()
    report = run_import(importer, read_rows(io.BytesIO(data), "x.csv"), dry_run=False)
    assert report.saved == 0 and importer.saved_rows == []
    messages = [str(e) for e in report.errors]
    assert messages == [
        "Dòng 3, cột “Số lượng”: phải là số nguyên.",
        "Dòng 4, cột “Tên đơn vị”: không được để trống.",
    ]


def test_dry_run_validates_but_saves_nothing():
    data = "Tên đơn vị;Số lượng\nXã A;1\n".encode("utf-8-sig")
    importer = NumberImport()
    report = run_import(importer, read_rows(io.BytesIO(data), "x.csv"), dry_run=True)
    assert report.ok and report.rows_valid == 1 and report.saved == 0 and not importer.saved_rows


def test_missing_column_and_unreadable_files_are_explained():
    report = run_import(NumberImport(), read_rows(io.BytesIO(b"Foo\n1\n"), "x.csv"), dry_run=True)
    assert str(report.errors[0]) == "Dòng 1: Thiếu cột: Tên đơn vị."
    with pytest.raises(DomainError) as exc:
        read_rows(io.BytesIO(b"\xff\xfe\x00garbage"), "x.csv")
    assert exc.value.code == "bad_encoding"
    with pytest.raises(DomainError) as exc:
        read_rows(io.BytesIO(b"hello"), "x.pdf")
    assert exc.value.code == "unsupported_file_type"


class Things(ListExporter):
    filename = "things"

    def headers(self):
        return ["Tên", "Số"]

    def keys(self):
        return ["name", "n"]

    def rows(self):
        return [["Thanh Hóa", 10250], ["Đà Nẵng", None]]


def test_exporter_csv_has_bom_and_plain_numbers_json_keys():
    csv_bytes = Things().to_csv()
    assert csv_bytes.startswith("\ufeff".encode())
    assert csv_bytes.decode("utf-8-sig").splitlines() == ["Tên,Số", "Thanh Hóa,10250", "Đà Nẵng,"]
    assert b'"name": "Thanh H\xc3\xb3a"' in Things().to_json()
    rows = read_rows(io.BytesIO(Things().to_xlsx()), "t.xlsx")
    assert rows[0]["ten"] == "Thanh Hóa" and rows[0]["so"] == 10250


def test_a_row_reports_its_empty_required_cells_and_its_bad_cells_at_once():
    data = "Tên đơn vị,Số lượng\n,mười\n".encode()
    report = run_import(NumberImport(), read_rows(io.BytesIO(data), "x.csv"), dry_run=True)
    assert [str(e) for e in report.errors] == [
        "Dòng 2, cột “Tên đơn vị”: không được để trống.",
        "Dòng 2, cột “Số lượng”: phải là số nguyên.",
    ]


@pytest.mark.django_db
def test_template_key_row_names_columns_and_the_heading_row_is_not_data():
    """A template's hidden first row of keys maps the columns whatever the headings say; the
    heading row under it is not a data row, and row numbers stay the spreadsheet's."""

    class Keyed(NumberImport):
        columns = {"name": "Tên đơn vị", "count": "Số lượng"}
        units = {"count": "người"}

    data = _xlsx([["dx:name", "dx:count"], ["Đơn vị (tên gọi mới)", "Số người"], ["Xã A", 7]])
    rows = read_rows(io.BytesIO(data), "t.xlsx")
    assert [r["__row__"] for r in rows] == [3]
    importer = Keyed()
    report = run_import(importer, rows, dry_run=False)
    assert report.ok and importer.saved_rows == [("Xã A", 7)]
    # Without the key row, the heading with its unit names the column too.
    data = _xlsx([["Tên đơn vị", "Số lượng (người)"], ["Xã B", 2]])
    importer = Keyed()
    assert run_import(importer, read_rows(io.BytesIO(data), "t.xlsx"), dry_run=False).ok
    assert importer.saved_rows == [("Xã B", 2)]
