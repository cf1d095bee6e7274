import csv
import datetime
import io
import json

import pytest
import time_machine
from django.urls import reverse

from dxday.activities import services
from dxday.activities.tests.factories import activity_data, png_upload
from dxday.plans.models import Campaign

pytestmark = pytest.mark.django_db


def publish(loop, people, assignment=None, user=None, values=None, **over):
    user = user or people.th_c1_reporter
    a = services.activity_create(
        by=people.actor(user),
        assignment=assignment or loop.a_c1,
        data=activity_data(**over),
        values=values,
    )
    services.evidence_add(activity=a, by=people.actor(user), upload=png_upload())
    services.activity_submit(activity=a, by=people.actor(user))
    # A province's own report is reviewed nationally; a commune's by its province.
    above = people.national_coordinator if a.organisation.depth <= 2 else people.th_coordinator
    return services.activity_accept(activity=a, by=people.actor(above))


def test_home_shows_message_countdown_and_figures(client, loop, people):
    publish(loop, people)
    with time_machine.travel(datetime.datetime(2025, 10, 11, 3, tzinfo=datetime.UTC)):
        body = client.get("/").content.decode()
    assert "Chuyển đổi số: Nhanh hơn, hiệu quả hơn, gần dân hơn" in body
    assert 'data-target="2025-10-21"' in body and ">10</strong>" in body
    assert 'data-testid="figures"' in body
    r = client.get("/")
    assert "public" in r["Cache-Control"]


def test_search_ignores_diacritics_and_filters(client, loop, people):
    a1 = publish(loop, people, title="Ngày hội Chuyển đổi số ở Thanh Hoá", type="event")
    a2 = publish(
        loop, people, assignment=loop.a_tq, user=people.tq_coordinator, title="Cuộc thi trực tuyến",
        type="contest",
    )  # fmt: skip
    draft = services.activity_create(
        by=people.actor(people.th_c2_reporter), assignment=loop.a_c2,
        data=activity_data(title="Chuyển đổi số bản nháp"),
    )  # fmt: skip

    def ids(**params):
        page = client.get(reverse("portal:activities"), params).context["page"]
        return {a.pk for a in page}

    assert ids(q="chuyen doi so") == {a1.pk}
    assert ids(q="Thanh Hóa") == ids(q="thanh hoa") == ids(q="THANH HOÁ") == {a1.pk}
    assert ids(tinh="08") == {a2.pk}
    assert ids(loai="contest") == {a2.pk}
    assert ids(tu="2025-10-11") == set()
    assert ids() == {a1.pk, a2.pk}
    assert draft.pk not in ids()
    detail = client.get(reverse("portal:activity_detail", args=[a1.pk]))
    assert detail.status_code == 200 and "Thanh Hoá" in detail.content.decode()
    assert client.get(reverse("portal:activity_detail", args=[draft.pk])).status_code == 404


def test_portal_list_query_count_is_pinned(client, loop, people, django_assert_num_queries):
    for i in range(3):
        publish(loop, people, title=f"Hoạt động {i}")
    # count, page, provinces, years
    with django_assert_num_queries(4):
        r = client.get(reverse("portal:activities"))
    assert r.content.decode().count('data-testid="activity-') == 3
    for i in range(5):
        publish(loop, people, assignment=loop.a_c2, user=people.th_c2_reporter, title=f"B {i}")
    with django_assert_num_queries(4):
        client.get(reverse("portal:activities"))
    # home: campaign, next key date (+ the last one once all are past), latest, figures (2),
    # windows, earlier years, the learning festival's figures (one query without offerings)
    with django_assert_num_queries(9):
        client.get("/")


def test_no_personal_data_on_public_pages(client, loop, people):
    a = publish(loop, people)
    people.th_c1_reporter.full_name = "Nguyễn Văn Báo Cáo"
    people.th_c1_reporter.save()
    for url in (
        "/", reverse("portal:activities"), reverse("portal:activity_detail", args=[a.pk]),
        reverse("portal:open_data_activities", args=["json"]),
    ):  # fmt: skip
        body = body_of(client.get(url)).decode()
        assert "Nguyễn Văn Báo Cáo" not in body and people.th_c1_reporter.username not in body


