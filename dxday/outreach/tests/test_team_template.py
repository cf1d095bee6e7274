"""The team import template is for people, and a filled template imports back; an empty name
and a bad role in one row are reported together."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dxday.core.imports import read_rows, run_import
from dxday.orgs.tests.factories import DEFAULT_PASSWORD, actor_of
from dxday.outreach.imports import TeamMemberImport
from dxday.outreach.models import TeamMember

pytestmark = pytest.mark.django_db


def test_team_template_is_for_people_and_round_trips(client, people, tree):
    assert client.login(username="th_dieuphoi", password=DEFAULT_PASSWORD)
    page = client.get(reverse("outreach:team_import")).content.decode()
    assert reverse("outreach:team_import_template") in page
    r = client.get(reverse("outreach:team_import_template"))
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["Thành viên tổ", "Hướng dẫn", "Danh mục"]
    sheet = wb["Thành viên tổ"]
    assert sheet.row_dimensions[1].hidden and sheet.freeze_panes == "A3"
    assert [c.value for c in sheet[2]] == ["Thôn, tổ dân phố", "Họ và tên", "Vai trò",
                                           "Tên đăng nhập"]  # fmt: skip
    (dv,) = [dv for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert "C3" in str(dv.sqref)
    assert [c.value for c in wb["Danh mục"]["C"][1:] if c.value] == ["Tổ trưởng", "Tổ phó",
                                                                   "Tổ viên"]  # fmt: skip
    buffer = io.BytesIO()
    wb.save(buffer)
    rows = read_rows(io.BytesIO(buffer.getvalue()), "mau.xlsx")
    importer = TeamMemberImport(actor=actor_of(people.th_coordinator), committee=tree.th_c1)
    report = run_import(importer, rows, dry_run=False)
    assert report.ok and report.saved == 2, [str(e) for e in report.errors]
    leader = TeamMember.objects.get(full_name="Nguyễn Văn An")
    assert leader.role == TeamMember.Role.LEADER and leader.team.village == "Thôn 1"


def test_team_import_reports_an_empty_name_and_a_bad_role_together(people, tree):
    text = "Thôn, tổ dân phố;Họ và tên;Vai trò\nThôn 2;;Chủ tịch\n"
    rows = read_rows(io.BytesIO(text.encode()), "to.csv")
    importer = TeamMemberImport(actor=actor_of(people.th_coordinator), committee=tree.th_c1)
    report = run_import(importer, rows, dry_run=True)
    assert [(e.row, e.column) for e in report.errors] == [(2, "Họ và tên"), (2, "Vai trò")]
