"""Spreadsheets people open name their sheets in Vietnamese with diacritics ("Hoạt động", not
"Hoat dong")."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from dxday.core.exports import ListExporter
from dxday.portal.exports import ActivityExporter, OfferExporter


@pytest.mark.django_db
@pytest.mark.parametrize(("exporter", "title"), [(ActivityExporter, "Hoạt động"),
                                                 (OfferExporter, "Ưu đãi")])  # fmt: skip
def test_open_data_sheets_are_named_with_diacritics(exporter, title):
    assert load_workbook(io.BytesIO(exporter().to_xlsx())).sheetnames == [title]


def test_default_sheet_name_is_vietnamese():
    assert ListExporter.sheet_title == "Dữ liệu"
