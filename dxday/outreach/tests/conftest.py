"""Fixtures of the door-to-door campaign: a 2025 campaign with its window, teams, tokens."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dxday.orgs.tests.factories import actor_of, make_user
from dxday.outreach import services
from dxday.outreach.models import TeamMember
from dxday.outreach.topics import topics_ensure
from dxday.plans.models import Campaign, CampaignWindow

WINDOW = (dt.date(2025, 9, 15), dt.date(2025, 10, 31))


@pytest.fixture
def campaign(db):
    topics_ensure()  # transactional tests flush the catalogue the migration seeded
    campaign = Campaign.objects.create(year=2025, theme="Chuyển đổi số toàn dân, toàn diện")
    CampaignWindow.objects.create(
        campaign=campaign,
        kind=CampaignWindow.Kind.DOOR_TO_DOOR,
        name="Đi từng ngõ, gõ từng nhà",
        starts_on=WINDOW[0],
        ends_on=WINDOW[1],
    )
    return campaign


class Team:
    """A team with a leader (account), a deputy (account) and a name-only member."""

    def __init__(self, committee, village):
        self.team = services.team_create(actor=None, committee=committee, village=village)
        self.leader_user = make_user(f"totruong-{self.team.pk}")
        self.leader = services.team_member_add(
            actor=None, team=self.team, full_name="Lê Văn Tổ Trưởng",
            role=TeamMember.Role.LEADER, user=self.leader_user,
        )  # fmt: skip
        self.deputy_user = make_user(f"topho-{self.team.pk}")
        self.deputy = services.team_member_add(
            actor=None, team=self.team, full_name="Trần Thị Tổ Phó",
            role=TeamMember.Role.DEPUTY, user=self.deputy_user,
        )  # fmt: skip
        self.member = services.team_member_add(
            actor=None, team=self.team, full_name="Nguyễn Văn Tổ Viên"
        )
        self.leader_actor = actor_of(self.leader_user)
        self.deputy_actor = actor_of(self.deputy_user)

    def device_token(self, member=None) -> str:
        raw, _token = services.device_token_issue(
            actor=self.leader_actor, member=member or self.deputy
        )
        return raw


@pytest.fixture
def team(tree, campaign):
    return Team(tree.th_c1, "Thôn Đông")


@pytest.fixture
def team_tq(tree, campaign):
    return Team(tree.tq_c1, "Tổ dân phố 5")


@pytest.fixture
def current_window(db):
    """A door-to-door window around today, so the field app's default time is accepted."""
    today = timezone.localdate()
    campaign, _ = Campaign.objects.get_or_create(year=today.year, defaults={"theme": "Thử"})
    CampaignWindow.objects.create(
        campaign=campaign, kind=CampaignWindow.Kind.DOOR_TO_DOOR, name="Đợt thử nghiệm",
        starts_on=today - dt.timedelta(days=5), ends_on=today + dt.timedelta(days=5),
    )  # fmt: skip
    return campaign
