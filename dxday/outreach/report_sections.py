"""The door-to-door section of the results report: teams, sessions, people guided and accounts
activated, against the communes' targets, read from the outreach roll-up tables (never from
the raw sessions).

Registered with the section registry (contract in dxday/core/report_sections.py). Roll-ups
are keyed by commune (an area); a commune is placed in the organisation tree through the
commune committee (`Organisation.kind == commune`) that carries it, so every figure is grouped
by subordinate unit with the same path-prefix bucket as the other sections.
"""

from __future__ import annotations

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from dxday.core.report_sections import (
    FigureGroup,
    ReportSection,
    Scope,
    SectionResult,
    count_figure,
    percent_figure,
    register,
)
from dxday.orgs.models import Commune, Organisation

from .models import (
    CommuneDayStat,
    CommuneDayTopicStat,
    CommuneStat,
    CommuneTarget,
    CommuneTeamStat,
    CommuneTopicStat,
    CommunityTeam,
    TeamMember,
    Topic,
)


class _Communes:
    """commune_id → the bucket (unit path) of its committee, for the committees in the subtree.

    One query of the committees; the roll-ups are then grouped by commune_id alone (no join
    through the organisation tree, which also holds each commune's ~24 team nodes) and
    narrowed to the provinces concerned. When every committee of a province falls in one
    bucket (the national report: a commune's bucket is its province's unit), the roll-ups are
    grouped by province in the database (when all of the province's communes have their
    committee there, so that it keeps the same rows as the per-commune grouping), and a few
    dozen rows travel instead of one per commune and topic.
    """

    def __init__(self, scope: Scope):
        length = scope.bucket_length
        self.buckets: dict[int, str] = {}
        self.provinces: set = set()
        province_bucket: dict = {}
        per_province: dict = {}
        mixed = False
        # No ORDER BY: ordered by path, SQLite scans the whole tree (teams included) through the
        # path index instead of searching the committees by kind (30 ms → 4 ms at 90k nodes).
        for commune_id, province_id, path in (
            Organisation.objects.filter(
                kind=Organisation.Kind.COMMUNE, path__startswith=scope.path, commune__isnull=False
            )
            .order_by()
            .values_list("commune_id", "province_id", "path")
        ):
            bucket = path[:length]
            self.buckets[commune_id] = bucket
            self.provinces.add(province_id)
            per_province.setdefault(province_id, set()).add(commune_id)
            if province_bucket.setdefault(province_id, bucket) != bucket:
                mixed = True
        # Grouping by province is exact only if each of those provinces lies in one bucket and
        # every one of its communes has a committee here (else the per-commune grouping would
        # leave the others' rows out) and is recorded in that province: one small count of
        # the areas decides.
        self.province_bucket = None
        if not mixed and self.buckets and None not in self.provinces:
            areas = dict(
                Commune.objects.filter(province_id__in=sorted(province_bucket))
                .values("province_id")
                .annotate(n=Count("pk"))
                .order_by()
                .values_list("province_id", "n")
            )
            if all(areas.get(p) == len(c) for p, c in per_province.items()):
                self.province_bucket = province_bucket
        # Below the root, narrow the roll-ups to the provinces concerned (one for a province's
        # report); at the root every province is, and the filter would only steer the plan.
        # (A committee without its province recorded: read every province.)
        self.narrow = scope.organisation.depth > 1 and None not in self.provinces

    def rows(self, model):
        qs = model.objects.all()
        return qs.filter(province_id__in=sorted(self.provinces)) if self.narrow else qs


