"""Every figure in the DOCX and the XLSX equals the sum of the underlying data for that subtree."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from openpyxl import load_workbook

from dxday.core.report_sections import SELF
from dxday.orgs.models import Organisation
from dxday.orgs.tests.factories import make_commune, make_org
from dxday.plans.models import Assignment, Task
from dxday.reports.documents.formatting import parse_value
from dxday.reports.documents.xlsx import ANNEX_SHEET, CATALOGUE_SHEET, FIRST_DATA_ROW, TOTAL_LABEL
from dxday.reports.selectors import figure_index, report_figures
from dxday.reports.services import document_build

from .conftest import raw_figures

pytestmark = pytest.mark.django_db


def docx_figures(data: bytes) -> list[tuple[str, str, str]]:
    """(label, unit, value text) of every row of every figure table, in order."""
    doc = Document(io.BytesIO(data))
    tables = doc.tables[1:-1]  # the first is the header block, the last the closing block
    rows = []
    for table in tables:
        for row in table.rows[1:]:
            cells = [c.text for c in row.cells]
            rows.append((cells[1], cells[2], cells[3]))
    return rows


def xlsx_figures(data: bytes) -> dict[str, dict[str, object]]:
    """{figure code: {unit name or TOTAL_LABEL: value}} from the annex."""
    wb = load_workbook(io.BytesIO(data))
    cat, ws = wb[CATALOGUE_SHEET], wb[ANNEX_SHEET]
    columns = {row[1]: row[0] for row in cat.iter_rows(min_row=2, values_only=True)}
    out: dict[str, dict[str, object]] = {}
    for code, letter in columns.items():
        col = ws[letter]
        values = {}
        for cell in col[FIRST_DATA_ROW - 1 :]:
            name = ws.cell(row=cell.row, column=2).value
            if name:
                values[name] = cell.value
        out[code] = values
    return out


@pytest.mark.parametrize("where", ["national", "th", "tq", "th_c1"])
def test_figures_equal_raw_sums(world, where):
    org = getattr(world.tree, where)
    figures = figure_index(report_figures(org, world.campaign))
    raw = raw_figures(world, org)
    assert raw, "the fixture must give this subtree some data"
    for code, expected in raw.items():
        assert figures[code]["value"] == expected, code
    # Parts add up to the total, for every count figure.
    for code, fig in figures.items():
        if fig["kind"] == "count":
            parts = [v for v in fig["by_unit"].values() if v is not None]
            assert fig["value"] == (sum(parts) if parts else None), code


def test_tuyen_quang_data_never_reaches_thanh_hoa(world):
    from dxday.activities.models import Activity

    before = figure_index(report_figures(world.tree.th, world.campaign))
    Activity.objects.filter(organisation=world.tree.tq_c1).update(type="radio")
    Assignment.objects.filter(organisation=world.tree.tq_c1).update(status="accepted")
    after = figure_index(report_figures(world.tree.th, world.campaign))
    assert {c: f["value"] for c, f in before.items()} == {c: f["value"] for c, f in after.items()}


def test_docx_tables_carry_the_figures(world):
    org = world.tree.national
    figures = report_figures(org, world.campaign)
    data, name = document_build("docx", organisation=org, campaign=world.campaign)
    assert name.endswith(".docx")
    rows = docx_figures(data)
    expected = [f for s in figures["sections"] for g in s["groups"] for f in g["figures"]]
    assert len(rows) == len(expected)
    for (label, unit, text), fig in zip(rows, expected, strict=True):
        assert label == fig["label"]
        assert unit == fig["unit"]
        assert parse_value(text) == fig["value"], fig["code"]
    raw = raw_figures(world, org)
    by_code = {f["code"]: parse_value(t) for f, (_l, _u, t) in zip(expected, rows, strict=True)}
    for code, value in raw.items():
        assert by_code[code] == value, code


def test_missing_figure_is_written_as_not_reported(world):
    # Only Thanh Hóa's initiative reported no views: its subtree total stays a number, but the
    # province itself (self row) has no view figure, and a commune without activities has none.
    figures = figure_index(report_figures(world.tree.th_c2, world.campaign))
    assert figures["indicators.rp-bai-viet"]["value"] == 7
    data, _ = document_build("xlsx", organisation=world.tree.th, campaign=world.campaign)
    annex = xlsx_figures(data)
    self_name = next(
        u["name"]
        for u in report_figures(world.tree.th, world.campaign)["units"]
        if u["key"] == SELF
    )
    assert annex["indicators.rp-luot-xem"][self_name] is None  # not 0


@pytest.mark.parametrize("where", ["national", "th"])
def test_xlsx_annex_per_unit_and_total(world, where):
    org = getattr(world.tree, where)
    figures = report_figures(org, world.campaign)
    idx = figure_index(figures)
    data, name = document_build("xlsx", organisation=org, campaign=world.campaign)
    assert name.endswith(".xlsx")
    annex = xlsx_figures(data)
    assert set(annex) == set(idx)
    units = {u["key"]: u["name"] for u in figures["units"]}
    for code, fig in idx.items():
        column = annex[code]
        assert column[TOTAL_LABEL] == fig["value"], code
        for key, uname in units.items():
            assert column.get(uname) == fig["by_unit"].get(key), (code, uname)
        if fig["kind"] == "count":
            parts = [v for n, v in column.items() if n != TOTAL_LABEL and v is not None]
            assert column[TOTAL_LABEL] == (sum(parts) if parts else None), code
    # The annex total equals the raw data too.
    for code, value in raw_figures(world, org).items():
        assert annex[code][TOTAL_LABEL] == value, code


def test_each_child_row_equals_that_childs_own_report(world):
    national = report_figures(world.tree.national, world.campaign)
    idx = figure_index(national)
    th = figure_index(report_figures(world.tree.th, world.campaign))
    key = str(world.tree.th.pk)
    for code, fig in th.items():
        if fig["kind"] == "count":
            assert idx[code]["by_unit"].get(key) == fig["value"], code


def test_report_figures_is_set_based(world):
    """The number of queries does not grow with the number of units."""
    with CaptureQueriesContext(connection) as before:
        report_figures(world.tree.national, world.campaign)
    task = Task.objects.filter(plan__campaign=world.campaign).first()
    for i in range(6):
        commune = make_commune(world.tree.th_province, f"1700{i}", f"Xã Thêm {i}")
        org = make_org(world.tree.th, kind=Organisation.Kind.COMMUNE, code=f"xa-them-{i}",
                       name=f"UBND xã Thêm {i}", province=world.tree.th_province,
                       commune=commune)  # fmt: skip
        Assignment.objects.create(task=task, organisation=org, role="lead")
    for extra in range(3):
        make_org(world.tree.national, kind=Organisation.Kind.MINISTRY, code=f"bo-them-{extra}")
    with CaptureQueriesContext(connection) as after:
        report_figures(world.tree.national, world.campaign)
    assert len(after.captured_queries) == len(before.captured_queries)
    # A fixed number whatever the tree: one query per family of figures of each section (plans,
    # activities, outreach, the two learning sections, contest, awards).
    assert len(before.captured_queries) <= 20


def test_empty_capabilities_give_empty_sections(tree):
    from dxday.plans.models import Campaign

    campaign = Campaign.objects.create(year=2030, theme="Trống")
    figures = report_figures(tree.th, campaign)
    assert [s["code"] for s in figures["sections"]] == [
        "plans", "activities", "outreach", "learning_festival", "learning_officials", "contest",
        "awards",
    ]  # fmt: skip
    assert all(s["groups"] == [] and s["note"] for s in figures["sections"])
    data, _ = document_build("docx", organisation=tree.th, campaign=campaign)
    assert docx_figures(data) == []


def test_period_limits_figures(world):
    import datetime as dt

    whole = figure_index(report_figures(world.tree.th_c1, world.campaign))
    first_day = figure_index(
        report_figures(
            world.tree.th_c1, world.campaign, (dt.date(2025, 10, 1), dt.date(2025, 10, 1))
        )
    )
    assert whole["outreach.sessions"]["value"] == 2
    assert first_day["outreach.sessions"]["value"] == 1
