import io

import pytest
from django.urls import reverse

from dxday.activities import services
from dxday.activities.models import Activity, Evidence
from dxday.conftest import close_file
from dxday.orgs.tests.factories import DEFAULT_PASSWORD

from .factories import activity_data, pdf_upload, png_upload

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)
    return client


def _submitted(loop, n=1, assignment=None, user=None):
    people = loop.people
    user = user or people.th_c1_reporter
    out = []
    for i in range(n):
        a = services.activity_create(
            by=people.actor(user),
            assignment=assignment or loop.a_c1,
            data=activity_data(title=f"Hoạt động {i}"),
            values={"articles": i},
        )
        services.evidence_add(activity=a, by=people.actor(user), upload=png_upload())
        out.append(services.activity_submit(activity=a, by=people.actor(user)))
    return out


def test_report_form_creates_draft_with_evidence_and_null_values(client, loop, people):
    login(client, people.th_c1_reporter)
    url = reverse("activities:create") + f"?phan_cong={loop.a_c1.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert "Người được hướng dẫn VNeID" in page.content.decode()
    response = client.post(
        url,
        {
            "phan_cong": loop.a_c1.pk,
            "title": "Phát thanh về Ngày Chuyển đổi số",
            "type": "radio",
            "starts_on": "2025-10-01",
            "ends_on": "2025-10-10",
            "description": "20 buổi phát thanh",
            "ind_articles": "",
            "ind_people_reached": "0",
            "evidence": [png_upload(), pdf_upload()],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = Activity.objects.get()
    assert activity.assignment == loop.a_c1 and activity.status == "draft"
    values = {iv.indicator.code: iv.value for iv in activity.values.select_related("indicator")}
    assert values["articles"] is None and values["people_reached"] == 0
    assert activity.evidence.count() == 2


def test_report_form_rejects_part_above_total_and_saves_nothing(client, loop, people):
    login(client, people.th_c1_reporter)
    url = reverse("activities:create") + f"?phan_cong={loop.a_c1.pk}"
    response = client.post(
        url,
        {
            "phan_cong": loop.a_c1.pk,
            "title": "Hướng dẫn VNeID",
            "type": "door_to_door",
            "starts_on": "2025-10-01",
            "ends_on": "2025-10-01",
            "ind_people_guided": "5",
            "ind_vneid_guided": "6",
        },
    )
    assert response.status_code == 200
    assert "không được lớn hơn" in response.content.decode()
    assert not Activity.objects.exists()


def test_other_commune_assignment_and_activity_are_not_found(client, loop, people):
    (a2,) = _submitted(loop, assignment=loop.a_c2, user=people.th_c2_reporter)
    login(client, people.th_c1_reporter)
    missing = client.get(reverse("activities:detail", args=[999999]))
    forbidden = client.get(reverse("activities:detail", args=[a2.pk]))
    assert missing.status_code == forbidden.status_code == 404
    assert (
        client.get(reverse("activities:create") + f"?phan_cong={loop.a_c2.pk}").status_code == 404
    )
    evidence = a2.evidence.get()
    assert client.get(reverse("activities:evidence", args=[evidence.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("activities:evidence", args=[evidence.pk])).status_code == 404


def test_review_queue_accept_and_return_with_reason(client, loop, people):
    a1, a2 = _submitted(loop, n=2)
    login(client, people.th_coordinator)
    page = client.get(reverse("activities:review"))
    assert a1.title in page.content.decode() and a2.title in page.content.decode()
    client.post(reverse("activities:accept", args=[a1.pk]), {"next": "review"})
    client.post(reverse("activities:return", args=[a2.pk]), {"reason": ""})
    a2.refresh_from_db()
    assert a2.status == "submitted"  # a return without a reason is refused
    client.post(reverse("activities:return", args=[a2.pk]), {"reason": "Thiếu số liệu."})
    a1.refresh_from_db()
    a2.refresh_from_db()
    assert a1.status == "accepted" and a1.is_published
    assert a2.status == "returned" and a2.return_reason == "Thiếu số liệu."
    client.logout()
    login(client, people.th_c1_reporter)
    body = client.get(reverse("activities:detail", args=[a2.pk])).content.decode()
    assert "Thiếu số liệu." in body
    # The reporter cannot accept their own report.
    client.post(reverse("activities:edit", args=[a2.pk]), {})
    services.activity_submit(activity=a2, by=people.actor(people.th_c1_reporter))
    client.post(reverse("activities:accept", args=[a2.pk]))
    a2.refresh_from_db()
    assert a2.status == "submitted"


def test_evidence_served_safely(client, loop, people):
    a = services.activity_create(
        by=people.actor(people.th_c1_reporter), assignment=loop.a_c1, data=activity_data()
    )
    image = services.evidence_add(
        activity=a, by=people.actor(people.th_c1_reporter), upload=png_upload()
    )
    pdf = services.evidence_add(
        activity=a, by=people.actor(people.th_c1_reporter), upload=pdf_upload()
    )
    login(client, people.th_c1_reporter)
    r = client.get(reverse("activities:evidence", args=[image.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in r["Content-Security-Policy"]
    assert not r["Content-Disposition"].startswith("attachment")
    assert b"".join(r.streaming_content).startswith(b"\x89PNG")
    close_file(r)
    r = client.get(reverse("activities:evidence", args=[pdf.pk]))
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith("attachment")
    assert r["X-Content-Type-Options"] == "nosniff"
    close_file(r)
    assert Evidence.objects.count() == 2


def test_workspace_lists_have_pinned_query_counts(client, loop, people, django_assert_num_queries):
    _submitted(loop, n=3)
    _submitted(loop, n=3, assignment=loop.a_c2, user=people.th_c2_reporter)
    login(client, people.th_coordinator)
    client.get(reverse("activities:review"))  # warm the session
    # session, user, actor membership, nav memberships, count, page
    with django_assert_num_queries(6):
        page = client.get(reverse("activities:review"))
    assert page.content.decode().count('data-testid="review-') == 6
    client.logout()
    login(client, people.th_c1_reporter)
    client.get(reverse("activities:mine"))
    # session, user, actor, nav memberships, assignments, indicators prefetch, count, page
    with django_assert_num_queries(8):
        page = client.get(reverse("activities:mine"))
    assert page.status_code == 200
    _submitted(loop, n=3)
    with django_assert_num_queries(8):
        client.get(reverse("activities:mine"))


def test_task_results_page_shows_child_results_on_national_task(client, loop, people):
    (a1,) = _submitted(loop)
    services.activity_accept(activity=a1, by=people.actor(people.th_coordinator))
    login(client, people.national_coordinator)
    page = client.get(reverse("activities:task_results", args=[loop.national_task.pk]))
    assert page.status_code == 200
    assert "Tin, bài" in page.content.decode()
    client.logout()
    login(client, people.th_coordinator)
    assert (
        client.get(reverse("activities:task_results", args=[loop.national_task.pk])).status_code
        == 404
    )
    assert client.get(reverse("activities:task_results", args=[loop.th_task.pk])).status_code == 200


def test_sectors_page_flags_ministry(client, loop, people, tree):
    login(client, people.national_coordinator)
    body = client.get(reverse("activities:sectors")).content.decode()
    assert 'data-testid="ministry-bo-tai-chinh"' in body and 'data-testid="flag"' in body


def test_offer_register_and_moderate(client, loop, people):
    login(client, people.th_c1_reporter)
    response = client.post(
        reverse("activities:offers"),
        {
            "provider": "Voso",
            "title": "Mua sắm trực tuyến",
            "discount": "Giảm 10%",
            "starts_on": "2025-10-01",
            "ends_on": "2025-10-10",
            "link": "https://voso.vn",
        },
    )
    assert response.status_code == 302
    client.logout()
    login(client, people.moderator)
    offer_pk = client.get(reverse("activities:offer_moderation")).context["offers"][0].pk
    client.post(reverse("activities:offer_moderation"), {"offer": offer_pk, "decision": "approve"})
    client.logout()
    assert "Voso" in client.get(reverse("portal:offers")).content.decode()


def _xlsx(rows):
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "bao-cao.xlsx"
    return buffer


def test_excel_template_then_import(client, loop, people):
    from openpyxl import load_workbook

    login(client, people.th_c1_reporter)
    template = client.get(reverse("activities:excel_template"))
    sheet = load_workbook(io.BytesIO(template.content)).worksheets[0]
    keys = [c.value for c in sheet[1]]
    assert keys[0] == "dx:assignment" and "dx:ind:vneid_guided" in keys
    assert sheet.cell(row=3, column=1).value == loop.a_c1.pk
    # A file laid out like the older template (indicator codes as headings, type codes)
    # still imports: the new template's labels are tested in test_exchange_template.py.
    header = ["Mã phân công", "Nhiệm vụ", "Mã hoạt động", "Tên hoạt động", "Loại hoạt động",
              "Từ ngày", "Đến ngày", "Trực tuyến", "Mô tả",
              *[k.removeprefix("dx:ind:") for k in keys if k.startswith("dx:ind:")]]  # fmt: skip
    good = [
        header,
        [loop.a_c1.pk, "x", None, "Phát thanh", "radio", "01/10/2025", "10/10/2025", "không",
         "", 3, None, 10, 5],
    ]  # fmt: skip
    bad = [
        *good,
        [loop.a_c1.pk, "x", None, "Hỏng", "radio", "01/10/2025", "10/10/2025", "", "", 1, None,
         5, 9],
        [loop.a_c2.pk, "x", None, "Không phải của tôi", "radio", "01/10/2025", None, "", ""],
    ]  # fmt: skip
    r = client.post(reverse("activities:excel"), {"file": _xlsx(bad), "confirm": "on"})
    body = r.content.decode()
    assert "Dòng 3" in body and "Dòng 4" in body
    assert not Activity.objects.exists()  # one bad row: nothing saved
    r = client.post(reverse("activities:excel"), {"file": _xlsx(good)})
    assert "1 dòng hợp lệ" in r.content.decode()
    assert not Activity.objects.exists()  # dry run
    r = client.post(reverse("activities:excel"), {"file": _xlsx(good), "confirm": "on"})
    assert r.status_code == 302
    activity = Activity.objects.get()
    values = {iv.indicator.code: iv.value for iv in activity.values.select_related("indicator")}
    # The empty cell is stored as "not reported" (NULL), never 0.
    assert values == {"articles": 3, "people_reached": None, "people_guided": 10, "vneid_guided": 5}
    assert activity.status == "draft"


def test_large_ids_are_not_localised_in_links(client, loop, people):
    """With thousand separators on, {{ pk }} would render 12.345 and break the link."""
    from dxday.plans.models import Assignment

    big = Assignment.objects.create(
        pk=12345, task=loop.national_task, organisation=people.th_c1_reporter.memberships.get()
        .organisation, role="lead",
    )  # fmt: skip
    login(client, people.th_c1_reporter)
    body = client.get(reverse("activities:mine")).content.decode()
    assert f"phan_cong={big.pk}" in body
    body = client.get(reverse("activities:create") + f"?phan_cong={big.pk}").content.decode()
    assert f'value="{big.pk}"' in body


def test_task_results_index_lists_tasks_of_the_subtree(client, loop, people):
    login(client, people.national_coordinator)
    tasks = list(client.get(reverse("activities:task_results_index")).context["page"])
    assert set(tasks) == {loop.national_task, loop.th_task}
    client.logout()
    login(client, people.th_coordinator)
    tasks = list(client.get(reverse("activities:task_results_index")).context["page"])
    assert tasks == [loop.th_task]


def test_moderator_unpublishes_from_the_published_list(client, loop, people):
    (a1,) = _submitted(loop)
    services.activity_accept(activity=a1, by=people.actor(people.th_coordinator))
    login(client, people.moderator)
    assert a1.title in client.get(reverse("activities:published")).content.decode()
    client.post(reverse("activities:unpublish", args=[a1.pk]))
    a1.refresh_from_db()
    assert not a1.is_published
    client.logout()
    assert client.get(reverse("portal:activity_detail", args=[a1.pk])).status_code == 404


def test_evidence_delete_and_sector_progress(client, loop, people, tree):
    a = services.activity_create(
        by=people.actor(people.th_c1_reporter), assignment=loop.a_c1, data=activity_data()
    )
    item = services.evidence_add(
        activity=a, by=people.actor(people.th_c1_reporter), upload=png_upload()
    )
    login(client, people.th_c2_reporter)
    assert client.post(reverse("activities:evidence_delete", args=[item.pk])).status_code == 404
    client.logout()
    login(client, people.th_c1_reporter)
    client.post(reverse("activities:evidence_delete", args=[item.pk]))
    assert not Evidence.objects.exists()
    client.logout()
    sector = services.sector_create(
        by=people.actor(people.national_coordinator), organisation=tree.ministry, name="Thuế"
    )
    login(client, people.national_coordinator)
    client.post(reverse("activities:sector_progress", args=[sector.pk]), {"progress": "55"})
    sector.refresh_from_db()
    assert sector.progress == 55
    client.post(reverse("activities:sector_progress", args=[sector.pk]), {"progress": "140"})
    sector.refresh_from_db()
    assert sector.progress == 55


def test_subtree_list_by_status_with_pinned_queries(
    client, loop, people, django_assert_num_queries
):
    a1, a2 = _submitted(loop, n=2)
    services.activity_return(
        activity=a2, by=people.actor(people.th_coordinator), reason="Bổ sung số liệu."
    )
    _submitted(loop, n=2, assignment=loop.a_c2, user=people.th_c2_reporter)
    login(client, people.th_coordinator)
    url = reverse("activities:subtree")
    client.get(url)
    with django_assert_num_queries(6):
        body = client.get(url).content.decode()
    assert body.count('data-testid="row-') == 4
    body = client.get(url, {"trang_thai": "returned"}).content.decode()
    assert body.count('data-testid="row-') == 1 and "Bổ sung số liệu." in body
    client.logout()
    login(client, people.tq_coordinator)
    assert 'data-testid="row-' not in client.get(url).content.decode()
    client.logout()
    login(client, people.th_c1_reporter)
    # A page the reporter's role may not open: 403 (the URL is no secret), no longer 404.
    assert client.get(url).status_code == 403


def test_excel_import_updates_a_draft_and_refuses_a_submitted_one(client, loop, people):
    reporter = people.actor(people.th_c1_reporter)
    draft = services.activity_create(
        by=reporter, assignment=loop.a_c1, data=activity_data(), values={"articles": 1}
    )
    (sent,) = _submitted(loop)
    header = ["Mã phân công", "Nhiệm vụ", "Mã hoạt động", "Tên hoạt động", "Loại hoạt động",
              "Từ ngày", "Đến ngày", "Trực tuyến", "Mô tả", "articles"]  # fmt: skip
    row = [loop.a_c1.pk, "", draft.pk, "Đã sửa từ Excel", "Truyền thanh cơ sở", "02/10/2025",
           "03/10/2025", "có", "", None]  # fmt: skip
    login(client, people.th_c1_reporter)
    bad = [header, row, [*row[:2], sent.pk, *row[3:]]]
    body = client.post(reverse("activities:excel"), {"file": _xlsx(bad), "confirm": "on"})
    assert "Dòng 3" in body.content.decode()
    draft.refresh_from_db()
    assert draft.title != "Đã sửa từ Excel"
    r = client.post(reverse("activities:excel"), {"file": _xlsx([header, row]), "confirm": "on"})
    assert r.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Đã sửa từ Excel" and draft.type == "radio" and draft.is_online
    assert draft.values.get().value is None  # the emptied cell: not reported any more


def test_report_form_with_a_bad_file_in_the_middle_saves_nothing(client, loop, people, settings):
    """The form used to store the first file before refusing the second, leaving it on disk
    after the rollback."""
    import pathlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, people.th_c1_reporter)
    url = reverse("activities:create") + f"?phan_cong={loop.a_c1.pk}"
    bad = SimpleUploadedFile("b.png", b"<html>not an image</html>", "image/png")
    response = client.post(
        url,
        {
            "phan_cong": loop.a_c1.pk,
            "title": "Phát thanh",
            "type": "radio",
            "starts_on": "2025-10-01",
            "ends_on": "2025-10-10",
            "evidence": [png_upload(), bad, pdf_upload()],
        },
    )
    assert response.status_code == 200
    assert "Chỉ nhận ảnh JPEG, PNG, WebP hoặc tệp PDF." in response.content.decode()
    assert not Activity.objects.exists() and not Evidence.objects.exists()
    root = pathlib.Path(settings.MEDIA_ROOT)
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]


def test_review_queue_searches_without_diacritics_and_filters_by_type(client, loop, people):
    """Issue 10: the review queue is a long list at national scope; it pages, and a reviewer
    finds a unit's reports by typing its name without diacritics, or keeps one type."""
    hac_thanh = _submitted(loop)[0]
    (quang_phu,) = _submitted(loop, assignment=loop.a_c2, user=people.th_c2_reporter)
    login(client, people.th_coordinator)
    url = reverse("activities:review")
    body = client.get(url, {"q": "quang phu"}).content.decode()
    assert f'data-testid="review-{quang_phu.pk}"' in body
    assert f'data-testid="review-{hac_thanh.pk}"' not in body
    body = client.get(url, {"q": "HAC THANH"}).content.decode()
    assert f'data-testid="review-{hac_thanh.pk}"' in body
    assert f'data-testid="review-{quang_phu.pk}"' not in body
    body = client.get(url, {"loai": "event"}).content.decode()
    assert "Không có báo cáo nào khớp với điều kiện lọc." in body
    body = client.get(url, {"loai": "radio"}).content.decode()
    assert f'data-testid="review-{hac_thanh.pk}"' in body
    assert "2 báo cáo chờ duyệt" in body
