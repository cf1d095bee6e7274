"""Every route of activities/urls.py through the test client: what it does, and who may not.

The policy: an object outside the actor's subtree answers 404 like a missing one (a coordinator
of another province); an action or a page the role may not perform answers 403 (a viewer).
"""

import datetime

import pytest
from django.urls import reverse

from dxday.activities import services
from dxday.activities.models import Activity, Evidence, Offer
from dxday.core.models import AuditEntry
from dxday.orgs.models import Role
from dxday.orgs.tests.factories import make_member

from .factories import activity_data, png_upload
from .test_views import login

pytestmark = pytest.mark.django_db


def _draft(loop, people, **over):
    return services.activity_create(
        by=people.actor(people.th_c1_reporter),
        assignment=loop.a_c1,
        data=activity_data(**over),
        values={"articles": 2},
    )


def _submitted(loop, people):
    activity = _draft(loop, people)
    return services.activity_submit(activity=activity, by=people.actor(people.th_c1_reporter))


def _status(activity) -> str:
    activity.refresh_from_db()
    return activity.status


# --- activities:submit -----------------------------------------------------------------------


def test_submit_sends_a_draft_for_review(client, loop, people):
    activity = _draft(loop, people)
    login(client, people.th_c1_reporter)
    response = client.post(reverse("activities:submit", args=[activity.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:detail", args=[activity.pk])
    assert _status(activity) == "submitted"
    loop.a_c1.refresh_from_db()
    assert loop.a_c1.status == "reported"
    assert AuditEntry.objects.filter(
        action="activities.activity.submitted", object_id=str(activity.pk)
    ).exists()
    # A second submit is a wrong state: a message on the detail page, nothing changes.
    response = client.post(reverse("activities:submit", args=[activity.pk]), follow=True)
    assert "Chỉ gửi được báo cáo ở trạng thái nháp" in response.content.decode()
    assert _status(activity) == "submitted"


def test_submit_is_post_only(client, loop, people):
    activity = _draft(loop, people)
    login(client, people.th_c1_reporter)
    assert client.get(reverse("activities:submit", args=[activity.pk])).status_code == 405
    assert _status(activity) == "draft"


def test_submit_by_another_province_is_not_found_and_by_a_viewer_forbidden(client, loop, people):
    activity = _draft(loop, people)
    login(client, people.tq_coordinator)
    other = client.post(reverse("activities:submit", args=[activity.pk]))
    missing = client.post(reverse("activities:submit", args=[999999]))
    assert other.status_code == missing.status_code == 404
    client.logout()
    login(client, people.th_viewer)  # sees the commune's report, may not report
    assert client.post(reverse("activities:submit", args=[activity.pk])).status_code == 403
    assert _status(activity) == "draft"


# --- activities:sector_milestone -------------------------------------------------------------


@pytest.fixture
def sector(people, tree):
    return services.sector_create(
        by=people.actor(people.national_coordinator), organisation=tree.ministry, name="Thuế"
    )


def test_sector_milestone_adds_a_dated_milestone(client, loop, people, sector):
    login(client, people.national_coordinator)
    response = client.post(
        reverse("activities:sector_milestone", args=[sector.pk]),
        {"date": "2025-12-01", "text": "Hoàn thành hóa đơn điện tử"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("activities:sectors")
    milestone = sector.milestones.get()
    assert milestone.date == datetime.date(2025, 12, 1)
    assert milestone.text == "Hoàn thành hóa đơn điện tử"
    page = client.get(reverse("activities:sectors")).content.decode()
    assert "01/12/2025: Hoàn thành hóa đơn điện tử" in page
    # Without a date nothing is added, and the page says what is missing.
    response = client.post(
        reverse("activities:sector_milestone", args=[sector.pk]), {"text": "x"}, follow=True
    )
    assert "Hãy nhập ngày và nội dung mốc." in response.content.decode()
    assert sector.milestones.count() == 1


def test_sector_milestone_outside_the_subtree_is_not_found_and_for_a_viewer_forbidden(
    client, loop, people, tree, sector
):
    url = reverse("activities:sector_milestone", args=[sector.pk])
    data = {"date": "2025-12-01", "text": "Mốc"}
    login(client, people.tq_coordinator)  # the ministry is not under Tuyên Quang
    assert client.post(url, data).status_code == 404
    assert (
        client.post(reverse("activities:sector_milestone", args=[999999]), data).status_code == 404
    )
    client.logout()
    login(client, people.th_viewer)
    assert client.post(url, data).status_code == 404
    client.logout()
    login(client, make_member(tree.national, Role.VIEWER, "qg_xem"))  # sees it, may not manage
    assert client.post(url, data).status_code == 403
    assert not sector.milestones.exists()


def test_sector_progress_permissions_and_bad_numbers(client, loop, people, tree, sector):
    url = reverse("activities:sector_progress", args=[sector.pk])
    login(client, people.tq_coordinator)
    assert client.post(url, {"progress": "50"}).status_code == 404
    client.logout()
    login(client, make_member(tree.national, Role.VIEWER, "qg_xem"))
    assert client.post(url, {"progress": "50"}).status_code == 403
    client.logout()
    login(client, people.national_coordinator)
    for bad in ("²", "99999999999999999999", "-3", ""):
        assert client.post(url, {"progress": bad}).status_code == 302
    sector.refresh_from_db()
    assert sector.progress == 0


# --- activities:edit -------------------------------------------------------------------------


def test_edit_changes_a_draft_and_adds_evidence(client, loop, people):
    activity = _draft(loop, people)
    login(client, people.th_c1_reporter)
    url = reverse("activities:edit", args=[activity.pk])
    page = client.get(url)
    assert page.status_code == 200 and activity.title in page.content.decode()
    response = client.post(
        url,
        {
            "title": "Phát thanh (đã sửa)",
            "type": "radio",
            "starts_on": "2025-10-01",
            "ends_on": "2025-10-12",
            "ind_articles": "7",
            "evidence": [png_upload()],
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Phát thanh (đã sửa)" and activity.ends_on.day == 12
    assert activity.values.get(indicator__code="articles").value == 7
    assert activity.evidence.count() == 1


def test_edit_outside_the_subtree_is_not_found_and_for_a_viewer_forbidden(client, loop, people):
    activity = _draft(loop, people)
    url = reverse("activities:edit", args=[activity.pk])
    login(client, people.tq_coordinator)
    assert client.get(url).status_code == 404
    client.logout()
    login(client, people.th_viewer)
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "x"}).status_code == 403


# --- pages a role may not open ---------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["create", "review", "subtree", "offers", "offer_moderation", "excel", "excel_template"],
)
def test_pages_a_viewer_may_not_open_answer_403(client, loop, people, name):
    login(client, people.th_viewer)
    assert client.get(reverse(f"activities:{name}")).status_code == 403


@pytest.mark.parametrize(
    "name", ["mine", "task_results_index", "sectors", "published", "review", "create"]
)
def test_pages_a_team_member_may_not_open_answer_403(client, loop, people, tree, name):
    member = make_member(tree.th_c1, Role.TEAM_MEMBER, "to_vien")
    login(client, member)
    response = client.get(reverse(f"activities:{name}"))
    assert response.status_code == 403
    assert "Vai trò của bạn không được phép" in response.content.decode()


def test_viewer_reads_the_pages_of_its_role(client, loop, people):
    login(client, people.th_viewer)
    for name in ("mine", "task_results_index", "sectors"):
        assert client.get(reverse(f"activities:{name}")).status_code == 200


# --- review buttons and steps ask the one rule ------------------------------------------------


def test_review_buttons_follow_the_policy(client, loop, people, tree):
    activity = _submitted(loop, people)
    url = reverse("activities:detail", args=[activity.pk])
    accept = reverse("activities:accept", args=[activity.pk])
    login(client, people.th_coordinator)
    assert accept in client.get(url).content.decode()
    client.logout()
    commune_coordinator = make_member(tree.th_c1, Role.COORDINATOR, "xa1_dieuphoi")
    login(client, commune_coordinator)  # the unit itself: sees its report, no review buttons
    body = client.get(url).content.decode()
    assert activity.title in body and accept not in body
    assert client.post(accept).status_code == 403
    client.logout()
    login(client, people.th_viewer)
    assert accept not in client.get(url).content.decode()
    assert client.post(accept).status_code == 403
    assert (
        client.post(reverse("activities:return", args=[activity.pk]), {"reason": "x"}).status_code
        == 403
    )
    assert _status(activity) == "submitted"


def test_reviewer_above_sees_unpublish_and_other_province_cannot_unpublish(client, loop, people):
    """The detail page hid the unpublish button from the reviewer above the unit, although the
    service and the published list let them unpublish."""
    activity = _submitted(loop, people)
    services.activity_accept(activity=activity, by=people.actor(people.th_coordinator))
    unpublish = reverse("activities:unpublish", args=[activity.pk])
    login(client, people.th_coordinator)
    assert (
        unpublish in client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    )
    client.logout()
    login(client, people.tq_coordinator)
    assert client.post(unpublish).status_code == 404
    client.logout()
    login(client, people.th_viewer)
    assert client.get(reverse("activities:published")).status_code == 403
    assert client.post(unpublish).status_code == 403
    activity.refresh_from_db()
    assert activity.is_published


def test_evidence_delete_by_a_viewer_is_forbidden(client, loop, people):
    activity = _draft(loop, people)
    item = services.evidence_add(
        activity=activity, by=people.actor(people.th_c1_reporter), upload=png_upload()
    )
    login(client, people.th_viewer)
    assert client.post(reverse("activities:evidence_delete", args=[item.pk])).status_code == 403
    client.logout()
    login(client, people.tq_coordinator)
    assert client.post(reverse("activities:evidence_delete", args=[item.pk])).status_code == 404
    assert Evidence.objects.filter(pk=item.pk).exists()


def test_offer_moderation_of_a_missing_or_bad_offer_is_not_found(client, loop, people):
    login(client, people.moderator)
    url = reverse("activities:offer_moderation")
    for bad in ("999999", "²", "99999999999999999999", ""):
        assert client.post(url, {"offer": bad, "decision": "approve"}).status_code == 404
    assert not Offer.objects.exists()


def test_task_results_for_a_viewer_of_another_province_is_not_found(client, loop, people):
    login(client, people.th_viewer)
    assert client.get(reverse("activities:task_results", args=[loop.th_task.pk])).status_code == 200
    assert (
        client.get(reverse("activities:task_results", args=[loop.national_task.pk])).status_code
        == 404
    )
    client.logout()
    login(client, people.tq_coordinator)
    assert client.get(reverse("activities:task_results", args=[loop.th_task.pk])).status_code == 404
    assert not Activity.objects.exists()
