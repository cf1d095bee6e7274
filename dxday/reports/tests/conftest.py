"""A campaign's worth of data across two provinces: assignments, activities with figures,
door-to-door sessions through the real ingest, targets; plus the raw sums tests compare with."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from dxday.activities.models import Activity, IndicatorValue, Offer, Sector
from dxday.orgs.tests.factories import actor_of, make_user
from dxday.outreach import services as outreach_services
from dxday.outreach.models import GuidanceSession, SessionTopic, TeamMember
from dxday.plans.models import Assignment, Campaign, CampaignWindow, Indicator, Plan, Task

TZ = timezone.get_fixed_timezone(7 * 60)


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


class World:
    pass


def _team(committee, village):
    team = outreach_services.team_create(actor=None, committee=committee, village=village)
    user = make_user(f"to-{team.pk}-{uuid.uuid4().hex[:6]}")
    outreach_services.team_member_add(
        actor=None, team=team, full_name="Lê Văn Tổ Trưởng", role=TeamMember.Role.LEADER, user=user
    )
    outreach_services.team_member_add(actor=None, team=team, full_name="Nguyễn Thị Tổ Viên")
    return team, actor_of(user)


def _session(day: int, hh: int, people: int, vneid: int, pay: int) -> dict:
    return {
        "client_id": str(uuid.uuid4()),
        "occurred_at": f"2025-10-{day:02d}T09:30:00+07:00",
        "households_visited": hh,
        "people_guided": people,
        "topics": [
            {"topic": "vneid", "people_guided": people, "outcome": vneid},
            {"topic": "thanh-toan", "people_guided": max(people - 1, 0), "outcome": pay},
        ],
    }


@pytest.fixture
def world(tree, people):
    w = World()
    w.tree, w.people = tree, people
    c = Campaign.objects.create(year=2025, theme="Chuyển đổi số toàn dân, toàn diện, toàn trình")
    CampaignWindow.objects.create(
        campaign=c, kind=CampaignWindow.Kind.DOOR_TO_DOOR, name="Đi từng ngõ, gõ từng nhà",
        starts_on=dt.date(2025, 9, 15), ends_on=dt.date(2025, 10, 31),
    )  # fmt: skip
    prev = Campaign.objects.create(year=2024, theme="Phổ cập kỹ năng số")
    w.campaign, w.previous = c, prev

    # Plans: two tasks from the national plan, assigned to every unit below the root.
    plan = Plan.objects.create(campaign=c, organisation=tree.national, title="Kế hoạch 2025")
    t1 = Task.objects.create(plan=plan, title="Truyền thông", category="communication",
                             deadline=dt.date(2025, 10, 10))  # fmt: skip
    t2 = Task.objects.create(plan=plan, title="Đi từng ngõ", category="door_to_door",
                             deadline=dt.date(2025, 10, 15))  # fmt: skip
    units = [tree.ministry, tree.th, tree.tq, tree.th_dost, tree.th_press,
             tree.th_c1, tree.th_c2, tree.tq_c1]  # fmt: skip
    S = Assignment.Status
    pattern = [
        (S.ACCEPTED, dt.date(2025, 10, 8)),
        (S.REPORTED, dt.date(2025, 10, 12)),  # late report
        (S.NOT_STARTED, None),
        (S.IN_PROGRESS, None),
    ]
    for i, org in enumerate(units):
        for j, task in enumerate((t1, t2)):
            status, reported = pattern[(i + j) % len(pattern)]
            Assignment.objects.create(
                task=task, organisation=org, role="lead", status=status, deadline=task.deadline,
                first_reported_at=_at(reported) if reported else None,
            )  # fmt: skip
    plan24 = Plan.objects.create(campaign=prev, organisation=tree.national, title="Kế hoạch 2024")
    t24 = Task.objects.create(plan=plan24, title="Truyền thông 2024", category="communication",
                              deadline=dt.date(2024, 10, 10))  # fmt: skip
    for org in units[:5]:
        Assignment.objects.create(task=t24, organisation=org, role="lead", status=S.ACCEPTED,
                                  deadline=t24.deadline,
                                  first_reported_at=_at(dt.date(2024, 10, 9)))  # fmt: skip

    # Activities with figures (one figure not reported: NULL, which is not zero).
    news = Indicator.objects.create(code="rp-bai-viet", name="Tin, bài đã đăng", unit="bài",
                                    order=1)  # fmt: skip
    views = Indicator.objects.create(code="rp-luot-xem", name="Lượt xem", unit="lượt", order=2)
    w.indicators = [news, views]
    A = Activity.Status
    specs = [
        (tree.th_c1, "communication", A.ACCEPTED, 12, 3400),
        (tree.th_c1, "radio", A.ACCEPTED, 5, None),
        (tree.th_c2, "communication", A.ACCEPTED, 7, 1200),
        (tree.th_dost, "event", A.ACCEPTED, None, 800),
        (tree.th, "initiative", A.ACCEPTED, 3, None),
        (tree.th_press, "communication", A.SUBMITTED, 40, 99999),  # not yet accepted
        (tree.tq_c1, "communication", A.ACCEPTED, 9, 2500),
        (tree.ministry, "event", A.ACCEPTED, 2, 150),
    ]
    for org, kind, status, n_news, n_views in specs:
        a = Activity.objects.create(
            campaign=c, organisation=org, title=f"Hoạt động {kind} của {org.name}", type=kind,
            starts_on=dt.date(2025, 10, 1), ends_on=dt.date(2025, 10, 10), status=status,
            description="Tuyên truyền Ngày Chuyển đổi số quốc gia.",
        )  # fmt: skip
        IndicatorValue.objects.create(activity=a, indicator=news, value=n_news)
        IndicatorValue.objects.create(activity=a, indicator=views, value=n_views)
    Sector.objects.create(organisation=tree.ministry, campaign=c, name="Thuế điện tử")
    Sector.objects.create(organisation=tree.th_dost, campaign=c, name="Sở hữu trí tuệ")
    Offer.objects.create(campaign=c, organisation=tree.th_press, provider="VNPT",
                         title="Chữ ký số", discount="50%", starts_on=dt.date(2025, 10, 1),
                         ends_on=dt.date(2025, 10, 31), status=Offer.Status.APPROVED)  # fmt: skip

    # Door to door, through the real ingest (incremental roll-ups).
    team1, a1 = _team(tree.th_c1, "Thôn Đông")
    team2, a2 = _team(tree.th_c2, "Thôn Tây")
    team3, a3 = _team(tree.tq_c1, "Tổ dân phố 5")
    for actor, batch in (
        (a1, [_session(1, 3, 7, 4, 2), _session(2, 2, 5, 3, 1)]),
        (a2, [_session(3, 4, 9, 5, 0)]),
        (a3, [_session(2, 1, 2, 1, 1), _session(4, 6, 11, 7, 3)]),
    ):
        result = outreach_services.sessions_ingest(actor=actor, sessions=batch)
        assert result.accepted == len(batch), result.rejected
    for org, hh, acc in ((tree.th_c1, 40, 30), (tree.th_c2, 50, 20), (tree.tq_c1, 20, 10)):
        outreach_services.target_set(actor=None, campaign=c, committee=org, households=hh,
                                     accounts=acc)  # fmt: skip
    w.teams = [team1, team2, team3]
    return w


def raw_figures(world: World, org) -> dict[str, int | None]:
    """Independent, naive sums over raw rows of `org`'s subtree: what the report must say."""
    path = org.path
    c = world.campaign
    asg = [a for a in Assignment.objects.filter(task__plan__campaign=c).select_related(
        "organisation") if a.organisation.path.startswith(path)]  # fmt: skip
    out: dict[str, int | None] = {}
    if asg:
        out["plans.assignments.total"] = len(asg)
        out["plans.assignments.reported"] = sum(1 for a in asg if a.first_reported_at)
        out["plans.assignments.accepted"] = sum(1 for a in asg if a.status == "accepted")
        out["plans.assignments.on_time"] = sum(
            1
            for a in asg
            if a.first_reported_at and timezone.localdate(a.first_reported_at) <= a.deadline
        )
    acts = [a for a in Activity.objects.filter(campaign=c, status="accepted").select_related(
        "organisation") if a.organisation.path.startswith(path)]  # fmt: skip
    if acts:
        out["activities.total"] = len(acts)
        for kind in {a.type for a in acts}:
            out[f"activities.type.{kind}"] = sum(1 for a in acts if a.type == kind)
        for ind in world.indicators:
            vals = [
                v.value
                for v in IndicatorValue.objects.filter(activity__in=acts, indicator=ind)
                if v.value is not None
            ]
            out[f"indicators.{ind.code}"] = sum(vals) if vals else None
    sessions = [s for s in GuidanceSession.objects.select_related("team__organisation")
                if s.team.organisation.path.startswith(path)]  # fmt: skip
    if sessions:
        out["outreach.sessions"] = len(sessions)
        out["outreach.households_visited"] = sum(s.households_visited for s in sessions)
        out["outreach.people_guided"] = sum(s.people_guided for s in sessions)
        out["outreach.accounts_activated"] = sum(
            t.outcome
            for t in SessionTopic.objects.filter(
                session__in=sessions, topic__counts_as_activation=True
            )
        )
        out["outreach.topic.vneid.people"] = sum(
            t.people_guided
            for t in SessionTopic.objects.filter(session__in=sessions, topic__code="vneid")
        )
    return out
