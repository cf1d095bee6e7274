"""The plans section of the results report: completion and timeliness of assignments.

Registered with the reports registry (owned by reports, see dxday/reports/registry.py). One
aggregate query, grouped by subordinate unit and task category, gives every figure.
"""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxday.reports.registry import (
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
DONE = (A.REPORTED, A.ACCEPTED)


def assignment_rows(scope: Scope):
    """Per (subordinate unit, task category): assigned, reported, accepted, on time, overdue."""
    qs = Assignment.objects.filter(scope.subtree_q(), task__plan__campaign=scope.campaign)
    if scope.period:
        qs = qs.filter(deadline__range=scope.period)
    today = timezone.localdate()
    done = Q(status__in=DONE)
    return list(
        qs.annotate(reported_on=TruncDate("first_reported_at"))
        .values(bucket=scope.bucket(), category=F("task__category"))
        .annotate(
            total=Count("id"),
            reported=Count("id", filter=done),
            accepted=Count("id", filter=Q(status=A.ACCEPTED)),
            on_time=Count(
                "id",
                filter=done
                & Q(deadline__isnull=False, reported_on__isnull=False)
                & Q(reported_on__lte=F("deadline")),
            ),
            overdue=Count("id", filter=~done & (Q(deadline__lt=today) | Q(status=A.LATE))),
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
