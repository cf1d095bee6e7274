"""Reads of the door-to-door campaign. Figures come from the roll-up tables only, never from a
scan of the sessions: each dashboard query reads at most a few thousand indexed rows."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from dxday.core.errors import NotFound
from dxday.core.text import search_key
from dxday.orgs.models import ApiToken, Commune, Organisation, Province
from dxday.orgs.permissions import Actor, can, subtree_q
from dxday.plans.models import Campaign, CampaignWindow

from .models import (
    CommuneDayStat,
    CommuneDayTopicStat,
    CommuneStat,
    CommuneTarget,
    CommunityTeam,
    ProvinceDayStat,
    ProvinceDayTopicStat,
    TeamMember,
    TeamStat,
    Topic,
)

BY = ("province", "commune", "topic", "day")


def campaign_for_year(year: int | None) -> Campaign | None:
    """The campaign of `year`, else the latest published one that has a door-to-door window
    (a draft campaign is never the default of the public dashboards or the field app)."""
    qs = Campaign.objects.all()
    if year:
        return qs.filter(year=year).first()
    qs = qs.filter(status=Campaign.Status.PUBLISHED)
    with_window = qs.filter(windows__kind=CampaignWindow.Kind.DOOR_TO_DOOR).order_by("-year")
    return with_window.first() or qs.order_by("-year").first()


def door_to_door_windows(campaign: Campaign) -> list[CampaignWindow]:
    return list(campaign.windows.filter(kind=CampaignWindow.Kind.DOOR_TO_DOOR))


def _sums(qs, *fields):
    return qs.annotate(**{f: Sum(f) for f in fields})


def session_totals(
    *, campaign: Campaign, by: str, province: str | None = None, commune: str | None = None
) -> list[dict]:
    """Roll-up rows of one campaign grouped `by` province, commune, topic or day."""
    scope = Q(campaign=campaign)
    if province:
        scope &= Q(province_id=province)
    if commune:
        scope &= Q(commune_id=commune)
    if by == "province":
        rows = _sums(
            CommuneStat.objects.filter(scope).values("province_id").order_by("province_id"),
            "sessions", "households_visited", "people_guided", "accounts_activated",
        )  # fmt: skip
        names = dict(Province.objects.values_list("code", "name"))
        targets = {
            r["province_id"]: r
            for r in CommuneTarget.objects.filter(scope)
            .values("province_id")
            .annotate(h=Sum("households"), a=Sum("accounts"))
            .order_by()
        }
        return [
            {
                "province": r["province_id"],
                "name": names.get(r["province_id"], ""),
                "sessions": r["sessions"],
                "households_visited": r["households_visited"],
                "people_guided": r["people_guided"],
                "accounts_activated": r["accounts_activated"],
                "households_target": targets.get(r["province_id"], {}).get("h"),
                "accounts_target": targets.get(r["province_id"], {}).get("a"),
            }
            for r in rows
        ]
    if by == "commune":
        rows = CommuneStat.objects.filter(scope).select_related("commune").order_by("commune_id")
        targets = {
            t.commune_id: t for t in CommuneTarget.objects.filter(scope).only(
                "commune_id", "households", "accounts")
        }  # fmt: skip
        return [
            {
                "commune": r.commune_id,
                "name": r.commune.name,
                "province": r.province_id,
                "sessions": r.sessions,
                "households_visited": r.households_visited,
                "people_guided": r.people_guided,
                "accounts_activated": r.accounts_activated,
                "households_target": getattr(targets.get(r.commune_id), "households", None),
                "accounts_target": getattr(targets.get(r.commune_id), "accounts", None),
            }
            for r in rows
        ]
    # Without a commune drill-down, the province × day tables hold the same sums in far fewer
    # rows (a national view reads hundreds of rows, not a commune × day × topic scan).
    topic_model = CommuneDayTopicStat if commune else ProvinceDayTopicStat
    day_model = CommuneDayStat if commune else ProvinceDayStat
    if by == "topic":
        rows = {
            r["topic_id"]: r
            for r in _sums(
                topic_model.objects.filter(scope).values("topic_id").order_by(),
                "sessions",
                "people_guided",
                "outcome",
            )  # fmt: skip
        }
        return [
            {
                "topic": t.code,
                "name": t.name,
                "outcome_label": t.outcome_label,
                "sessions": rows[t.pk]["sessions"],
                "people_guided": rows[t.pk]["people_guided"],
                "outcome": rows[t.pk]["outcome"],
            }
            for t in Topic.objects.all()
            if t.pk in rows
        ]
    if by == "day":
        rows = _sums(
            day_model.objects.filter(scope).values("day").order_by("day"),
            "sessions", "households_visited", "people_guided",
        )  # fmt: skip
        return [
            {
                "day": r["day"].isoformat(),
                "sessions": r["sessions"],
                "households_visited": r["households_visited"],
                "people_guided": r["people_guided"],
            }
            for r in rows
        ]
    raise ValueError(by)


def totals_summary(*, campaign: Campaign, province: str | None = None) -> dict:
    qs = CommuneStat.objects.filter(campaign=campaign)
    targets = CommuneTarget.objects.filter(campaign=campaign)
    if province:
        qs = qs.filter(province_id=province)
        targets = targets.filter(province_id=province)
    out = qs.aggregate(
        sessions=Sum("sessions"),
        households_visited=Sum("households_visited"),
        people_guided=Sum("people_guided"),
        accounts_activated=Sum("accounts_activated"),
    )
    out.update(
        targets.aggregate(households_target=Sum("households"), accounts_target=Sum("accounts"))
    )
    return out


# --- Coordinators: targets, progress and the chase list -----------------------------------


def communes_visible(actor: Actor) -> QuerySet[Organisation]:
    """The commune committees in the actor's subtree."""
    return Organisation.objects.filter(
        subtree_q(actor, field=""), kind=Organisation.Kind.COMMUNE, commune__isnull=False
    )


