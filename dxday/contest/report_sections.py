"""The contest section of the results report (and its XLSX annex): participants and attempts
per unit, read from the contest roll-ups (never from the attempts).

Two ways a participant belongs to a unit, both reported:
- officials and union members name their organisation: RoundOrgStat, bucketed by that
  organisation's place in the tree;
- everyone names a commune of residence: RoundCommuneStat, placed in the tree through the
  commune committee that carries the commune (as the outreach section does).
Participants are counted once per round, so the figure summed over rounds is labelled as
"person-rounds", not people.
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
    register,
)
from dxday.orgs.models import Organisation

from .models import Contest, Participant, RoundCommuneStat, RoundOrgStat


def _commune_buckets(scope: Scope) -> dict[str, str]:
    length = scope.bucket_length
    return {
        commune_id: path[:length]
        for commune_id, path in Organisation.objects.filter(
            kind=Organisation.Kind.COMMUNE, path__startswith=scope.path, commune__isnull=False
        )
        .order_by()
        .values_list("commune_id", "path")
    }


@register
class ContestSection(ReportSection):
    code = "contest"
    title = _("Cuộc thi trực tuyến tìm hiểu về chuyển đổi số")
    order = 50

    def compute(self, scope: Scope) -> SectionResult:
        if not Contest.objects.filter(campaign=scope.campaign).exists():
            return self.empty(str(_("Chưa có người dự thi cuộc thi trực tuyến.")))
        campaign_rounds = {"round__contest__campaign": scope.campaign}
        if scope.period:
            campaign_rounds["round__closes_at__date__gte"] = scope.period[0]
            campaign_rounds["round__opens_at__date__lte"] = scope.period[1]
        org_rows = list(
            RoundOrgStat.objects.filter(scope.subtree_q(), **campaign_rounds)
            .values(bucket=scope.bucket())
            .annotate(p=Sum("participants"), a=Sum("attempts"))
            .order_by()
        )
        registered = list(
            Participant.objects.filter(scope.subtree_q(), contest__campaign=scope.campaign)
            .values(bucket=scope.bucket())
            .annotate(n=Count("id"))
            .order_by()
        )
        buckets = _commune_buckets(scope)
        residence: dict[str, dict] = {}
        for commune_id, p, a in (
            RoundCommuneStat.objects.filter(commune_id__in=list(buckets), **campaign_rounds)
            .values("commune_id")
            .annotate(p=Sum("participants"), a=Sum("attempts"))
            .order_by()
            .values_list("commune_id", "p", "a")
        ):
            row = residence.setdefault(buckets[commune_id], {"bucket": buckets[commune_id],
                                                             "p": 0, "a": 0})  # fmt: skip
            row["p"] += p
            row["a"] += a
        res_rows = list(residence.values())
        if not org_rows and not res_rows and not registered:
            return self.empty(str(_("Chưa có người dự thi cuộc thi trực tuyến.")))
        units = FigureGroup(
            title=str(_("Cán bộ, đoàn viên dự thi theo đơn vị công tác")),
            figures=[
                f for f in (
                    count_figure("contest.registered", str(_("Người đăng ký dự thi")),
                                 str(_("người")), scope.parts(registered, "n")),
                    count_figure("contest.unit_participants",
                                 str(_("Lượt người tham gia (cộng các đợt thi)")),
                                 str(_("lượt người")), scope.parts(org_rows, "p")),
                    count_figure("contest.unit_attempts", str(_("Lượt thi")), str(_("lượt")),
                                 scope.parts(org_rows, "a")),
                ) if f.by_unit
            ],
        )  # fmt: skip
        places = FigureGroup(
            title=str(_("Người dự thi theo nơi cư trú")),
            figures=[
                f for f in (
                    count_figure("contest.residence_participants",
                                 str(_("Lượt người tham gia theo nơi cư trú (cộng các đợt)")),
                                 str(_("lượt người")), scope.parts(res_rows, "p")),
                    count_figure("contest.residence_attempts",
                                 str(_("Lượt thi theo nơi cư trú")), str(_("lượt")),
                                 scope.parts(res_rows, "a")),
                ) if f.by_unit
            ],
        )  # fmt: skip
        return self.result([units, places])


__all__ = ["ContestSection"]
