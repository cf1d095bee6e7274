from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dxday.orgs.auth import token_generate
from dxday.orgs.models import ApiToken
from dxday.orgs.tests.factories import DEFAULT_PASSWORD
from dxday.plans.models import Assignment, Task
from dxday.reports import services
from dxday.reports.models import Report, ReportDeadline
from dxday.reports.selectors import figure_index, report_figures

pytestmark = pytest.mark.django_db


def _login(client, user):
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)


def _bearer(user):
    raw, hashed = token_generate()
    ApiToken.objects.create(user=user, key_hash=hashed, prefix=raw[:8])
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_dashboard_shows_figures_charts_and_late_units(client, world):
    _login(client, world.people.th_coordinator)
    r = client.get(reverse("reports:dashboard", args=["tinh-38", 2025]))
    assert r.status_code == 200
    html = r.content.decode()
    assert "<svg" in html and "http" not in html.split("<svg", 1)[1].split("</svg>")[0].replace(
        "http://www.w3.org/2000/svg", ""
    )
    assert 'data-testid="late-units"' in html
    assert "UBND xã Quảng Phú" in html
    assert "Người dân được hướng dẫn" in html
    assert 'data-testid="yoy"' in html  # 2024 data exists


def test_outside_subtree_is_404_like_missing(client, world):
    _login(client, world.people.th_coordinator)
    for url in (
        reverse("reports:dashboard", args=["tinh-08", 2025]),
        reverse("reports:dashboard", args=["khong-co", 2025]),
        reverse("reports:rates", args=["tinh-08", 2025]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("reports:report_start", args=["tinh-08", 2025])).status_code == 404
    assert (
        client.post(reverse("reports:job_create", args=["tinh-08", 2025, "docx"])).status_code
        == 404
    )
    tq = services.report_draft(
        organisation=world.tree.tq,
        campaign=world.campaign,
        by=world.people.actor(world.people.tq_coordinator),
    )
    assert client.get(reverse("reports:report_detail", args=[tq.pk])).status_code == 404
    assert client.get(reverse("reports:report_detail", args=[99999])).status_code == 404


def test_coordinator_edits_narrative_and_explanations_in_browser(client, world):
    _login(client, world.people.th_coordinator)
    r = client.post(reverse("reports:report_start", args=["tinh-38", 2025]))
    report = Report.objects.get(organisation=world.tree.th)
    assert r.url == reverse("reports:report_detail", args=[report.pk])
    page = client.get(r.url).content.decode()
    assert 'name="explain:plans.assignments.total"' in page
    total_before = figure_index(report_figures(world.tree.th, world.campaign))[
        "plans.assignments.total"
    ]["value"]
    r = client.post(
        reverse("reports:report_edit", args=[report.pk]),
        {
            "general_situation": "Tỉnh đã ban hành Kế hoạch.",
            "explain:plans.assignments.overdue": "Do ảnh hưởng của bão số 11.",
            # An attempt to type a figure over is simply not a field: it is ignored.
            "plans.assignments.total": "999",
            "number": "05/BC-UBND",
            "issued_on": "05/10/2025",
            "recipients": "Bộ Khoa học và Công nghệ (để b/c)\nThường trực Tỉnh ủy (để b/c)",
        },
    )
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.general_situation == "Tỉnh đã ban hành Kế hoạch."
    assert report.explanations == {"plans.assignments.overdue": "Do ảnh hưởng của bão số 11."}
    assert report.issued_on == dt.date(2025, 10, 5)
    assert report.recipients[1] == "Thường trực Tỉnh ủy (để b/c)"
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert "Do ảnh hưởng của bão số 11." in page
    after = figure_index(report_figures(world.tree.th, world.campaign))
    assert after["plans.assignments.total"]["value"] == total_before


def test_return_with_reason_is_shown_to_the_unit(client, world):
    reporter = world.people.th_c1_reporter
    actor = world.people.actor(reporter)
    report = services.report_draft(organisation=world.tree.th_c1, campaign=world.campaign, by=actor)
    services.report_submit(report=report, by=actor)
    _login(client, world.people.th_coordinator)
    home = client.get(reverse("reports:home")).content.decode()
    assert 'data-testid="to-review"' in home
    r = client.post(reverse("reports:report_return", args=[report.pk]), {"reason": ""})
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED  # refused without a reason
    client.post(
        reverse("reports:report_return", args=[report.pk]), {"reason": "Bổ sung số liệu tổ 3."}
    )
    client.logout()
    _login(client, reporter)
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert 'data-testid="return-reason"' in page and "Bổ sung số liệu tổ 3." in page


def test_accept_then_diff_page_shows_change(client, world):
    actor = world.people.actor(world.people.th_c1_reporter)
    report = services.report_draft(organisation=world.tree.th_c1, campaign=world.campaign, by=actor)
    services.report_submit(report=report, by=actor)
    _login(client, world.people.th_coordinator)
    client.post(reverse("reports:report_accept", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.ACCEPTED
    diff_url = reverse("reports:report_diff", args=[report.pk])
    assert 'data-testid="no-diff"' in client.get(diff_url).content.decode()
    task = Task.objects.filter(plan__campaign=world.campaign).first()
    extra = Task.objects.create(plan=task.plan, title="Nhiệm vụ bổ sung")
    Assignment.objects.create(task=extra, organisation=world.tree.th_c1, role="lead")
    html = client.get(diff_url).content.decode()
    assert 'data-code="plans.assignments.total"' in html and "+1" in html


def test_reporting_rates_table(client, world):
    ReportDeadline.objects.create(campaign=world.campaign, due_on=dt.date(2025, 10, 20))
    for name, org in (("th_c1_reporter", world.tree.th_c1), ("th_c2_reporter", world.tree.th_c2)):
        actor = world.people.actor(getattr(world.people, name))
        report = services.report_draft(organisation=org, campaign=world.campaign, by=actor)
        services.report_submit(report=report, by=actor)
    Report.objects.filter(organisation=world.tree.th_c1).update(submitted_on=dt.date(2025, 10, 18))
    Report.objects.filter(organisation=world.tree.th_c2).update(submitted_on=dt.date(2025, 10, 25))
    from dxday.reports.selectors import reporting_rates

    rows = {r["kind"]: r for r in reporting_rates(world.tree.th, world.campaign)}
    communes = rows["commune"]
    assert (communes["expected"], communes["received"], communes["on_time"]) == (2, 2, 1)
    assert communes["received_rate"] == 100.0 and communes["on_time_rate"] == 50.0
    assert "community_team" not in rows  # teams report through their commune
    _login(client, world.people.th_coordinator)
    html = client.get(reverse("reports:rates", args=["tinh-38", 2025])).content.decode()
    assert 'data-testid="rates"' in html and "50,0%" in html


def test_job_page_polls_then_offers_download(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _login(client, world.people.th_coordinator)
    r = client.post(
        reverse("reports:job_create", args=["tinh-38", 2025, "xlsx"]), HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200
    from dxday.reports.models import ReportJob

    job = ReportJob.objects.get()
    # With the immediate backend (tests) the job ran on commit; the fragment shows the result.
    page = client.get(reverse("reports:job_detail", args=[job.pk])).content.decode()
    assert 'data-testid="job"' in page
    job.refresh_from_db()
    if job.status == ReportJob.Status.QUEUED:  # on_commit does not fire inside the test txn
        services.report_job_run(job_id=job.pk)
    page = client.get(reverse("reports:job_detail", args=[job.pk])).content.decode()
    assert reverse("reports:job_download", args=[job.pk]) in page
    download = client.get(reverse("reports:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"


# --- API ------------------------------------------------------------------------------
def test_api_figures_are_the_same_selector(client, world):
    headers = _bearer(world.people.th_coordinator)
    body = client.get("/api/v1/reports/figures?org=tinh-38&campaign=2025", **headers).json()
    live = report_figures(world.tree.th, world.campaign)
    assert figure_index(body).keys() == figure_index(live).keys()
    for code, fig in figure_index(live).items():
        assert figure_index(body)[code]["value"] == fig["value"]
    r = client.get("/api/v1/reports/figures?org=tinh-08&campaign=2025", **headers)
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = client.get("/api/v1/reports/figures?org=tinh-38&campaign=2025&from=2025-10-05", **headers)
    assert r.status_code == 400 and r.json()["code"] == "bad_period"
    assert client.get("/api/v1/reports/figures?org=tinh-38&campaign=2025").status_code == 401


def test_api_status_and_return(client, world):
    actor = world.people.actor(world.people.th_c1_reporter)
    report = services.report_draft(organisation=world.tree.th_c1, campaign=world.campaign, by=actor)
    services.report_submit(report=report, by=actor)
    headers = _bearer(world.people.th_coordinator)
    rows = client.get("/api/v1/reports/status?campaign=2025", **headers).json()
    assert [r["organisation"] for r in rows] == ["xa-16000"]
    r = client.post(
        f"/api/v1/reports/{report.pk}/return",
        data={"reason": "Thiếu minh chứng."},
        content_type="application/json",
        **headers,
    )
    assert r.status_code == 200
    assert r.json()["status"] == "returned" and r.json()["return_reason"] == "Thiếu minh chứng."
    tq_headers = _bearer(world.people.tq_coordinator)
    assert client.get(f"/api/v1/reports/{report.pk}", **tq_headers).status_code == 404
    rates = client.get("/api/v1/reports/rates?org=tinh-38&campaign=2025", **headers).json()
    assert {r["kind"] for r in rates} >= {"commune", "department"}


def test_dashboard_queries_do_not_grow_with_units(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dxday.orgs.models import Organisation
    from dxday.orgs.tests.factories import make_commune, make_org

    _login(client, world.people.th_coordinator)
    url = reverse("reports:dashboard", args=["tinh-38", 2025])
    client.get(url)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    task = Task.objects.filter(plan__campaign=world.campaign).first()
    for i in range(5):
        commune = make_commune(world.tree.th_province, f"1800{i}", f"Xã Mới {i}")
        org = make_org(world.tree.th, kind=Organisation.Kind.COMMUNE, code=f"xa-moi-{i}",
                       province=world.tree.th_province, commune=commune)  # fmt: skip
        Assignment.objects.create(task=task, organisation=org, role="lead")
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    # Fixed whatever the units: the sections of every capability (learning, contest, awards too).
    assert len(after.captured_queries) == len(before.captured_queries) <= 47


def test_pages_render_for_a_campaign_without_data(client, tree, people):
    from dxday.plans.models import Campaign

    Campaign.objects.create(year=2026, theme="Chưa có dữ liệu")
    _login(client, people.th_coordinator)
    r = client.get(reverse("reports:dashboard", args=["tinh-38", 2026]))
    assert r.status_code == 200 and "Chưa có nhiệm vụ được giao." in r.content.decode()
    r = client.post(reverse("reports:report_start", args=["tinh-38", 2026]))
    page = client.get(r.url).content.decode()
    assert "Chưa có hoạt động nào được duyệt trong phạm vi báo cáo." in page
    assert client.get(reverse("reports:rates", args=["tinh-38", 2026])).status_code == 200
    assert client.get(reverse("reports:home")).status_code == 200
    assert client.get(reverse("reports:dashboard", args=["tinh-38", 1999])).status_code == 404


def test_returned_report_is_not_counted_as_received(world):
    from dxday.reports.selectors import reporting_rates

    actor = world.people.actor(world.people.th_c1_reporter)
    report = services.report_draft(organisation=world.tree.th_c1, campaign=world.campaign, by=actor)
    services.report_submit(report=report, by=actor)
    rows = {r["kind"]: r for r in reporting_rates(world.tree.th, world.campaign)}
    assert rows["commune"]["received"] == 1
    services.report_return(
        report=report, by=world.people.actor(world.people.th_coordinator), reason="Thiếu số liệu."
    )
    rows = {r["kind"]: r for r in reporting_rates(world.tree.th, world.campaign)}
    assert rows["commune"]["received"] == 0


def test_dashboard_charts_one_scale_per_unit_and_name_the_source_of_each_figure(client, world):
    """Issue 10: views (lượt) and articles (bài) shared one scale; door-to-door figures from
    activity reports and from the field app stood side by side without a word on either."""
    import re

    _login(client, world.people.th_coordinator)
    html = client.get(reverse("reports:dashboard", args=["tinh-38", 2025])).content.decode()
    charts = html.split('data-testid="indicator-charts"', 1)[1].split("</section>", 1)[0]
    svgs = re.findall(r"<svg.*?</svg>", charts, flags=re.S)
    assert len(svgs) == 2  # bài and lượt, one chart each
    assert "(đơn vị tính: bài)" in svgs[0] and "Lượt xem" not in svgs[0]
    assert "(đơn vị tính: lượt)" in svgs[1] and "Tin, bài đã đăng" not in svgs[1]
    # Each figure family says where it comes from.
    assert "theo báo cáo hoạt động" in html.split('data-testid="indicators-source"', 1)[1][:300]
    outreach_note = html.split('data-testid="outreach-source"', 1)[1].split("</p>", 1)[0]
    assert "ứng dụng ghi nhận của Tổ công nghệ số cộng đồng" in outreach_note
    assert "có thể khác nhau" in outreach_note
    people_card = html.split('data-testid="source-outreach.people_guided"', 1)[1][:200]
    assert "Theo ứng dụng ghi nhận của Tổ công nghệ số cộng đồng" in people_card


def test_reporting_rates_page_units_with_search_and_status_filter(client, world, monkeypatch):
    """Issue 10: the reporting-rates page is 583–590 px wide at 360 px and lists every unit;
    its tables stack on a phone, and its unit list pages with a search and a status filter."""
    monkeypatch.setattr("dxday.core.paging.PAGE_SIZE", 2)
    _login(client, world.people.th_coordinator)
    url = reverse("reports:rates", args=["tinh-38", 2025])
    html = client.get(url).content.decode()
    assert 'class="table table-sm align-middle dx-stack" data-testid="rates"' in html
    assert 'data-label="Tỷ lệ đã nhận"' in html
    assert "Trang 1/" in html
    html = client.get(url, {"q": "quang phu"}).content.decode()
    children = html.split('data-testid="rate-children"', 1)[1]
    assert "UBND xã Quảng Phú" in children and "Báo Thanh Hóa" not in children
    html = client.get(url, {"trang_thai": "none", "q": "bao thanh hoa"}).content.decode()
    assert "Báo Thanh Hóa" in html.split('data-testid="rate-children"', 1)[1]
    html = client.get(url, {"trang_thai": "accepted", "q": "bao thanh hoa"}).content.decode()
    assert "Báo Thanh Hóa" not in html.split('data-testid="rate-children"', 1)[1]
    for bad in ("²", "x" * 300):
        assert client.get(url, {"trang": bad, "trang_thai": bad, "q": bad}).status_code == 200