def _grouped(qs, communes: _Communes, *group: str, **aggregates) -> list[dict]:
    """Aggregate rows per commune (and `group`), summed per bucket (and `group`) in Python.

    Tuples, not dicts, from the database; one row per bucket (a few hundred) goes on to
    `scope.parts`, not one per commune. Grouped by province in the database when each
    province lies in one bucket (see `_Communes`).
    """
    names = list(aggregates)
    width = len(group)
    summed: dict[tuple, list] = {}
    if communes.province_bucket is not None:
        buckets = communes.province_bucket
        key_field = "province_id"
    else:
        buckets = communes.buckets
        key_field = "commune_id"
    rows = qs.values(key_field, *group).annotate(**aggregates).order_by()
    for row in rows.values_list(key_field, *group, *names):
        bucket = buckets.get(row[0])
        if bucket is None:
            continue
        key = (bucket, *row[1 : 1 + width])
        acc = summed.get(key)
        if acc is None:
            summed[key] = list(row[1 + width :])
            continue
        for i, v in enumerate(row[1 + width :]):
            if v is not None:
                acc[i] = v if acc[i] is None else acc[i] + v
    return [
        {
            "bucket": key[0],
            **dict(zip(group, key[1:], strict=True)),
            **dict(zip(names, acc, strict=True)),
        }
        for key, acc in summed.items()
    ]


