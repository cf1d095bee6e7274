"""The door-to-door section as it was before the roll-up fixes (joins through the tree, raw
team and member counts): the oracle the faster section must agree with, figure for figure."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from dxday.core.report_sections import (
    FigureGroup,
    ReportSection,
    Scope,
    SectionResult,
    count_figure,
    percent_figure,
)
from dxday.orgs.models import Organisation
from dxday.outreach.models import (
    CommuneDayStat,
    CommuneDayTopicStat,
    CommuneStat,
    CommuneTarget,
    CommunityTeam,
    TeamMember,
    Topic,
)

COMMITTEE = "commune__organisation"


def _in_tree(scope: Scope) -> Q:
    """Rows whose commune's committee lies in the subtree (one join, constrained to committees)."""
    return Q(
        **{
            f"{COMMITTEE}__path__startswith": scope.path,
            f"{COMMITTEE}__kind": Organisation.Kind.COMMUNE,
        }
    )


def _grouped(qs, scope: Scope, **aggregates):
    return list(qs.values(bucket=scope.bucket(COMMITTEE)).annotate(**aggregates).order_by())


class JoinedDoorToDoorSection(ReportSection):
    code = "outreach"
    title = _("Chiến dịch “Đi từng ngõ, gõ từng nhà, hướng dẫn từng người dân”")
    order = 30

    def compute(self, scope: Scope) -> SectionResult:
        people = self._people(scope)
        results, topics = self._results(scope)
        if not people.figures and not results.figures:
            return self.empty(str(_("Chưa có số liệu của Tổ công nghệ số cộng đồng.")))
        return self.result([people, results, topics])

    def _people(self, scope: Scope) -> FigureGroup:
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

    def _results(self, scope: Scope) -> tuple[FigureGroup, FigureGroup]:
        topic_qs = CommuneDayTopicStat.objects.filter(_in_tree(scope), campaign=scope.campaign)
        if scope.period:
            day_rows = _grouped(
                CommuneDayStat.objects.filter(
                    _in_tree(scope), campaign=scope.campaign, day__range=scope.period
                ),
                scope,
                sessions=Sum("sessions"),
                households=Sum("households_visited"),
                people=Sum("people_guided"),
            )
            topic_qs = topic_qs.filter(day__range=scope.period)
            accounts = _grouped(
                topic_qs.filter(topic__counts_as_activation=True), scope, accounts=Sum("outcome")
            )
        else:
            day_rows = _grouped(
                CommuneStat.objects.filter(_in_tree(scope), campaign=scope.campaign),
                scope,
                sessions=Sum("sessions"),
                households=Sum("households_visited"),
                people=Sum("people_guided"),
                accounts=Sum("accounts_activated"),
            )
            accounts = day_rows
        targets = _grouped(
            CommuneTarget.objects.filter(_in_tree(scope), campaign=scope.campaign),
            scope,
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

        topic_rows = list(
            topic_qs.values("topic_id", bucket=scope.bucket(COMMITTEE))
            .annotate(people=Sum("people_guided"), outcome=Sum("outcome"))
            .order_by()
        )
        topic_figures = []
        present = {r["topic_id"] for r in topic_rows}
        for topic in Topic.objects.filter(pk__in=present).order_by("order", "code"):
            rows = [r for r in topic_rows if r["topic_id"] == topic.pk]
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
