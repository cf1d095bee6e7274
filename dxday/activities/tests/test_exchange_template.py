"""The Excel exchange template is for people: Vietnamese headings with units, no codes shown,
dropdowns of Vietnamese labels, frozen headings, a "Hướng dẫn" sheet; and a filled template
imports back. The import reports every error of every row at once."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dxday.activities.exchange import ActivityImport
from dxday.activities.models import Activity, ActivityType
from dxday.core.imports import read_rows, run_import
from dxday.orgs.tests.factories import DEFAULT_PASSWORD
from dxday.plans.models import Indicator

pytestmark = pytest.mark.django_db


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def _template(client, user):
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)
    r = client.get(reverse("activities:excel_template"))
    assert r.status_code == 200
    return load_workbook(io.BytesIO(r.content))


def _validation_for(sheet, column_letter: str):
    for dv in sheet.data_validations.dataValidation:
        if any(column_letter + "3" in str(rng) for rng in dv.sqref.ranges):
            return dv
    return None


def test_template_is_for_people(client, loop, people):
    wb = _template(client, people.th_c1_reporter)
    assert wb.sheetnames == ["Báo cáo", "Hướng dẫn", "Danh mục"]
    assert wb["Danh mục"].sheet_state == "hidden"
    sheet = wb["Báo cáo"]
    keys = [c.value for c in sheet[1]]
    headings = [c.value for c in sheet[2]]
    # The machine keys sit in a hidden first row; people read the Vietnamese headings.
    assert sheet.row_dimensions[1].hidden
    assert all(k.startswith("dx:") for k in keys)
    assert sheet.freeze_panes == "C3"
    codes = set(Indicator.objects.values_list("code", flat=True)) | set(ActivityType.values)
    assert not codes & set(headings)
    assert not any(code in (h or "") for h in headings for code in codes if "_" in code)
    assert "Tin, bài (bài)" in headings and "Người được hướng dẫn VNeID (người)" in headings
    assert "Từ ngày (dd/mm/yyyy)" in headings
    assert all(cell.font.bold for cell in sheet[2])
    # One row per assignment, from the third row on.
    assert sheet.cell(row=3, column=1).value == loop.a_c1.pk

    type_col = chr(ord("A") + keys.index("dx:type"))
    dv = _validation_for(sheet, type_col)
    assert dv is not None and dv.type == "list" and "Danh mục" in dv.formula1
    lists = wb["Danh mục"]
    offered = [c.value for c in lists[type_col][1:] if c.value is not None]  # the dropdown's source
    assert offered == [str(label) for _v, label in ActivityType.choices]
    assert "door_to_door" not in offered and "Đi từng ngõ, gõ từng nhà" in offered
    online_col = chr(ord("A") + keys.index("dx:is_online"))
    assert [c.value for c in lists[online_col][1:] if c.value] == ["có", "không"]
    figure_col = chr(ord("A") + keys.index("dx:ind:articles"))
    dv = _validation_for(sheet, figure_col)
    assert dv is not None and dv.type == "whole" and dv.formula1 == "0"

    guide = [[c.value for c in row] for row in wb["Hướng dẫn"].iter_rows()]
    flat = " ".join(str(v) for row in guide for v in row if v)
    assert "Ô số liệu để trống nghĩa là không báo cáo" in flat
    assert any(row[0] == "Tin, bài (bài)" and "bài" in (row[1] or "") for row in guide)


def test_filled_template_round_trips(client, loop, people):
    wb = _template(client, people.th_c1_reporter)
    sheet = wb["Báo cáo"]
    keys = [c.value for c in sheet[1]]

    def put(key, value):
        sheet.cell(row=3, column=keys.index(key) + 1, value=value)

    put("dx:title", "Phát thanh về Ngày Chuyển đổi số")
    put("dx:type", "Truyền thanh cơ sở")  # the label the dropdown shows
    put("dx:starts_on", datetime.date(2025, 10, 1))
    put("dx:ends_on", "10/10/2025")
    put("dx:is_online", "không")
    put("dx:ind:articles", 3)
    put("dx:ind:people_guided", 10)
    put("dx:ind:vneid_guided", 5)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "bao-cao.xlsx"
    r = client.post(reverse("activities:excel"), {"file": buffer, "confirm": "on"})
    assert r.status_code == 302, r.content.decode()[:3000]
    activity = Activity.objects.get()
    assert activity.type == ActivityType.RADIO and activity.assignment == loop.a_c1
    assert activity.starts_on == datetime.date(2025, 10, 1)
    assert activity.ends_on == datetime.date(2025, 10, 10)
    values = {iv.indicator.code: iv.value for iv in activity.values.select_related("indicator")}
    assert values == {"articles": 3, "people_reached": None, "people_guided": 10, "vneid_guided": 5}


def test_every_error_of_a_row_at_once(loop, people):
    """A bad type, a bad date, −2 and "nhiều" in one row: four errors in one dry run."""
    header = ["Mã phân công", "Tên hoạt động", "Loại hoạt động", "Từ ngày",
              "Tin, bài (bài)", "Lượt tiếp cận (lượt)"]  # fmt: skip
    rows = [
        header,
        [loop.a_c1.pk, "Hoạt động", "hội chợ", "32/13/2025", -2, "nhiều"],
        # A second bad row is reported in the same pass, with its own line number.
        [loop.a_c1.pk, None, "Truyền thanh cơ sở", "01/10/2025", 5, None],
    ]
    parsed = read_rows(io.BytesIO(_csv(rows)), "bao-cao.csv")
    report = run_import(ActivityImport(people.actor(people.th_c1_reporter)), parsed, dry_run=True)
    first = [e for e in report.errors if e.row == 2]
    assert {e.column for e in first} == {
        "Loại hoạt động",
        "Từ ngày (dd/mm/yyyy)",
        "Tin, bài (bài)",
        "Lượt tiếp cận (lượt)",
    }, [str(e) for e in first]
    assert len(first) == 4
    assert [e.column for e in report.errors if e.row == 3] == ["Tên hoạt động"]
    assert not Activity.objects.exists()


def test_a_row_with_only_a_type_chosen_is_not_skipped(loop, people):
    """Only the rows the template fills itself (assignment, task) count as not filled in."""
    rows = [["Mã phân công", "Nhiệm vụ", "Tên hoạt động", "Loại hoạt động", "Từ ngày"],
            [loop.a_c1.pk, "Nhiệm vụ", None, None, None],
            [loop.a_c1.pk, "Nhiệm vụ", None, "Truyền thanh cơ sở", None]]  # fmt: skip
    parsed = read_rows(io.BytesIO(_csv(rows)), "bao-cao.csv")
    report = run_import(ActivityImport(people.actor(people.th_c1_reporter)), parsed, dry_run=True)
    assert sorted((e.row, e.column, e.message) for e in report.errors) == [
        (3, "Tên hoạt động", "không được để trống."),
        (3, "Từ ngày (dd/mm/yyyy)", "không được để trống."),
    ]  # fmt: skip


def test_older_files_with_codes_still_import(loop, people):
    rows = [
        ["Mã phân công", "Tên hoạt động", "Loại hoạt động", "Từ ngày", "articles"],
        [loop.a_c1.pk, "Tin bài", "door_to_door", "01/10/2025", 4],
    ]
    parsed = read_rows(io.BytesIO(_csv(rows)), "cu.csv")
    report = run_import(ActivityImport(people.actor(people.th_c1_reporter)), parsed, dry_run=False)
    assert report.ok and report.saved == 1, [str(e) for e in report.errors]
    activity = Activity.objects.get()
    assert activity.type == ActivityType.DOOR_TO_DOOR
    assert activity.values.get(indicator__code="articles").value == 4
