"""The export base class: local times in XLSX, and no cell a spreadsheet would run."""

import csv
import datetime
import io

from openpyxl import load_workbook

from dxday.core.exports import ListExporter

HOSTILE = ['=HYPERLINK("http://x.invalid","Bấm")', "+1+2", "-2+3", "@SUM(1)", "\tTab", "\rCR"]


class Rows(ListExporter):
    def __init__(self, rows):
        self._rows = rows

    def headers(self):
        return ["Giá trị", "Số"]

    def rows(self):
        return self._rows


def _xlsx_cells(exporter):
    sheet = load_workbook(io.BytesIO(exporter.to_xlsx())).active
    return [list(r) for r in sheet.iter_rows(min_row=2)]


def test_xlsx_times_are_ho_chi_minh_wall_clock():
    """Guards issue 8: tzinfo was dropped without converting, so 03:00 UTC showed as 03:00."""
    at = datetime.datetime(2025, 10, 10, 3, 0, tzinfo=datetime.UTC)
    cells = _xlsx_cells(Rows([[at, 1]]))
    assert cells[0][0].value == datetime.datetime(2025, 10, 10, 10, 0)


def test_formula_like_text_is_neutralised_in_csv_and_xlsx():
    """Guards issue 9 §5: text starting with = + - @ tab or CR was written as a formula."""
    exporter = Rows([[text, -5] for text in HOSTILE] + [["Bình thường", 3.5]])
    body = exporter.to_csv().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))[1:]
    assert [r[0] for r in rows] == ["'" + t for t in HOSTILE] + ["Bình thường"]
    assert [r[1] for r in rows] == ["-5"] * len(HOSTILE) + ["3.5"]  # numbers untouched

    cells = _xlsx_cells(exporter)
    assert [c[0].value for c in cells] == [*HOSTILE, "Bình thường"]  # text kept as written
    assert {c[0].data_type for c in cells} == {"s"}
    assert all(c[0].quotePrefix for c in cells[: len(HOSTILE)])
    assert [(c[1].value, c[1].data_type) for c in cells[:2]] == [(-5, "n"), (-5, "n")]


def test_json_keeps_text_verbatim():
    assert b'"@SUM(1)"' in Rows([["@SUM(1)", 1]]).to_json()


def test_xlsx_text_for_workbooks_built_by_hand():
    from openpyxl import Workbook

    from dxday.core.exports import xlsx_text

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["=SUM(1)", "=1+1", -3])
    xlsx_text(sheet["A1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    back = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert (back["A1"].value, back["A1"].data_type) == ("=SUM(1)", "s")
    assert back["B1"].data_type == "f"  # left alone: only cells passed in change
    assert (back["C1"].value, back["C1"].data_type) == (-3, "n")


def test_a_workbook_built_by_hand_keeps_formula_like_text_as_text():
    """The report annex, the activity template and the import templates are built by hand,
    not through ListExporter: `workbook_save` neutralises them the same way."""
    import io

    from openpyxl import Workbook, load_workbook

    from dxday.core.exports import workbook_save

    workbook = Workbook()
    workbook.active.append(['=HYPERLINK("http://x","y")', "@SUM(1)", -5, "UBND xã"])
    out = io.BytesIO()
    workbook_save(workbook, out)
    cells = next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())
    assert [c.data_type for c in cells] == ["s", "s", "n", "s"]
    assert cells[0].value.startswith("=HYPERLINK") and cells[2].value == -5