def body_of(response) -> bytes:
    """The body of a plain or streamed response. Reading a stream to its end closes it (the
    test client's wrapper); response.close() itself would fire request_finished and close the
    test's database connection on PostgreSQL."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_open_data_csv_and_json(client, loop, people):
    a = publish(loop, people, values={"articles": 12, "people_reached": None})
    r = client.get(reverse("portal:open_data_activities", args=["csv"]))
    assert r["Content-Type"].startswith("text/csv")
    body = body_of(r)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 1 and rows[0]["Mã hoạt động"] == str(a.pk)
    assert rows[0]["Tin, bài (bài)"] == "12" and rows[0]["Lượt tiếp cận (lượt)"] == ""
    assert rows[0]["Tỉnh, thành phố"] == "Thanh Hóa"
    url = reverse("portal:open_data_activities", args=["json"])
    data = json.loads(body_of(client.get(url)))
    assert data[0]["indicators"] == {"articles": 12, "people_reached": None}
    assert data[0]["campaign"] == 2025
    assert client.get("/du-lieu-mo/hoat-dong.html").status_code == 404
    offers = client.get(reverse("portal:open_data_offers", args=["csv"]))
    assert body_of(offers).startswith(b"\xef\xbb\xbf")


def test_calendar_and_earlier_campaign_pages(client, loop, people):
    a = publish(loop, people, title="Phát thanh tháng Mười")
    r = client.get(reverse("portal:calendar"), {"thang": "2025-10"})
    assert r.status_code == 200 and "Phát thanh tháng Mười" in r.content.decode()
    assert (
        "Phát thanh tháng Mười"
        not in client.get(reverse("portal:calendar"), {"thang": "2025-11"}).content.decode()
    )
    Campaign.objects.create(
        year=2022,
        theme="Chuyển đổi số giải quyết các vấn đề của xã hội vì một cuộc sống tốt đẹp hơn",
    )
    r = client.get(reverse("portal:campaign_year", args=[2022]))
    assert r.status_code == 200 and "cuộc sống tốt đẹp hơn" in r.content.decode()
    assert client.get(reverse("portal:campaign_year", args=[2019])).status_code == 404
    assert a.title in client.get(reverse("portal:campaign_year", args=[2025])).content.decode()
    assert "/nam/2022/" in client.get("/").content.decode()


def test_offers_and_calendar_query_counts(client, loop, people, django_assert_num_queries):
    for i in range(3):
        offer = services.offer_register(
            by=people.actor(people.th_c1_reporter),
            data={
                "provider": f"Nhà cung cấp {i}",
                "title": "Dịch vụ số",
                "discount": "Giảm 10%",
                "starts_on": datetime.date(2025, 10, 1),
                "ends_on": datetime.date(2025, 10, 10),
            },
        )
        services.offer_approve(offer=offer, by=people.actor(people.moderator))
        publish(loop, people, title=f"Hoạt động {i}")
    with django_assert_num_queries(2):  # count, page
        body = client.get(reverse("portal:offers")).content.decode()
    assert body.count('data-testid="offer-') == 3
    with django_assert_num_queries(1):
        body = client.get(reverse("portal:calendar"), {"thang": "2025-10"}).content.decode()
    assert "Hoạt động 2" in body


def test_open_data_page_links_every_download_and_each_works(client, loop, people):
    from openpyxl import load_workbook

    a = publish(loop, people, values={"articles": 12})
    page = client.get(reverse("portal:open_data"))
    assert page.status_code == 200 and "public" in page["Cache-Control"]
    body = page.content.decode()
    links = [
        reverse("portal:open_data_activities", args=[fmt]) for fmt in ("csv", "json", "xlsx")
    ] + [reverse("portal:open_data_offers", args=[fmt]) for fmt in ("csv", "json")]
    for link in links:
        assert f'href="{link}"' in body
        response = client.get(link)
        assert response.status_code == 200
        body_of(response)
    sheet = load_workbook(
        io.BytesIO(body_of(client.get(reverse("portal:open_data_activities", args=["xlsx"]))))
    ).worksheets[0]
    assert [c.value for c in sheet[2]][:3] == [a.pk, 2025, a.title]
    # A year filter narrows the download; an earlier campaign has nothing published.
    url = reverse("portal:open_data_activities", args=["json"])
    assert [r["id"] for r in json.loads(body_of(client.get(url, {"nam": "2025"})))] == [a.pk]
    assert json.loads(body_of(client.get(url, {"nam": "2024"}))) == []


def test_signed_in_officials_see_the_same_public_pages_privately_cached(client, loop, people):
    """The portal shows every visitor the same published content: a coordinator of another
    province or a viewer sees no draft, and their page is never kept by a shared cache."""
    a = publish(loop, people, title="Ngày hội công khai")
    draft = services.activity_create(
        by=people.actor(people.th_c2_reporter), assignment=loop.a_c2,
        data=activity_data(title="Bản nháp nội bộ"),
    )  # fmt: skip
    for user in (people.tq_coordinator, people.th_viewer):
        client.force_login(user)
        for url in (reverse("portal:activities"), reverse("portal:open_data"), "/"):
            response = client.get(url)
            assert response.status_code == 200 and "private" in response["Cache-Control"]
            assert "Bản nháp nội bộ" not in response.content.decode()
        assert client.get(reverse("portal:activity_detail", args=[a.pk])).status_code == 200
        assert client.get(reverse("portal:activity_detail", args=[draft.pk])).status_code == 404
        client.logout()


def test_province_filter_accepts_codes_without_the_leading_zero(client, loop, people):
    a2 = publish(loop, people, assignment=loop.a_tq, user=people.tq_coordinator, title="Thi")
    r = client.get(reverse("portal:activities"), {"tinh": "8"})
    assert r.status_code == 200 and {a.pk for a in r.context["page"]} == {a2.pk}
    r = client.get(reverse("portal:activities"), {"tinh": "99"})
    assert r.status_code == 422 and "99" in r.content.decode()
    assert client.get(reverse("portal:activities"), {"tinh": "abc"}).status_code == 422