def progress_for_actor(*, actor: Actor, campaign: Campaign) -> list[dict]:
    """Target and progress of each commune in the actor's subtree (3 queries)."""
    committees = list(
        communes_visible(actor).select_related("commune").order_by("province_id", "commune_id")
    )
    codes = [c.commune_id for c in committees]
    stats = {
        s.commune_id: s for s in CommuneStat.objects.filter(campaign=campaign, commune_id__in=codes)
    }
    targets = {
        t.commune_id: t
        for t in CommuneTarget.objects.filter(campaign=campaign, commune_id__in=codes)
    }
    rows = []
    for c in committees:
        s, t = stats.get(c.commune_id), targets.get(c.commune_id)
        rows.append(
            {
                "committee": c,
                "commune": c.commune,
                "sessions": s.sessions if s else 0,
                "households_visited": s.households_visited if s else 0,
                "accounts_activated": s.accounts_activated if s else 0,
                "people_guided": s.people_guided if s else 0,
                "target": t,
                "households_pct": _pct(s.households_visited if s else 0, t.households if t else 0),
                "accounts_pct": _pct(s.accounts_activated if s else 0, t.accounts if t else 0),
            }
        )
    return rows


def progress_page(*, actor: Actor, campaign: Campaign, chase_limit: int = 500) -> dict:
    """The coordinators' progress page: every commune's target and progress, and the first
    `chase_limit` teams that have logged nothing."""
    return {
        "campaign": campaign,
        "can_manage": actor.has_action("outreach.manage"),
        "rows": progress_for_actor(actor=actor, campaign=campaign),
        "chase": list(chase_list(actor=actor, campaign=campaign)[:chase_limit]),
    }


def _pct(done: int, target: int) -> int | None:
    if not target:
        return None
    return round(100 * done / target)


def chase_list(*, actor: Actor, campaign: Campaign) -> QuerySet[CommunityTeam]:
    """Active teams in the actor's subtree that have logged nothing in this campaign."""
    logged = TeamStat.objects.filter(campaign=campaign, team=OuterRef("pk"), sessions__gt=0)
    return (
        CommunityTeam.objects.filter(subtree_q(actor, "organisation"), is_active=True)
        .filter(~Exists(logged))
        .select_related("commune", "province")
        .order_by("province_id", "commune_id", "village")
    )


# --- Team leader -----------------------------------------------------------------------------


def dashboard_figures(
    *, campaign: Campaign, province: str | None = None, commune: str | None = None
) -> dict:
    """Everything a public dashboard shows, national, for one province or for one commune
    (NotFound for an unknown code), from the roll-up tables only."""
    scope = {"province": province, "commune": commune}
    out: dict = {"campaign": campaign}
    if commune:
        out["commune"] = commune_by_code(commune)
        rows = session_totals(campaign=campaign, by="commune", commune=commune)
        out["row"] = rows[0] if rows else None
    elif province:
        out["province"] = province_by_code(province)
        out["summary"] = totals_summary(campaign=campaign, province=province)
        out["communes"] = session_totals(campaign=campaign, by="commune", province=province)
    else:
        out["windows"] = door_to_door_windows(campaign)
        out["summary"] = totals_summary(campaign=campaign)
        out["provinces"] = session_totals(campaign=campaign, by="province")
    out["topics"] = session_totals(campaign=campaign, by="topic", **scope)
    out["days"] = session_totals(campaign=campaign, by="day", **scope)
    return out


def campaign_for_page(year: int | None) -> Campaign:
    """`campaign_for_year`, or NotFound when there is none (pages answer 404)."""
    campaign = campaign_for_year(year)
    if campaign is None:
        raise NotFound()
    return campaign


def province_by_code(code: str) -> Province:
    province = Province.objects.filter(code=code).first()
    if province is None:
        raise NotFound()
    return province


def commune_by_code(code: str) -> Commune:
    commune = Commune.objects.select_related("province").filter(code=code).first()
    if commune is None:
        raise NotFound()
    return commune


