"""The activities section of the results report: activities by type, indicator totals,
state-management areas, offers and outstanding examples.

Registered with the section registry (contract in dxday/core/report_sections.py). Figures
count ACCEPTED activities only (what the unit above has checked), like
`activities.selectors.activity_counts_by_type` and `indicator_totals`; here they are also split
per subordinate unit, one aggregate query per family of figures.
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from dxday.core.report_sections import (
    Example,
    Figure,
    FigureGroup,
    ReportSection,
    Scope,
    SectionResult,
    count_figure,
    register,
)

from .models import Activity, ActivityType, IndicatorValue, Offer, Sector

ACCEPTED = Activity.Status.ACCEPTED
MAX_EXAMPLES = 5


def _activities(scope: Scope, prefix: str = ""):
    q = Q(**{f"{prefix}campaign": scope.campaign, f"{prefix}status": ACCEPTED})
    if scope.period:
        start, end = scope.period
        q &= Q(**{f"{prefix}starts_on__lte": end, f"{prefix}ends_on__gte": start})
    return q


@register
class ActivitiesSection(ReportSection):
    code = "activities"
    title = _("Các hoạt động hưởng ứng")
    order = 20

    def compute(self, scope: Scope) -> SectionResult:
        groups = [self._by_type(scope), self._indicators(scope), self._sectors_offers(scope)]
        examples = self._examples(scope)
        if not any(g.figures for g in groups):
            return self.empty(str(_("Chưa có hoạt động nào được duyệt trong phạm vi báo cáo.")))
        return self.result(groups, examples=examples)

    def _by_type(self, scope: Scope) -> FigureGroup:
        rows = list(
            Activity.objects.filter(scope.subtree_q(), _activities(scope))
            .values("type", bucket=scope.bucket())
            .annotate(n=Count("id"))
            .order_by()
        )
        figures: list[Figure] = []
        if rows:
            figures.append(
                count_figure(
                    "activities.total",
                    str(_("Tổng số hoạt động hưởng ứng")),
                    str(_("hoạt động")),
                    scope.parts(rows, "n"),
                )
            )
        present = {r["type"] for r in rows}
        for value, label in ActivityType.choices:
            if value in present:
                figures.append(
                    count_figure(
                        f"activities.type.{value}",
                        str(label),
                        str(_("hoạt động")),
                        scope.parts([r for r in rows if r["type"] == value], "n"),
                    )
                )
        return FigureGroup(title=str(_("Hoạt động theo loại")), figures=figures)

    def _indicators(self, scope: Scope) -> FigureGroup:
        rows = list(
            IndicatorValue.objects.filter(
                scope.subtree_q("activity__organisation"), _activities(scope, "activity__")
            )
            .values(
                "indicator__code",
                "indicator__name",
                "indicator__unit",
                "indicator__order",
                bucket=scope.bucket("activity__organisation"),
            )
            .annotate(total=Sum("value"))
            .order_by()
        )
        indicators = sorted(
            {(r["indicator__order"], r["indicator__code"], r["indicator__name"],
              r["indicator__unit"]) for r in rows}
        )  # fmt: skip
        figures = [
            count_figure(
                f"indicators.{code}",
                name,
                unit,
                scope.parts([r for r in rows if r["indicator__code"] == code], "total"),
            )
            for _order, code, name, unit in indicators
        ]
        return FigureGroup(title=str(_("Chỉ tiêu kết quả")), figures=figures)

    def _sectors_offers(self, scope: Scope) -> FigureGroup:
        sectors = list(
            Sector.objects.filter(scope.subtree_q(), campaign=scope.campaign)
            .values(bucket=scope.bucket())
            .annotate(n=Count("id"))
            .order_by()
        )
        offers = list(
            Offer.objects.filter(
                scope.subtree_q(), campaign=scope.campaign, status=Offer.Status.APPROVED
            )
            .values(bucket=scope.bucket())
            .annotate(n=Count("id"))
            .order_by()
        )
        figures = []
        if sectors:
            figures.append(
                count_figure(
                    "activities.sectors",
                    str(_("Lĩnh vực quản lý nhà nước chuyển đổi số toàn diện, toàn trình")),
                    str(_("lĩnh vực")),
                    scope.parts(sectors, "n"),
                )
            )
        if offers:
            figures.append(
                count_figure(
                    "activities.offers",
                    str(_("Chương trình ưu đãi, giảm giá dịch vụ số được công khai")),
                    str(_("chương trình")),
                    scope.parts(offers, "n"),
                )
            )
        return FigureGroup(title=str(_("Lĩnh vực và ưu đãi")), figures=figures)

    def _examples(self, scope: Scope) -> list[Example]:
        qs = (
            Activity.objects.filter(scope.subtree_q(), _activities(scope))
            .select_related("organisation")
            .order_by("-is_published", "type", "-starts_on", "id")
        )
        initiatives = list(qs.filter(type=ActivityType.INITIATIVE)[:MAX_EXAMPLES])
        picked = initiatives or list(qs[:MAX_EXAMPLES])
        return [
            Example(
                title=a.title,
                organisation=a.organisation.name,
                text=(a.description or "").strip().split("\n")[0][:300],
                date=a.starts_on.isoformat(),
            )
            for a in picked
        ]
