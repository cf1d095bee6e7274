"""The door-to-door report section (grouped by commune, team counts from the roll-up) gives
exactly the figures of the former join-based section, at every level, with and without a
period, after members leave."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from dxday.core.report_sections import Scope
from dxday.outreach import services
from dxday.outreach.models import CommuneTeamStat
from dxday.outreach.report_sections import DoorToDoorSection
from dxday.outreach.rollups import rollups_rebuild, rollups_snapshot
from dxday.reports.selectors import report_units

from .conftest import Team
from .helpers import session
from .reference_report_section import JoinedDoorToDoorSection

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree, campaign):
    teams = [
        Team(tree.th_c1, "Thôn Đông"),
        Team(tree.th_c1, "Thôn Tây"),
        Team(tree.th_c2, "Thôn Bắc"),
        Team(tree.tq_c1, "Tổ dân phố 5"),
    ]
    for i, t in enumerate(teams):
        batch = [
            session(occurred_at=f"2025-10-0{d}T0{h}:00:00+07:00", people_guided=i + h,
                    households_visited=d, topics=[
                        {"topic": "vneid", "people_guided": 1, "outcome": (i + d) % 2},
                        {"topic": "an-toan-so", "people_guided": i + 1, "outcome": 1}])
            for d in (1, 2, 3) for h in (7, 8) if not (i == 2 and d == 3)
        ]  # fmt: skip
        services.sessions_ingest(actor=t.deputy_actor, sessions=batch)
    services.team_member_deactivate(actor=teams[0].leader_actor, member=teams[0].member)
    services.team_member_deactivate(actor=teams[0].leader_actor, member=teams[0].member)  # twice
    for committee, hh in ((tree.th_c1, 40), (tree.tq_c1, 25)):
        services.target_set(actor=None, campaign=campaign, committee=committee, households=hh,
                            accounts=hh // 2)  # fmt: skip
    return teams


def compute(section, org, campaign, period=None):
    scope = Scope(organisation=org, campaign=campaign, period=period, units=report_units(org))
    return section.compute(scope).as_dict()


@pytest.mark.parametrize("where", ["national", "th", "tq", "th_c1", "th_c2", "team", "ministry"])
@pytest.mark.parametrize("period", [None, (dt.date(2025, 10, 2), dt.date(2025, 10, 3))])
def test_same_figures_as_the_joined_section(world, tree, campaign, where, period):
    org = world[0].team.organisation if where == "team" else getattr(tree, where)
    new = compute(DoorToDoorSection(), org, campaign, period)
    old = compute(JoinedDoorToDoorSection(), org, campaign, period)
    assert new == old
    if where in ("national", "th"):
        assert "outreach.teams" in str(new) and "outreach.topic.vneid.people" in str(new)


def test_team_counts_follow_the_services_and_equal_rebuild(world, tree):
    c1 = CommuneTeamStat.objects.get(commune_id=tree.th_c1.commune_id)
    assert (c1.teams, c1.members) == (2, 5)  # one of six members left (counted once)
    incremental = rollups_snapshot()
    rollups_rebuild()
    assert rollups_snapshot() == incremental


def test_national_report_reads_no_team_rows(world, tree, campaign):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    units = report_units(tree.national)
    scope = Scope(organisation=tree.national, campaign=campaign, period=None, units=units)
    with CaptureQueriesContext(connection) as ctx:
        DoorToDoorSection().compute(scope)
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "outreach_teammember" not in sql
    assert "outreach_communityteam" not in sql
    tree_reads = [q for q in ctx.captured_queries if "orgs_organisation" in q["sql"]]
    assert len(tree_reads) == 1, [q["sql"][:300] for q in tree_reads]


@pytest.mark.parametrize("where", [{}, {"province": "38"}, {"province": "08"}])
def test_dashboard_totals_from_province_tables_equal_commune_sums(world, campaign, where):
    from django.db.models import Sum

    from dxday.outreach.models import CommuneDayStat, CommuneDayTopicStat, Topic
    from dxday.outreach.selectors import session_totals

    flt = {"campaign": campaign}
    if where:
        flt["province_id"] = where["province"]
    by_topic = {
        r["topic_id"]: r
        for r in CommuneDayTopicStat.objects.filter(**flt)
        .values("topic_id")
        .annotate(s=Sum("sessions"), p=Sum("people_guided"), o=Sum("outcome"))
    }
    expected = [
        (t.code, by_topic[t.pk]["s"], by_topic[t.pk]["p"], by_topic[t.pk]["o"])
        for t in Topic.objects.all()
        if t.pk in by_topic
    ]
    got = session_totals(campaign=campaign, by="topic", **where)
    assert [(r["topic"], r["sessions"], r["people_guided"], r["outcome"]) for r in got] == expected
    assert expected
    days = [
        (r["day"].isoformat(), r["s"], r["h"], r["p"])
        for r in CommuneDayStat.objects.filter(**flt)
        .values("day")
        .annotate(s=Sum("sessions"), h=Sum("households_visited"), p=Sum("people_guided"))
        .order_by("day")
    ]
    got = session_totals(campaign=campaign, by="day", **where)
    assert [
        (r["day"], r["sessions"], r["households_visited"], r["people_guided"]) for r in got
    ] == days


def test_rebuild_command_gives_the_incremental_rows(world, campaign):
    from django.core.management import call_command

    from dxday.outreach.models import CommuneDayTopicStat, CommuneStat, CommuneTeamStat

    incremental = rollups_snapshot()
    assert all(incremental[name] for name in incremental), incremental.keys()
    # Damage every kind of table, then repair with the command.
    CommuneStat.objects.filter(campaign=campaign).update(sessions=0)
    CommuneDayTopicStat.objects.all()[:1].get().delete()
    CommuneTeamStat.objects.update(members=99)
    call_command("rebuild_rollups", stdout=io.StringIO())
    assert rollups_snapshot() == incremental


@pytest.mark.parametrize("period", [None, (dt.date(2025, 10, 2), dt.date(2025, 10, 3))])
def test_grouping_by_province_only_where_every_commune_has_its_committee(
    world, tree, campaign, period
):
    """The national report groups the roll-ups by province in the database when every commune
    of each province has its committee in the tree (as in the test areas and the country);
    roll-up rows of a commune without one (outside the tree) turn it back to per-commune
    grouping, and the figures stay those of the join-based section."""
    from dxday.orgs.models import Commune, Province
    from dxday.outreach.models import CommuneDayTopicStat, CommuneStat, CommuneTopicStat, Topic
    from dxday.outreach.report_sections import _Communes

    scope = Scope(organisation=tree.national, campaign=campaign, period=None, units=[])
    assert _Communes(scope).province_bucket is not None
    province = Province.objects.get(code=tree.th_c1.province_id)
    stray = Commune.objects.create(code="99999", name="Xã ngoài cây", province=province)
    topic = Topic.objects.get(code="vneid")
    common = {"campaign": campaign, "province": province, "commune": stray}
    CommuneStat.objects.create(**common, sessions=5, households_visited=5, people_guided=9)
    CommuneTopicStat.objects.create(**common, topic=topic, sessions=5, people_guided=9, outcome=3)
    CommuneDayTopicStat.objects.create(
        **common, topic=topic, day=dt.date(2025, 10, 2), sessions=5, people_guided=9, outcome=3
    )
    assert _Communes(scope).province_bucket is None
    new = compute(DoorToDoorSection(), tree.national, campaign, period)
    assert new == compute(JoinedDoorToDoorSection(), tree.national, campaign, period)
    assert "outreach.topic.vneid.people" in str(new)
