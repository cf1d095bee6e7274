import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dxday.activities.models import Activity, IndicatorValue
from dxday.orgs.auth import token_generate
from dxday.orgs.models import ApiToken
from dxday.plans.models import Campaign
from dxday.reports import charts
from dxday.reports.selectors import figure_index, report_figures
from dxday.reports.years import report_years

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(world):
    """2022 too, and a 2024 figure, so three campaigns carry different values."""
    c22 = Campaign.objects.create(year=2022, theme="Chuyển đổi số năm 2022")
    a = Activity.objects.create(
        campaign=world.previous, organisation=world.tree.th_c1, title="Truyền thông 2024",
        type="communication", starts_on=dt.date(2024, 10, 1), ends_on=dt.date(2024, 10, 5),
        status=Activity.Status.ACCEPTED,
    )  # fmt: skip
    IndicatorValue.objects.create(activity=a, indicator=world.indicators[0], value=4)
    world.c22 = c22
    return world


def bearer(user):
    raw, hashed = token_generate()
    ApiToken.objects.create(user=user, key_hash=hashed, prefix=raw[:8])
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.parametrize("unit", ["national", "th", "th_c1"])
def test_year_over_year_equals_each_campaigns_report(history, unit):
    org = getattr(history.tree, unit)
    data = report_years(org)
    assert data["years"] == [2022, 2024, 2025]
    rows = {r["code"]: r for s in data["sections"] for r in s["rows"]}
    for i, campaign in enumerate(Campaign.objects.order_by("year")):
        expected = figure_index(report_figures(org, campaign))
        assert {code: rows[code]["values"][i] for code in expected} == {
            code: f["value"] for code, f in expected.items()
        }, campaign.year
        per_year = data["per_year"][i]
        assert per_year["year"] == campaign.year
        assert {f["key"]: f["value"] for f in per_year["figures"]} == {
            code: f["value"] for code, f in expected.items()
        }
    # The 2024 activity shows in 2024 only; nothing reported is None, never 0.
    news = rows["indicators.rp-bai-viet"]["values"]
    assert news[0] is None and news[1] == 4


def test_query_count_is_one_report_per_campaign(history, django_assert_num_queries):
    org = history.tree.national
    with CaptureQueriesContext(connection) as one:
        report_figures(org, history.campaign)
    # One query for the campaigns, then one report's worth of queries per campaign.
    with django_assert_num_queries(1 + 3 * len(one.captured_queries)):
        report_years(org)


def test_page_xlsx_and_permissions(client, history):
    people = history.people
    client.force_login(people.th_coordinator)
    r = client.get("/reports/don-vi/tinh-38/qua-cac-nam/")
    html = r.content.decode()
    assert r.status_code == 200 and "<svg" in html and "2022" in html and "2025" in html
    assert 'data-code="indicators.rp-bai-viet"' in html
    r = client.get("/reports/don-vi/tinh-38/qua-cac-nam.xlsx")
    sheet = load_workbook(io.BytesIO(r.content)).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[-3:] == ["2022", "2024", "2025"]
    row = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "indicators.rp-bai-viet")
    expected = figure_index(report_figures(history.tree.th, history.campaign))
    assert row[-1] == expected["indicators.rp-bai-viet"]["value"]
    assert (row[-3], row[-2]) == (None, 4)
    # Another province's page does not exist for Thanh Hóa's coordinator.
    assert client.get("/reports/don-vi/tinh-08/qua-cac-nam/").status_code == 404
    assert client.get("/reports/don-vi/tinh-08/qua-cac-nam.xlsx").status_code == 404


def test_api_years(client, history):
    people = history.people
    r = client.get("/api/v1/reports/tinh-38/years", **bearer(people.th_coordinator))
    body = r.json()
    assert r.status_code == 200 and [y["year"] for y in body] == [2022, 2024, 2025]
    expected = figure_index(report_figures(history.tree.th, history.campaign))
    assert {f["key"]: f["value"] for f in body[-1]["figures"]} == {
        k: f["value"] for k, f in expected.items()
    }
    assert set(body[-1]["figures"][0]) == {"key", "label", "value"}
    assert client.get("/api/v1/reports/tinh-08/years",
                      **bearer(people.th_coordinator)).status_code == 404  # fmt: skip
    assert client.get("/api/v1/reports/tinh-38/years").status_code == 401


def test_year_chart_prints_numbers_and_missing_years():
    svg = str(charts.year_chart("Tin, bài", [(2022, None), (2024, 1200), (2025, 3400)]))
    assert "1.200" in svg and "3.400" in svg and "—" in svg and "2022" in svg
    assert charts.year_chart("x", [(2022, None)]) == ""
