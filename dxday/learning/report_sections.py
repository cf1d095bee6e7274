"""The learning sections of the results report: the digital learning festival ("Ngày hội toàn
dân học tập số") and the training of officials, per subordinate unit.

Registered with the section registry (contract in dxday/core/report_sections.py). Figures come
from the offering counters (kept in the check-in transaction) and the officials' roll-up, one
aggregate query per family grouped by the organiser's path bucket: never a scan of check-ins.
An offering belongs to the unit that organised it; a trained official to the unit they work in.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum
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

from .models import Offering, OfficialHeadcount, UnitTrainingStat

FESTIVAL_KINDS = [Offering.Kind.CLASS, Offering.Kind.BOOTH, Offering.Kind.SEMINAR,
                  Offering.Kind.DIALOGUE]  # fmt: skip


def _offerings(scope: Scope, kinds) -> list[dict]:
    qs = Offering.objects.filter(scope.subtree_q("organiser"), campaign=scope.campaign,
                                 kind__in=kinds)  # fmt: skip
    if scope.period:
        start = timezone.make_aware(dt.datetime.combine(scope.period[0], dt.time.min))
        end = timezone.make_aware(dt.datetime.combine(scope.period[1], dt.time.max))
        qs = qs.filter(starts_at__gte=start, starts_at__lte=end)
    return list(
        qs.annotate(bucket=scope.bucket("organiser"))
        .values("bucket")
        .annotate(
            n=Count("id"),
            communes=Count("commune", distinct=True),
            seats=Sum("seats_taken"),
            checked_in=Sum("checked_in"),
            walk_ins=Sum("walk_ins"),
        )
        .order_by()
    )


def _attendance(rows: list[dict]) -> list[dict]:
    for r in rows:
        r["attendance"] = (r["checked_in"] or 0) + (r["walk_ins"] or 0)
    return rows


@register
class LearningFestivalSection(ReportSection):
    code = "learning_festival"
    title = _("Ngày hội toàn dân học tập số")
    order = 40

    def compute(self, scope: Scope) -> SectionResult:
        rows = _attendance(_offerings(scope, FESTIVAL_KINDS))
        if not rows:
            return self.empty(str(_("Chưa có lớp học, sự kiện nào của Ngày hội.")))
        group = FigureGroup(
            title=str(_("Lớp học số và sự kiện")),
            figures=[
                count_figure("learning_offerings", str(_("Lớp học, sự kiện đã tổ chức")),
                             str(_("lớp")), scope.parts(rows, "n")),
                count_figure("learning_registrations", str(_("Lượt đăng ký được xác nhận")),
                             str(_("lượt")), scope.parts(rows, "seats")),
                count_figure("learning_checked_in", str(_("Người đăng ký đã tham gia")),
                             str(_("người")), scope.parts(rows, "checked_in")),
                count_figure("learning_walk_ins", str(_("Người tham gia không đăng ký trước")),
                             str(_("người")), scope.parts(rows, "walk_ins")),
                count_figure("learning_attendance", str(_("Tổng lượt tham gia")),
                             str(_("lượt")), scope.parts(rows, "attendance")),
            ],
        )  # fmt: skip
        return self.result([group])


@register
class OfficialsTrainingSection(ReportSection):
    code = "learning_officials"
    title = _("Bồi dưỡng kỹ năng số cho cán bộ, công chức, viên chức")
    order = 41

    def compute(self, scope: Scope) -> SectionResult:
        rows = _attendance(_offerings(scope, [Offering.Kind.TRAINING]))
        trained = list(
            UnitTrainingStat.objects.filter(scope.subtree_q(), campaign=scope.campaign)
            .annotate(bucket=scope.bucket())
            .values("bucket")
            .annotate(n=Sum("trained"))
            .order_by()
        )
        heads = list(
            OfficialHeadcount.objects.filter(scope.subtree_q(), campaign=scope.campaign)
            .filter(~Q(officials=0))
            .annotate(bucket=scope.bucket())
            .values("bucket")
            .annotate(n=Sum("officials"))
            .order_by()
        )
        if not rows and not trained:
            return self.empty(str(_("Chưa có lớp bồi dưỡng cán bộ nào.")))
        trained_fig = count_figure(
            "learning_officials_trained", str(_("Cán bộ, công chức, viên chức được bồi dưỡng")),
            str(_("người")), scope.parts(trained, "n"),
        )  # fmt: skip
        figures = [
            count_figure("learning_trainings", str(_("Lớp bồi dưỡng đã tổ chức")), str(_("lớp")),
                         scope.parts(rows, "n")),
            count_figure("learning_training_attendance", str(_("Lượt tham gia lớp bồi dưỡng")),
                         str(_("lượt")), scope.parts(rows, "attendance")),
            trained_fig,
        ]  # fmt: skip
        if heads:
            head_fig = count_figure(
                "learning_officials_headcount", str(_("Tổng số cán bộ, công chức, viên chức")),
                str(_("người")), scope.parts(heads, "n"),
            )  # fmt: skip
            figures += [
                head_fig,
                percent_figure("learning_officials_share", str(_("Tỷ lệ được bồi dưỡng")),
                               trained_fig, head_fig),
            ]  # fmt: skip
        return self.result([FigureGroup(title=str(_("Bồi dưỡng cán bộ")), figures=figures)])
