"""Open data people can read and reuse (issues 10 and 11): Vietnamese headings and words, a
licence, a data dictionary, expired offers marked, an inverted date range refused; CSV and JSON
streamed, the XLSX built once a day by a task."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import load_workbook

from dxday.activities import services
from dxday.portal import services as portal_services
from dxday.portal import tasks as portal_tasks
from dxday.portal.exports import ACTIVITY_COLUMNS, LICENCE, OFFER_COLUMNS

from .test_views import body_of, publish

pytestmark = pytest.mark.django_db

CSV_URL = reverse("portal:open_data_activities", args=["csv"])
JSON_URL = reverse("portal:open_data_activities", args=["json"])
XLSX_URL = reverse("portal:open_data_activities", args=["xlsx"])
TODAY = datetime.datetime(2025, 10, 20, 3, tzinfo=datetime.UTC)  # 10:00 in Hà Nội


def _csv_rows(response):
    return list(csv.DictReader(io.StringIO(body_of(response).decode("utf-8-sig"))))


def _offer(people, *, provider, starts, ends):
    offer = services.offer_register(
        by=people.actor(people.th_c1_reporter),
        data={"provider": provider, "title": "Gói cước số", "discount": "Giảm 20%",
              "starts_on": starts, "ends_on": ends},
    )  # fmt: skip
    return services.offer_approve(offer=offer, by=people.actor(people.moderator))


def test_csv_speaks_vietnamese_with_words_not_codes(client, loop, people):
    publish(loop, people, values={"articles": 12}, is_online=True)
    response = client.get(CSV_URL)
    assert response.streaming  # written while rows are read
    body = body_of(client.get(CSV_URL)).decode("utf-8-sig")
    header = body.splitlines()[0]
    assert header.startswith("Mã hoạt động,Năm,Tên hoạt động,Loại hoạt động,Từ ngày")
    assert "Tin, bài (bài)" in header  # an indicator by its name and unit, not "articles"
    for english in ("title", "type", "online", "province", "articles", "True", "False", "radio"):
        assert english not in body.replace("'", " ").split(","), english
    (row,) = _csv_rows(client.get(CSV_URL))
    assert row["Trực tuyến"] == "Có" and row["Loại hoạt động"] == "Truyền thanh cơ sở"
    # Programs keep stable keys and typed values in the JSON.
    (record,) = json.loads(body_of(client.get(JSON_URL)))
    assert record["online"] is True and record["type"] == "radio"
    assert record["indicators"] == {"articles": 12}


def test_every_file_and_page_states_the_licence(client, loop, people):
    publish(loop, people, values={"articles": 12})
    page = client.get(reverse("portal:open_data")).content.decode()
    assert f'href="{LICENCE["url"]}" rel="license"' in page and "CC BY 4.0" in page
    for fmt in ("csv", "json", "xlsx"):
        response = client.get(reverse("portal:open_data_activities", args=[fmt]))
        assert f'<{LICENCE["url"]}>; rel="license"' in response["Link"], fmt
        assert '/du-lieu-mo/hoat-dong/>; rel="describedby"' in response["Link"], fmt
        body = body_of(response)
    workbook = load_workbook(io.BytesIO(body))
    assert LICENCE["url"] in workbook.properties.description
    licence = {row[0].value: row[1].value for row in workbook["Giấy phép"].iter_rows()}
    assert licence["Giấy phép"] == LICENCE["name"]


def test_each_dataset_has_a_data_dictionary_linked_from_the_page(client, loop):
    page = client.get(reverse("portal:open_data")).content.decode()
    for dataset, columns in (("hoat-dong", ACTIVITY_COLUMNS), ("uu-dai", OFFER_COLUMNS)):
        url = reverse("portal:open_data_dictionary", args=[dataset])
        assert f'href="{url}"' in page
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        for column in columns:
            assert f"<td>{column.heading}</td><td><code>{column.key}</code></td>" in body
        assert "CC BY 4.0" in body
    assert "Tin, bài" in client.get("/du-lieu-mo/hoat-dong/").content.decode()  # indicators
    assert client.get("/du-lieu-mo/khong-co/").status_code == 404


@time_machine.travel(TODAY)
def test_expired_offers_are_marked_in_files_and_on_the_page(client, loop, people):
    _offer(people, provider="Nhà mạng A", starts=datetime.date(2025, 10, 1),
           ends=datetime.date(2025, 10, 19))  # fmt: skip
    _offer(
        people,
        provider="Nhà mạng B",
        starts=datetime.date(2025, 10, 1),
        ends=datetime.date(2025, 10, 20),
    )  # fmt: skip  (the last day still applies)
    _offer(people, provider="Nhà mạng C", starts=datetime.date(2025, 10, 21),
           ends=datetime.date(2025, 10, 31))  # fmt: skip
    rows = _csv_rows(client.get(reverse("portal:open_data_offers", args=["csv"])))
    states = {r["Nhà cung cấp"]: r["Tình trạng"] for r in rows}
    assert states == {"Nhà mạng A": "Đã hết hạn", "Nhà mạng B": "Đang áp dụng",
                      "Nhà mạng C": "Sắp áp dụng"}  # fmt: skip
    records = json.loads(body_of(client.get(reverse("portal:open_data_offers", args=["json"]))))
    expired = {r["provider"]: (r["state"], r["expired"]) for r in records}
    assert expired["Nhà mạng A"] == ("expired", True)
    assert expired["Nhà mạng B"] == ("active", False)
    page = client.get(reverse("portal:offers")).content.decode()
    assert page.count('data-testid="expired"') == 1


def test_an_inverted_date_range_is_refused_with_a_sentence(client, loop, people):
    publish(loop, people)  # 1/10 → 10/10/2025
    inverted = {"tu": "2025-10-10", "den": "2025-10-01"}
    for url in (CSV_URL, JSON_URL, XLSX_URL):
        response = client.get(url, inverted)
        assert response.status_code == 422, url
        assert "ngày bắt đầu 10/10/2025 sau ngày kết thúc 01/10/2025" in response.content.decode()
    page = client.get(reverse("portal:activities"), inverted)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="range-error"' in body and "Khoảng ngày không hợp lệ" in body
    assert "0 hoạt động" in body  # never "everything" or a silent result
    # The right way round filters as before.
    assert len(_csv_rows(client.get(CSV_URL, {"tu": "2025-10-01", "den": "2025-10-05"}))) == 1
    assert _csv_rows(client.get(CSV_URL, {"tu": "2025-11-01", "den": "2025-11-05"})) == []


def test_csv_and_json_stream_in_a_fixed_number_of_queries(
    client, loop, people, django_assert_num_queries
):
    publish(loop, people, values={"articles": 1})
    client.get(CSV_URL)  # warm caches
    with django_assert_num_queries(3) as ctx:  # indicators, activities, their values
        body_of(client.get(CSV_URL))
    for i in range(4):
        publish(loop, people, title=f"Hoạt động {i}", values={"articles": i})
    with django_assert_num_queries(len(ctx.captured_queries)):
        assert len(_csv_rows(client.get(CSV_URL))) == 5


@time_machine.travel(TODAY)
def test_xlsx_is_built_once_a_day_by_a_task_and_served_from_storage(
    client, loop, people, monkeypatch
):
    publish(loop, people, title="Hoạt động thứ nhất")
    name = portal_services.open_data_xlsx_name(dataset="hoat-dong", day=TODAY.date())
    first = client.get(XLSX_URL)  # the immediate test backend builds it at once
    assert first.status_code == 200 and default_storage.exists(name)
    body = body_of(first)
    publish(loop, people, title="Hoạt động thứ hai")
    assert body_of(client.get(XLSX_URL)) == body  # the same day: the same file, not rebuilt

    # With a real queue the first visitor of the day gets "đang chuẩn bị" until it is built.
    queued = []
    task = portal_tasks.open_data_xlsx_task

    class Queue:
        enqueue = staticmethod(lambda *args: queued.append(args))

    monkeypatch.setattr(portal_tasks, "open_data_xlsx_task", Queue)
    with time_machine.travel(TODAY + datetime.timedelta(days=1)):
        waiting = client.get(XLSX_URL)
        assert waiting.status_code == 202 and "đang được lập" in waiting.content.decode()
        assert client.get(XLSX_URL).status_code == 202
        assert len(queued) == 1  # enqueued once, not once per visitor
        task.call(*queued[0])  # the worker runs it
        ready = client.get(XLSX_URL)
        assert ready.status_code == 200
        sheet = load_workbook(io.BytesIO(body_of(ready))).worksheets[0]
        assert [r[2].value for r in sheet.iter_rows(min_row=2)] == [
            "Hoạt động thứ nhất", "Hoạt động thứ hai",
        ]  # fmt: skip
        assert not default_storage.exists(name)  # yesterday's file is gone