@register
class DoorToDoorSection(ReportSection):
    code = "outreach"
    title = _("Chiến dịch “Đi từng ngõ, gõ từng nhà, hướng dẫn từng người dân”")
    order = 30

    def compute(self, scope: Scope) -> SectionResult:
        communes = _Communes(scope)
        people = self._people(scope, communes)
        results, topics = self._results(scope, communes)
        if not people.figures and not results.figures:
            return self.empty(str(_("Chưa có số liệu của Tổ công nghệ số cộng đồng.")))
        return self.result([people, results, topics])

    def _people(self, scope: Scope, communes: _Communes) -> FigureGroup:
        if scope.organisation.kind in (
            Organisation.Kind.COMMUNE,
            Organisation.Kind.COMMUNITY_TEAM,
        ):
            teams, members = self._people_raw(scope)
        else:  # units above the communes: read the per-commune counts
            counts = _grouped(
                communes.rows(CommuneTeamStat),
                communes,
                teams=Sum("teams"),
                members=Sum("members"),
            )
            teams = [{"bucket": r["bucket"], "n": r["teams"]} for r in counts if r["teams"]]
            members = [{"bucket": r["bucket"], "n": r["members"]} for r in counts if r["members"]]
        figures = []
        if teams:
            figures.append(
                count_figure(
                    "outreach.teams",
                    str(_("Tổ công nghệ số cộng đồng")),
                    str(_("tổ")),
                    scope.parts(teams, "n"),
                )
            )
        if members:
            figures.append(
                count_figure(
                    "outreach.members",
                    str(_("Thành viên Tổ công nghệ số cộng đồng")),
                    str(_("người")),
                    scope.parts(members, "n"),
                )
            )
        return FigureGroup(title=str(_("Lực lượng tham gia")), figures=figures)

    def _people_raw(self, scope: Scope) -> tuple[list[dict], list[dict]]:
        """A commune (or a team) is split by team: count its few raw rows."""
        teams = list(
            CommunityTeam.objects.filter(scope.subtree_q(), is_active=True)
            .values(bucket=scope.bucket())
            .annotate(n=Count("id"))
            .order_by()
        )
        members = list(
            TeamMember.objects.filter(scope.subtree_q("team__organisation"), is_active=True)
            .values(bucket=scope.bucket("team__organisation"))
            .annotate(n=Count("id"))
            .order_by()
        )
        return teams, members

    def _results(self, scope: Scope, communes: _Communes) -> tuple[FigureGroup, FigureGroup]:
        # A whole campaign reads the commune × topic table; a period needs the days.
        topic_qs = communes.rows(CommuneDayTopicStat if scope.period else CommuneTopicStat).filter(
            campaign=scope.campaign
        )
        if scope.period:
            day_rows = _grouped(
                communes.rows(CommuneDayStat).filter(
                    campaign=scope.campaign, day__range=scope.period
                ),
                communes,
                sessions=Sum("sessions"),
                households=Sum("households_visited"),
                people=Sum("people_guided"),
            )
            topic_qs = topic_qs.filter(day__range=scope.period)
            accounts = _grouped(
                topic_qs.filter(topic__counts_as_activation=True), communes, accounts=Sum("outcome")
            )
        else:
            day_rows = _grouped(
                communes.rows(CommuneStat).filter(campaign=scope.campaign),
                communes,
                sessions=Sum("sessions"),
                households=Sum("households_visited"),
                people=Sum("people_guided"),
                accounts=Sum("accounts_activated"),
            )
            accounts = day_rows
        targets = _grouped(
            communes.rows(CommuneTarget).filter(campaign=scope.campaign),
            communes,
            households=Sum("households"),
            accounts=Sum("accounts"),
        )
        figures = []
        households = accounts_fig = None
        if day_rows:
            figures.append(
                count_figure(
                    "outreach.sessions",
                    str(_("Lượt hướng dẫn")),
                    str(_("lượt")),
                    scope.parts(day_rows, "sessions"),
                )
            )
            households = count_figure(
                "outreach.households_visited",
                str(_("Hộ gia đình đã đến hướng dẫn")),
                str(_("hộ")),
                scope.parts(day_rows, "households"),
            )
            figures.append(households)
            figures.append(
                count_figure(
                    "outreach.people_guided",
                    str(_("Người dân được hướng dẫn")),
                    str(_("người")),
                    scope.parts(day_rows, "people"),
                )
            )
            accounts_fig = count_figure(
                "outreach.accounts_activated",
                str(_("Tài khoản được kích hoạt")),
                str(_("tài khoản")),
                scope.parts(accounts, "accounts"),
            )
            figures.append(accounts_fig)
        if targets:
            t_house = count_figure(
                "outreach.target_households",
                str(_("Chỉ tiêu số hộ cần đến")),
                str(_("hộ")),
                scope.parts(targets, "households"),
            )
            t_acc = count_figure(
                "outreach.target_accounts",
                str(_("Chỉ tiêu số tài khoản cần kích hoạt")),
                str(_("tài khoản")),
                scope.parts(targets, "accounts"),
            )
            figures += [t_house, t_acc]
            if households is not None:
                figures.append(percent_figure("outreach.households_rate",
                                              str(_("Tỷ lệ hộ đã đến so với chỉ tiêu")),
                                              households, t_house))  # fmt: skip
            if accounts_fig is not None:
                figures.append(percent_figure("outreach.accounts_rate",
                                              str(_("Tỷ lệ tài khoản kích hoạt so với chỉ tiêu")),
                                              accounts_fig, t_acc))  # fmt: skip

        topic_rows = _grouped(
            topic_qs, communes, "topic_id", people=Sum("people_guided"), outcome=Sum("outcome")
        )
        topic_figures = []
        by_topic: dict[int, list[dict]] = {}
        for r in topic_rows:
            by_topic.setdefault(r["topic_id"], []).append(r)
        for topic in Topic.objects.filter(pk__in=list(by_topic)).order_by("order", "code"):
            rows = by_topic[topic.pk]
            topic_figures.append(
                count_figure(
                    f"outreach.topic.{topic.code}.people",
                    str(_("Người được hướng dẫn: %(topic)s") % {"topic": topic.name}),
                    str(_("người")),
                    scope.parts(rows, "people"),
                )
            )
            topic_figures.append(
                count_figure(
                    f"outreach.topic.{topic.code}.outcome",
                    topic.outcome_label,
                    str(_("lượt")),
                    scope.parts(rows, "outcome"),
                )
            )
        return (
            FigureGroup(title=str(_("Kết quả hướng dẫn so với chỉ tiêu")), figures=figures),
            FigureGroup(title=str(_("Kết quả theo nội dung hướng dẫn")), figures=topic_figures),
        )
