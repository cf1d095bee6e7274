"""The national world the bench runs in: 34 provinces, 3,321 communes, ~10,000 reporting units,
~80,000 community teams (each an organisation node under its commune committee) with ~360,000
members, a 2025 campaign with a 10-day door-to-door window, commune targets, device tokens.

Everything big is written with `db.load_rows` (COPY / executemany), with treebeard paths
computed here, as `dxday create-local-orgs` does.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from . import db

YEAR = 2025
WINDOW = (dt.date(2025, 10, 1), dt.date(2025, 10, 10))
TEAMS = 80_000
EXTRA_UNITS_TARGET = 10_000  # reporting units, teams excluded


@dataclass
class Team:
    id: int
    org_id: int
    commune_id: str
    province_id: str
    members: tuple[int, ...]


@dataclass
class World:
    campaign_id: int
    national_id: int
    teams: list[Team]
    topics: dict[str, int]
    activation_topics: set[int]
    units: int
    tokens: list[dict] = field(default_factory=list)  # {"raw", "team", "member", "membership"}


def _now_text() -> str:
    return timezone.now().astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S") + db.dt_suffix()


def _org_rows(parent_path, depth, start_step, specs, now):
    """Rows of organisation children with computed paths. specs: (code, name, kind, prov, comm)."""
    from dxday.core.text import nfc, search_key, sort_text
    from dxday.orgs.models import Organisation

    rows = []
    for i, (code, name, kind, prov, comm) in enumerate(specs):
        path = Organisation._get_path(parent_path, depth, start_step + i)
        name = nfc(name)
        rows.append(
            (path, depth, 0, now, now, code, name, "", kind, prov, comm, "", True,
             search_key(f"{name}  {code}"), sort_text(name))
        )  # fmt: skip
    return rows


ORG_COLUMNS = [
    "path", "depth", "numchild", "created_at", "updated_at", "code", "name", "short_name",
    "kind", "province_id", "commune_id", "email", "is_active", "search_key", "name_sort",
]  # fmt: skip


def _add_children(parent, specs, now) -> int:
    from django.db.models import F

    from dxday.orgs.models import Organisation

    if not specs:
        return 0
    last = (
        Organisation.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    start = Organisation._str2int(last[-Organisation.steplen :]) + 1 if last else 1
    rows = _org_rows(parent.path, parent.depth + 1, start, specs, now)
    db.load_rows("orgs_organisation", ORG_COLUMNS, rows)
    Organisation.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(specs))
    return len(specs)


def build(*, seed: int = 2025, log=print) -> World:
    from django.core.management import call_command

    from dxday.orgs.areas import areas_load, local_orgs_create
    from dxday.orgs.models import Commune, Organisation
    from dxday.outreach.models import Topic
    from dxday.plans.models import Campaign, CampaignWindow

    rng = random.Random(seed)
    call_command("migrate", verbosity=0, interactive=False)
    areas_load()
    local_orgs_create()
    now = _now_text()
    national = Organisation.objects.get(code="bo-khcn")
    provinces = list(Organisation.objects.filter(kind=Organisation.Kind.PROVINCE).order_by("path"))

    # Extra reporting units up to ~10,000: ministries (with their own units), press,
    # associations at the centre; departments, press, unions, enterprises in each province.
    K = Organisation.Kind
    with transaction.atomic():
        central = [(f"bo-{i:02d}", f"Bộ, ngành số {i}", K.MINISTRY, None, None) for i in range(30)]
        central += [(f"bao-{i:02d}", f"Báo điện tử số {i}", K.PRESS, None, None) for i in range(60)]
        central += [
            (f"hoi-{i:02d}", f"Hội, hiệp hội số {i}", K.ASSOCIATION, None, None) for i in range(20)
        ]
        _add_children(national, central, now)
        for ministry in Organisation.objects.filter(kind=K.MINISTRY).order_by("path"):
            _add_children(
                ministry,
                [(f"{ministry.code}-dv-{j:02d}", f"Đơn vị {j} thuộc {ministry.name}",
                  K.DEPARTMENT, None, None) for j in range(30)],
                now,
            )  # fmt: skip
        current = Organisation.objects.exclude(kind=K.COMMUNITY_TEAM).count()
        per_province = max(0, (EXTRA_UNITS_TARGET - current) // len(provinces))
        kinds = [K.DEPARTMENT] * 6 + [K.PRESS, K.ASSOCIATION, K.ENTERPRISE, K.YOUTH_UNION]
        for p in provinces:
            _add_children(
                p,
                [(f"{p.code}-u{j:03d}", f"Đơn vị {j} — {p.name}", kinds[j % len(kinds)],
                  p.province_id, None) for j in range(per_province)],
                now,
            )  # fmt: skip
    units = Organisation.objects.exclude(kind=K.COMMUNITY_TEAM).count()
    log(f"  units (teams excluded): {units}")

    # Teams: skewed over communes (wards of big cities have many, mountain communes few).
    committees = list(
        Organisation.objects.filter(kind=K.COMMUNE, commune__isnull=False)
        .select_related("commune")
        .order_by("path")
    )
    weights = [rng.lognormvariate(0, 0.8) for _ in committees]
    per = [1] * len(committees)
    for i in rng.choices(range(len(committees)), weights=weights, k=TEAMS - len(committees)):
        per[i] += 1
    with transaction.atomic():
        specs_by = []
        for c, n in zip(committees, per, strict=True):
            specs = [(f"to-{c.commune_id}-{j:03d}", f"Tổ CNSCĐ thôn {j + 1} — {c.name}",
                      K.COMMUNITY_TEAM, c.province_id, c.commune_id) for j in range(n)]  # fmt: skip
            specs_by.append((c, specs))
        rows = []
        for c, specs in specs_by:
            rows += _org_rows(c.path, c.depth + 1, 1, specs, now)
        db.load_rows("orgs_organisation", ORG_COLUMNS, rows)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE orgs_organisation SET numchild = %s WHERE id = %s",
                [(n, c.pk) for c, n in zip(committees, per, strict=True)],
            )
        team_orgs = list(
            Organisation.objects.filter(kind=K.COMMUNITY_TEAM)
            .order_by("path")
            .values_list("pk", "code", "commune_id", "province_id", "path")
        )
        committee_by_commune = {c.commune_id: c.pk for c in committees}
        db.load_rows(
            "outreach_communityteam",
            ["created_at", "updated_at", "organisation_id", "committee_id", "commune_id",
             "province_id", "village", "name", "is_active"],
            (
                (now, now, pk, committee_by_commune[comm], comm, prov, f"Thôn {code[-3:]}",
                 f"Tổ CNSCĐ thôn {code[-3:]}", True)
                for pk, code, comm, prov, _path in team_orgs
            ),
        )  # fmt: skip
    from dxday.outreach.models import CommunityTeam

    teams_raw = list(
        CommunityTeam.objects.order_by("id").values_list(
            "id", "organisation_id", "commune_id", "province_id"
        )
    )
    # Members: 3–7 per team (357,000 for 77,000 teams nationally): a leader, a deputy, members.
    with transaction.atomic():
        member_rows = []
        for tid, _org, _c, _p in teams_raw:
            n = rng.choice((3, 4, 4, 5, 5, 5, 6, 7))
            for j in range(n):
                role = "leader" if j == 0 else "deputy" if j == 1 else "member"
                member_rows.append((now, now, tid, f"Thành viên {j + 1} tổ {tid}", role, True))
        db.load_rows(
            "outreach_teammember",
            ["created_at", "updated_at", "team_id", "full_name", "role", "is_active"],
            member_rows,
        )
    from dxday.outreach.models import TeamMember

    members: dict[int, list[int]] = {}
    for mid, tid in (
        TeamMember.objects.order_by("id").values_list("id", "team_id").iterator(chunk_size=50_000)
    ):
        members.setdefault(tid, []).append(mid)
    teams = [Team(t, o, c, p, tuple(members[t])) for t, o, c, p in teams_raw]
    log(f"  teams: {len(teams)}, members: {len(member_rows)}")

    campaign = Campaign.objects.create(year=YEAR, theme="Chuyển đổi số toàn dân, toàn diện")
    CampaignWindow.objects.create(
        campaign=campaign,
        kind=CampaignWindow.Kind.DOOR_TO_DOOR,
        name="Đi từng ngõ, gõ từng nhà 2025",
        starts_on=WINDOW[0],
        ends_on=WINDOW[1],
    )
    # Targets: households and accounts per commune, proportional to its teams.
    team_count: dict[str, int] = {}
    for t in teams:
        team_count[t.commune_id] = team_count.get(t.commune_id, 0) + 1
    communes = dict(Commune.objects.values_list("code", "province_id"))
    with transaction.atomic():
        db.load_rows(
            "outreach_communetarget",
            ["created_at", "updated_at", "campaign_id", "commune_id", "province_id",
             "households", "accounts"],
            ((now, now, campaign.pk, code, prov, 400 * team_count.get(code, 1),
              250 * team_count.get(code, 1)) for code, prov in communes.items()),
        )  # fmt: skip
    topics = dict(Topic.objects.values_list("code", "pk"))
    activation = set(Topic.objects.filter(counts_as_activation=True).values_list("pk", flat=True))
    for table in ("orgs_organisation", "outreach_communityteam", "outreach_teammember",
                  "outreach_communetarget"):  # fmt: skip
        db.reset_sequence(table)
    return World(
        campaign_id=campaign.pk,
        national_id=national.pk,
        teams=teams,
        topics=topics,
        activation_topics=activation,
        units=units,
    )


def issue_tokens(world: World, n: int, *, seed: int = 7) -> list[dict]:
    """Device tokens for `n` teams spread over the country (one member's phone each)."""
    from dxday.orgs.auth import token_generate
    from dxday.orgs.models import ApiToken, Membership, Role, User
    from dxday.outreach.models import TeamMember

    rng = random.Random(seed)
    chosen = rng.sample(world.teams, n)
    out = []
    with transaction.atomic():
        for team in chosen:
            member_id = team.members[-1]
            user = User(username=f"bench-{team.id}-{member_id}", full_name="Bench")
            user.set_unusable_password()
            user.save()
            membership = Membership.objects.create(
                user=user, organisation_id=team.org_id, role=Role.TEAM_MEMBER
            )
            TeamMember.objects.filter(pk=member_id).update(user=user, membership=membership)
            raw, key_hash = token_generate()
            ApiToken.objects.create(
                user=user, membership=membership, key_hash=key_hash, prefix=raw[:8],
                label="bench", is_device=True,
            )  # fmt: skip
            out.append({"raw": raw, "team": team, "member": member_id,
                        "membership": membership.pk, "user": user.pk})  # fmt: skip
    world.tokens = out
    return out