def get_committee_for_user(actor: Actor, committee_id: int | None) -> Organisation:
    """A commune committee of the actor's subtree, or NotFound (missing and forbidden alike)."""
    committee = None
    if committee_id is not None:
        committee = communes_visible(actor).filter(pk=committee_id).first()
    if committee is None:
        raise NotFound()
    return committee


def committee_choices(actor: Actor, *, query: str = "", limit: int = 200):
    """Commune committees of the actor's subtree whose name matches `query` (accents and case
    ignored), at most `limit`, with the number that matched: a national coordinator sees 3,321
    communes, so the page says how many there are and asks for a search, never cutting the list
    silently."""
    qs = communes_visible(actor)
    key = search_key(query)
    if key:
        qs = qs.filter(search_key__contains=key)
    total = qs.count()
    return list(qs.order_by("name_sort")[:limit]), total


def teams_for_actor(actor: Actor) -> QuerySet[CommunityTeam]:
    return CommunityTeam.objects.filter(subtree_q(actor, "organisation")).select_related(
        "organisation", "commune"
    )


def get_team_for_user(actor: Actor, team_id: int | None) -> CommunityTeam:
    team = teams_for_actor(actor).filter(pk=team_id).first() if team_id is not None else None
    if team is None or not (
        can(actor, "outreach.view", team.organisation)
        or can(actor, "outreach.manage_team", team.organisation)
    ):
        raise NotFound()
    return team


def team_for_page(actor: Actor, team_id: int | None) -> CommunityTeam:
    """The team page's team: the one asked for, else the actor's own; both through the same
    check (`get_team_for_user`), so a plain member sees the page neither way."""
    if team_id is None:
        own = team_of_actor(actor)
        if own is None:
            raise NotFound()
        team_id = own.pk
    return get_team_for_user(actor, team_id)


def get_member_for_user(actor: Actor, team: CommunityTeam, member_id: int | None) -> TeamMember:
    """A member of `team` (already fetched for the actor), or NotFound."""
    member = None
    if member_id is not None:
        member = TeamMember.objects.filter(team=team, pk=member_id).first()
    if member is None:
        raise NotFound()
    return member


def get_device_token_for_user(actor: Actor, token_id: int) -> tuple[ApiToken, CommunityTeam]:
    """A device token of a team the actor may see, with its team; else NotFound."""
    token = (
        ApiToken.objects.select_related("membership__organisation")
        .filter(pk=token_id, membership__organisation__kind=Organisation.Kind.COMMUNITY_TEAM)
        .first()
    )
    team = None
    if token is not None:
        team = teams_for_actor(actor).filter(organisation=token.membership.organisation).first()
    if team is None:
        raise NotFound()
    return token, team


def team_overview(team: CommunityTeam) -> dict:
    """What the team page shows: members, device tokens, figures per campaign."""
    return {
        "team": team,
        "members": team_members(team),
        "tokens": team_device_tokens(team),
        "stats": team_stats(team),
    }


def team_of_actor(actor: Actor) -> CommunityTeam | None:
    """The team the actor acts for (a leader or member at a team node)."""
    org = actor.organisation
    if org is None or org.kind != Organisation.Kind.COMMUNITY_TEAM:
        return None
    return (
        CommunityTeam.objects.select_related("organisation", "commune")
        .filter(organisation=org)
        .first()
    )


def team_members(team: CommunityTeam) -> list[TeamMember]:
    return list(team.members.all().order_by("role", "full_name"))


def team_device_tokens(team: CommunityTeam) -> QuerySet[ApiToken]:
    return (
        ApiToken.objects.filter(membership__organisation=team.organisation, is_device=True)
        .select_related("user", "issued_by")
        .order_by("-created_at")
    )


def team_stats(team: CommunityTeam) -> list[TeamStat]:
    return list(team.stats.select_related("campaign").order_by("-campaign__year"))


def field_config(actor: Actor) -> dict:
    """What the field app needs to work offline: team, members, topics, window."""
    team = team_of_actor(actor)
    campaign = campaign_for_year(None)
    windows = door_to_door_windows(campaign) if campaign else []
    member_id = None
    members = []
    if team is not None:
        for m in team.members.filter(is_active=True).order_by("role", "full_name"):
            members.append({"id": m.pk, "name": m.full_name, "role": m.get_role_display()})
            mine = bool(actor.membership) and m.membership_id == actor.membership.pk
            if mine or (member_id is None and m.user_id == actor.user.pk):
                member_id = m.pk
    return {
        "team": None
        if team is None
        else {
            "id": team.pk,
            "name": team.name,
            "village": team.village,
            "commune": team.commune.name,
        },
        "member": member_id,
        "members": members,
        "topics": [
            {"code": t.code, "name": t.name, "outcome_label": t.outcome_label}
            for t in Topic.objects.filter(is_active=True)
        ],
        "windows": [
            {"name": w.name, "starts_on": w.starts_on.isoformat(), "ends_on": w.ends_on.isoformat()}
            for w in windows
        ],
    }


def commune_name(code: str) -> str:
    c = Commune.objects.filter(code=code).only("name").first()
    return c.name if c else code
