"""Demo data of the door-to-door campaign: teams in a handful of Thanh Hóa and Tuyên Quang
communes, commune targets, and a realistic spread of sessions over the 2025 door-to-door
window, sent through `sessions_ingest` itself (so the roll-ups are built the real way).

Idempotent: teams are looked up by commune and village, session client_ids are derived from
the team and a sequence number (a rerun would count them as duplicates), and a second run that
finds the demo sessions in place returns after a few queries.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid

from django.utils import timezone

from dxday.orgs.demo import demo_account
from dxday.orgs.models import Organisation, Role, User
from dxday.orgs.permissions import Actor
from dxday.plans.models import Campaign, CampaignWindow

from . import services
from .models import CommunityTeam, GuidanceSession, TeamMember
from .topics import TOPICS, topics_ensure

NAMESPACE = uuid.UUID("6f1c9a52-3a55-4d0e-9d7b-0d5a1f2b7c11")
PROVINCES = {"38": 6, "08": 4}  # province code → communes with demo teams
VILLAGES = ["Thôn 1", "Thôn 2", "Tổ dân phố Đông Sơn"]
NAMES = [
    "Lê Văn Hùng", "Nguyễn Thị Lan", "Trần Văn Minh", "Phạm Thị Hoa", "Hoàng Văn Nam",
    "Vũ Thị Mai", "Đỗ Văn Tùng", "Bùi Thị Thu", "Ngô Văn Long", "Đặng Thị Hương",
    "Ma Văn Sơn", "Nông Thị Hằng", "Lò Văn Páo", "Hà Thị Nga", "Triệu Văn Dũng",
]  # fmt: skip
SYSTEM = Actor(user=User(username="demo", is_superuser=True, is_active=True), membership=None)


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _committees() -> list[Organisation]:
    out = []
    for code, n in PROVINCES.items():
        qs = Organisation.objects.filter(
            kind=Organisation.Kind.COMMUNE, province_id=code, commune__isnull=False
        ).order_by("commune_id")
        preferred = list(qs.filter(code="xa-14797"))  # the commune of the demo reporter
        rest = [c for c in qs[: n + 1] if c.code != "xa-14797"]
        out.extend((preferred + rest)[:n])
    return out


def _team(committee: Organisation, village: str, rng: random.Random) -> CommunityTeam:
    team = CommunityTeam.objects.filter(commune_id=committee.commune_id, village=village).first()
    if team is not None:
        return team
    team = services.team_create(actor=SYSTEM, committee=committee, village=village)
    names = rng.sample(NAMES, rng.randint(5, 8))
    roles = [TeamMember.Role.LEADER, TeamMember.Role.DEPUTY]
    for i, name in enumerate(names):
        role = roles[i] if i < len(roles) else TeamMember.Role.MEMBER
        services.team_member_add(actor=SYSTEM, team=team, full_name=name, role=role)
    return team


def _demo_logins(team: CommunityTeam) -> None:
    """One demo team leader and one demo member, both of the first demo team."""
    for username, role, member_role, name in (
        ("to.truong", Role.TEAM_LEADER, TeamMember.Role.LEADER, "Lê Văn Tổ Trưởng"),
        ("to.vien", Role.TEAM_MEMBER, TeamMember.Role.MEMBER, "Nguyễn Thị Tổ Viên"),
    ):
        user = demo_account(
            username=username, role=role, org_code=team.organisation.code, full_name=name
        )
        if TeamMember.objects.filter(team=team, user=user).exists():
            continue
        if member_role == TeamMember.Role.LEADER:
            # The account takes the place of the generated leader.
            TeamMember.objects.filter(team=team, role=member_role).update(
                role=TeamMember.Role.MEMBER
            )
        services.team_member_add(actor=SYSTEM, team=team, full_name=name, role=member_role,
                                 user=user)  # fmt: skip


def _sessions(
    team: CommunityTeam, window: CampaignWindow, rng: random.Random, tag: str = "", most: int = 9
) -> list[dict]:
    members = list(team.members.filter(is_active=True).values_list("pk", flat=True))
    codes = [t[0] for t in TOPICS]
    weights = [10, 6, 5, 3, 6, 4, 2]
    days = (window.ends_on - window.starts_on).days + 1
    out = []
    seq = 0
    for d in range(days):
        day = window.starts_on + dt.timedelta(days=d)
        # Busy at the start and on the last days, quieter in between.
        n = rng.randint(min(3, most), most) + (4 if d in (0, 1, days - 1) else 0)
        for _ in range(n):
            seq += 1
            when = timezone.make_aware(
                dt.datetime.combine(day, dt.time(rng.randint(7, 19), rng.randint(0, 59)))
            )
            households = rng.randint(1, 3)
            people = rng.randint(households, households * 4)
            chosen = set(rng.choices(codes, weights=weights, k=rng.randint(1, 3)))
            topics = []
            for code in sorted(chosen):
                t_people = rng.randint(1, people)
                topics.append(
                    {"topic": code, "people_guided": t_people,
                     "outcome": rng.randint(0, t_people)}
                )  # fmt: skip
            out.append(
                {
                    "client_id": str(uuid.uuid5(NAMESPACE, f"{team.pk}:{tag}{seq}")),
                    "team": team.pk,
                    "member": rng.choice(members),
                    "occurred_at": when.isoformat(),
                    "households_visited": households,
                    "people_guided": people,
                    "topics": topics,
                }
            )
    return out


def seed(stdout=None) -> None:
    topics_ensure()
    rng = random.Random(2025)
    committees = _committees()
    if not committees:
        _say(stdout, "Tổ CNSCĐ: chưa có UBND xã của Thanh Hóa, Tuyên Quang; bỏ qua.")
        return
    teams = [_team(c, v, rng) for c in committees for v in VILLAGES]
    _demo_logins(teams[0])

    campaign = Campaign.objects.filter(year=2025).first()
    window = None
    if campaign is not None:
        window = campaign.windows.filter(kind=CampaignWindow.Kind.DOOR_TO_DOOR).first()
    if window is None:
        _say(stdout, "Tổ CNSCĐ: chưa có đợt “Đi từng ngõ, gõ từng nhà” năm 2025; bỏ qua lượt.")
        return
    for committee in committees:
        services.target_set(
            actor=None, campaign=campaign, committee=committee,
            households=rng.randint(6, 12) * 100, accounts=rng.randint(3, 8) * 100,
        )  # fmt: skip
    _history_2024(teams, stdout)
    if GuidanceSession.objects.filter(team__in=teams, campaign=campaign).exists():
        _say(stdout, f"Tổ CNSCĐ: {len(teams)} tổ, lượt hướng dẫn đã có sẵn.")
        return
    accepted = 0
    for team in teams:
        batch = _sessions(team, window, rng)
        for i in range(0, len(batch), 500):
            accepted += services.sessions_ingest(actor=SYSTEM, sessions=batch[i : i + 500]).accepted
    # A team or two that logged nothing, for the chase list.
    quiet = committees[-1]
    _team(quiet, "Thôn Chưa Ghi Nhận", rng)
    _say(stdout, f"Tổ CNSCĐ: {len(teams) + 1} tổ, {accepted} lượt hướng dẫn.")


def _history_2024(teams: list[CommunityTeam], stdout) -> None:
    """The 2024 door-to-door days, fewer teams and fewer sessions than 2025 (a trend for the
    year-over-year pages). The sessions are dated in 2024's window, so they count for 2024."""
    campaign = Campaign.objects.filter(year=2024).first()
    window = None
    if campaign is not None:
        window = campaign.windows.filter(kind=CampaignWindow.Kind.DOOR_TO_DOOR).first()
    if window is None or GuidanceSession.objects.filter(campaign=campaign).exists():
        return
    rng = random.Random(2024)
    accepted = 0
    for team in teams[: max(1, len(teams) * 2 // 3)]:
        batch = _sessions(team, window, rng, tag="2024:", most=4)
        accepted += services.sessions_ingest(actor=SYSTEM, sessions=batch).accepted
    _say(stdout, f"Tổ CNSCĐ: {accepted} lượt hướng dẫn năm 2024.")
