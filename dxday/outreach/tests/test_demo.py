import pytest

from dxday.orgs.models import Membership, Role
from dxday.outreach import demo
from dxday.outreach.models import CommuneTarget, CommunityTeam, GuidanceSession
from dxday.outreach.rollups import rollups_rebuild, rollups_snapshot

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent(tree, campaign, django_assert_max_num_queries):
    demo.seed()
    teams, sessions = CommunityTeam.objects.count(), GuidanceSession.objects.count()
    assert teams >= 7 and sessions > 500
    assert CommuneTarget.objects.exists()
    assert Membership.objects.filter(user__username="to.truong", role=Role.TEAM_LEADER).exists()
    assert Membership.objects.filter(user__username="to.vien", role=Role.TEAM_MEMBER).exists()
    incremental = rollups_snapshot()
    rollups_rebuild()
    assert rollups_snapshot() == incremental
    with django_assert_max_num_queries(120):
        demo.seed()
    assert (CommunityTeam.objects.count(), GuidanceSession.objects.count()) == (teams, sessions)


def test_openapi_documents_the_outreach_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/outreach/sessions/batch" in paths
    assert "/api/v1/outreach/totals" in paths
