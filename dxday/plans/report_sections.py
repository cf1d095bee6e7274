"""The plans section of the results report: completion and timeliness of assignments.

Registered with the section registry (contract in dxday/core/report_sections.py). One
aggregate query, grouped by subordinate unit and task category, gives every figure.
"""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
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

from .models import Assignment, TaskCategory

A = Assignment.Status
REPORTED = (A.REPORTED, A.ACCEPTED)


def assignment_rows(scope: Scope):
    """Per (subordinate unit, task category): assigned, reported, accepted, on time, late.

    Same definitions as `plans.selectors.plan_completeness` (DHIS2 reporting rates): reported =
    a first report exists; on time = first reported on or before the deadline (or no
    deadline); late = no report yet and the deadline has passed. Here the rows are grouped by
    subordinate unit instead of by plan.
    """
    qs = Assignment.objects.filter(scope.subtree_q(), task__plan__campaign=scope.campaign)
    if scope.period:
        qs = qs.filter(deadline__range=scope.period)
    today = timezone.localdate()
    reported = Q(first_reported_at__isnull=False)
    return list(
        qs.annotate(reported_on=TruncDate("first_reported_at"))
        .values(bucket=scope.bucket(), category=F("task__category"))
        .annotate(
            total=Count("id"),
            reported=Count("id", filter=reported),
            accepted=Count("id", filter=Q(status=A.ACCEPTED)),
            on_time=Count(
                "id",
                filter=reported & (Q(deadline__isnull=True) | Q(reported_on__lte=F("deadline"))),
            ),
            overdue=Count("id", filter=~reported & Q(deadline__lt=today) & ~Q(status__in=REPORTED)),
        )
        .order_by()
    )


MEASURES = [
    ("total", _("Nhiệm vụ được giao"), _("nhiệm vụ")),
    ("reported", _("Nhiệm vụ đã báo cáo kết quả"), _("nhiệm vụ")),
    ("accepted", _("Nhiệm vụ có kết quả được duyệt"), _("nhiệm vụ")),
    ("on_time", _("Nhiệm vụ báo cáo đúng hạn"), _("nhiệm vụ")),
    ("overdue", _("Nhiệm vụ quá hạn chưa báo cáo"), _("nhiệm vụ")),
]


def _figures(scope: Scope, rows, prefix: str, with_rates: bool):
    figs = {
        key: count_figure(f"{prefix}.{key}", str(label), str(unit), scope.parts(rows, key))
        for key, label, unit in MEASURES
    }
    out = list(figs.values())
    if with_rates:
        out.append(
            percent_figure(
                f"{prefix}.completion_rate",
                str(_("Tỷ lệ nhiệm vụ đã báo cáo")),
                figs["reported"],
                figs["total"],
            )
        )
        out.append(
            percent_figure(
                f"{prefix}.on_time_rate",
                str(_("Tỷ lệ báo cáo đúng hạn")),
                figs["on_time"],
                figs["total"],
            )
        )
    return out


@register
class AssignmentsSection(ReportSection):
    code = "plans"
    title = _("Thực hiện các nhiệm vụ được giao")
    order = 10

    def compute(self, scope: Scope) -> SectionResult:
        rows = assignment_rows(scope)
        if not rows:
            return self.empty(str(_("Chưa có nhiệm vụ nào được giao trong phạm vi báo cáo.")))
        groups = [
            FigureGroup(
                title=str(_("Tổng hợp chung")),
                figures=_figures(scope, rows, "plans.assignments", with_rates=True),
            )
        ]
        present = {r["category"] for r in rows}
        for value, label in TaskCategory.choices:
            if value not in present:
                continue
            cat_rows = [r for r in rows if r["category"] == value]
            groups.append(
                FigureGroup(
                    title=str(label),
                    figures=_figures(scope, cat_rows, f"plans.task.{value}", with_rates=False),
                )
            )
        return self.result(groups)
