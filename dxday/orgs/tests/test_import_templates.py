"""The unit and account import templates are for people (Vietnamese headings, dropdowns of
Vietnamese labels and of the actor's units, frozen headings, a "Hướng dẫn" sheet), a filled
template imports back, and a row's every error is reported at once."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dxday.core.imports import read_rows, run_import
from dxday.orgs.imports import OrganisationImport, UserImport, org_label
from dxday.orgs.models import Organisation, Role, User
from dxday.orgs.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def _workbook(client, kind):
    assert client.login(username="th_dieuphoi", password=DEFAULT_PASSWORD)
    r = client.get(reverse("orgs:import_template", args=[kind, "xlsx"]))
    assert r.status_code == 200
    return load_workbook(io.BytesIO(r.content))


def _list_of(wb, sheet, key):
    keys = [c.value for c in sheet[1]]
    letter = chr(ord("A") + keys.index(f"dx:{key}"))
    for dv in sheet.data_validations.dataValidation:
        if any(f"{letter}3" in str(rng) for rng in dv.sqref.ranges):
            assert dv.type == "list" and "Danh mục" in dv.formula1
            return [c.value for c in wb["Danh mục"][letter][1:] if c.value is not None]
    raise AssertionError(f"no dropdown on {key}")


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


@pytest.mark.parametrize(("kind", "title"), [("don-vi", "Đơn vị"), ("tai-khoan", "Tài khoản")])
def test_templates_are_for_people(client, people, tree, kind, title):
    wb = _workbook(client, kind)
    assert wb.sheetnames == [title, "Hướng dẫn", "Danh mục"]
    sheet = wb[title]
    assert sheet.row_dimensions[1].hidden and sheet.freeze_panes == "A3"
    headings = [c.value for c in sheet[2]]
    assert "Loại đơn vị" in headings or "Vai trò" in headings
    assert not {"kind", "role", "parent", "organisation", "code"} & set(headings)
    guide = " ".join(str(c.value) for row in wb["Hướng dẫn"].iter_rows() for c in row if c.value)
    assert "Bắt buộc" in guide
    # The units the coordinator may import into, by name with the code in brackets.
    units = _list_of(wb, sheet, "parent" if kind == "don-vi" else "organisation")
    assert org_label(tree.th_c1) in units and org_label(tree.th) in units
    assert org_label(tree.tq) not in units  # another province's units are not offered
    choice_key = "kind" if kind == "don-vi" else "role"
    labels = [str(lbl) for _v, lbl in (Organisation.Kind if kind == "don-vi" else Role).choices]
    assert _list_of(wb, sheet, choice_key) == labels
    # The example rows show labels too, never codes such as "department" or "viewer".
    column = [c.value for c in sheet[1]].index(f"dx:{choice_key}")
    examples = [row[column].value for row in sheet.iter_rows(min_row=3)]
    assert examples and all(value in labels for value in examples)


def test_filled_unit_template_round_trips(client, people, tree):
    wb = _workbook(client, "don-vi")
    sheet = wb["Đơn vị"]
    sheet.delete_rows(3, 2)  # the two example rows
    keys = [c.value for c in sheet[1]]
    row = {
        "dx:code": "th-so-moi",
        "dx:name": "Sở Mới Thanh Hóa",
        "dx:kind": "Sở, ban, ngành cấp tỉnh",  # labels the dropdowns show
        "dx:parent": org_label(tree.th),
        "dx:email": "so-moi@example.vn",
    }
    for key, value in row.items():
        sheet.cell(row=3, column=keys.index(key) + 1, value=value)
    buffer = io.BytesIO()
    wb.save(buffer)
    rows = read_rows(io.BytesIO(buffer.getvalue()), "mau.xlsx")
    report = run_import(
        OrganisationImport(people.actor(people.th_coordinator)), rows, dry_run=False
    )
    assert report.ok and report.saved == 1, [str(e) for e in report.errors]
    org = Organisation.objects.get(code="th-so-moi")
    assert org.kind == Organisation.Kind.DEPARTMENT and org.email == "so-moi@example.vn"
    assert org.path.startswith(tree.th.path) and org.depth == tree.th.depth + 1


def test_filled_account_template_round_trips(client, people, tree):
    wb = _workbook(client, "tai-khoan")
    sheet = wb["Tài khoản"]
    sheet.delete_rows(3, 2)
    keys = [c.value for c in sheet[1]]
    for key, value in {
        "dx:username": "th.xa1.moi",
        "dx:full_name": "Trần Thị Mới",
        "dx:organisation": org_label(tree.th_c1),
        "dx:role": "Báo cáo viên",
    }.items():
        sheet.cell(row=3, column=keys.index(key) + 1, value=value)
    buffer = io.BytesIO()
    wb.save(buffer)
    rows = read_rows(io.BytesIO(buffer.getvalue()), "mau.xlsx")
    report = run_import(UserImport(people.actor(people.th_coordinator)), rows, dry_run=False)
    assert report.ok and report.saved == 1, [str(e) for e in report.errors]
    membership = User.objects.get(username="th.xa1.moi").memberships.get()
    assert membership.organisation == tree.th_c1 and membership.role == Role.REPORTER


def test_unit_import_reports_every_error_of_a_row(people, tree):
    rows = [
        ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên", "Thư điện tử", "Mã tỉnh"],
        ["mã có dấu", "Đơn vị A", "hợp tác xã", "khong-co", "không-phải-thư", "99"],
        ["th-b", "", "department", "tinh-38", "", ""],
    ]
    parsed = read_rows(io.BytesIO(_csv(rows)), "don-vi.csv")
    report = run_import(
        OrganisationImport(people.actor(people.th_coordinator)), parsed, dry_run=True
    )
    first = [e.column for e in report.errors if e.row == 2]
    assert sorted(first) == sorted(
        ["Mã đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên (mã hoặc tên)", "Thư điện tử",
         "Mã tỉnh"]
    ), [str(e) for e in report.errors]  # fmt: skip
    assert [e.column for e in report.errors if e.row == 3] == ["Tên đơn vị"]


def test_account_import_reports_every_error_of_a_row(people, tree):
    rows = [
        ["Tên đăng nhập", "Họ và tên", "Mã đơn vị", "Vai trò", "Thư điện tử", "Mật khẩu ban đầu"],
        ["tên có dấu", "", "tinh-08", "trưởng phòng", "x@", "123"],
    ]
    parsed = read_rows(io.BytesIO(_csv(rows)), "tai-khoan.csv")
    report = run_import(UserImport(people.actor(people.th_coordinator)), parsed, dry_run=True)
    columns = sorted(e.column for e in report.errors)
    assert columns == sorted(
        ["Tên đăng nhập", "Họ và tên", "Mã đơn vị (mã hoặc tên)", "Vai trò", "Thư điện tử",
         "Mật khẩu ban đầu"]
    ), [str(e) for e in report.errors]  # fmt: skip
    assert all(e.row == 2 for e in report.errors)
