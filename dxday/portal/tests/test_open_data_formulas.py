"""Open data is read in spreadsheets: no published text may turn into a formula there.

Guards issue 9 §5: an activity title "=HYPERLINK(...)" or an offer provider "@SUM(1)" went into
the open-data CSV and XLSX unchanged, and openpyxl stored the XLSX cell as a formula.
"""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dxday.activities import services
from dxday.portal.tests.test_views import body_of, publish

pytestmark = pytest.mark.django_db

TITLE = '=HYPERLINK("http://attacker.invalid","Xem kết quả")'
PROVIDER = "@SUM(1)"


def _csv(client, name):
    body = body_of(client.get(reverse(f"portal:{name}", args=["csv"]))).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def _xlsx(client, name):
    body = body_of(client.get(reverse(f"portal:{name}", args=["xlsx"])))
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    rows = list(sheet.iter_rows())
    headers = [c.value for c in rows[0]]
    return [dict(zip(headers, r, strict=True)) for r in rows[1:]]


def test_activity_title_and_offer_provider_stay_text(client, loop, people):
    publish(loop, people, title=TITLE, values={"articles": 12})
    offer = services.offer_register(
        by=people.actor(people.th_c1_reporter),
        data={
            "provider": PROVIDER,
            "title": "Dịch vụ số",
            "discount": "Giảm 10%",
            "starts_on": datetime.date(2025, 10, 1),
            "ends_on": datetime.date(2025, 10, 10),
        },
    )
    services.offer_approve(offer=offer, by=people.actor(people.moderator))

    assert _csv(client, "open_data_activities")[0]["Tên hoạt động"] == "'" + TITLE
    assert _csv(client, "open_data_offers")[0]["Nhà cung cấp"] == "'" + PROVIDER

    activity = _xlsx(client, "open_data_activities")[0]
    title, articles = activity["Tên hoạt động"], activity["Tin, bài (bài)"]
    assert (title.value, title.data_type) == (TITLE, "s")
    assert (articles.value, articles.data_type) == (12, "n")
    provider = _xlsx(client, "open_data_offers")[0]["Nhà cung cấp"]
    assert (provider.value, provider.data_type) == (PROVIDER, "s")
