"""A device token acts only as its membership, never with the account's wider powers.

Issue 9 §1: a provincial coordinator linked an operator account as a team member, issued a
device token for it, and the token read and changed another province's activities and reports,
because `Actor.is_operator` came from the account. These tests guard that root: through a
membership-bound token the operator is a team member at one commune and nothing more.
"""

from __future__ import annotations

import datetime

import pytest

from dxday.activities.models import Activity
from dxday.orgs import services as org_services
from dxday.orgs.models import Membership, Role
from dxday.orgs.permissions import Actor
from dxday.orgs.tests.factories import make_user
from dxday.plans.models import Campaign
from dxday.reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign(tree):
    """A submitted activity and a report of Tuyên Quang, and an operator linked in Thanh Hóa."""
    campaign = Campaign.objects.create(year=2025, theme="Chuyển đổi số toàn dân")
    activity = Activity.objects.create(
        campaign=campaign,
        organisation=tree.tq_c1,
        title="Hướng dẫn người dân dùng VNeID",
        starts_on=datetime.date(2025, 10, 1),
        ends_on=datetime.date(2025, 10, 2),
        status=Activity.Status.SUBMITTED,
    )
    report = Report.objects.create(organisation=tree.tq, campaign=campaign)
    operator = make_user("van_hanh", is_superuser=True, is_staff=True)
    # The membership the attack produced (the services now refuse to create it).
    membership = Membership.objects.create(
        user=operator, organisation=tree.th_c1, role=Role.TEAM_MEMBER
    )
    return activity, report, operator, membership


def _device_token(operator, membership) -> str:
    _token, raw = org_services.api_token_issue(
        by=Actor(user=operator, membership=None),
        user=operator,
        membership=membership,
        is_device=True,
        label="điện thoại tổ 1",
    )
    return raw


def test_operator_linked_device_token_gets_404_on_another_provinces_activity(client, foreign):
    activity, _report, operator, membership = foreign
    token = _device_token(operator, membership)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    r = client.post(f"/api/v1/activities/{activity.pk}/accept", **auth)
    assert r.status_code == 404, r.content
    assert r.json()["code"] == "not_found"
    activity.refresh_from_db()
    assert activity.status == Activity.Status.SUBMITTED
    mine = client.get("/api/v1/activities/mine", **auth)
    assert mine.status_code == 200 and mine.json() == []


def test_operator_linked_device_token_gets_404_on_another_provinces_report(client, foreign):
    _activity, report, operator, membership = foreign
    token = _device_token(operator, membership)
    r = client.get(f"/api/v1/reports/{report.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 404, r.content
    assert r.json()["code"] == "not_found"


def test_the_same_operator_with_their_own_unbound_token_still_sees_everything(client, foreign):
    """Not a blanket demotion: a token from the operator's own password stays an operator's."""
    _activity, report, operator, _membership = foreign
    _token, raw = org_services.api_token_issue(
        by=Actor(user=operator, membership=None), user=operator, label="api"
    )
    r = client.get(f"/api/v1/reports/{report.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 200


def test_a_bound_token_ignores_the_accounts_other_memberships(client, tree, people):
    """A national coordinator's device token for a commune membership acts only there."""
    national = people.national_coordinator
    membership = Membership.objects.create(
        user=national, organisation=tree.th_c1, role=Role.TEAM_MEMBER
    )
    campaign = Campaign.objects.create(year=2025, theme="Chuyển đổi số toàn dân")
    report = Report.objects.create(organisation=tree.tq, campaign=campaign)
    _token, raw = org_services.api_token_issue(
        by=Actor(user=national, membership=None), user=national, membership=membership,
        is_device=True,
    )  # fmt: skip
    r = client.get(
        f"/api/v1/reports/{report.pk}",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
        HTTP_X_MEMBERSHIP=str(national.memberships.get(organisation=tree.national).pk),
    )
    assert r.status_code == 404
