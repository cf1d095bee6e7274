"""The awards and honours section of the report: entries and awards of the subtree's units
(applicants linked to a node of the tree), and the honours nominations they made, with the
votes those received. One grouped query per family, bucketed by unit path."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from dxday.core.report_sections import (
    Example,
    FigureGroup,
    ReportSection,
    Scope,
    SectionResult,
    count_figure,
    register,
)

from .models import Candidate, Entry, Programme, Result


def _programmes(scope: Scope):
    year = getattr(scope.campaign, "year", None)
    return Programme.objects.filter(
        Q(campaign=scope.campaign) | Q(campaign__isnull=True, year=year)
    )


@register
class AwardsSection(ReportSection):
    code = "awards"
    title = _("Giải thưởng và tôn vinh")
    order = 70

    def compute(self, scope: Scope) -> SectionResult:
        programmes = list(_programmes(scope).values_list("pk", flat=True))
        if not programmes:  # most campaigns: one query, no more
            return self.empty(str(_("Chưa có chương trình giải thưởng, tôn vinh nào.")))
        org = "applicant__organisation"
        entries = (
            Entry.objects.filter(
                programme__in=programmes, **{f"{org}__path__startswith": scope.path}
            )
            .exclude(status=Entry.Status.DRAFT)
            .annotate(bucket=scope.bucket(org))
            .values("bucket")
            .annotate(n=Count("id"))
        )
        # Published results of the subtree, with what the examples need, in one query.
        results = list(
            Result.objects.filter(
                entry__programme__in=programmes,
                entry__programme__phase=Programme.Phase.PUBLISHED,
                **{f"entry__{org}__path__startswith": scope.path},
            )
            .annotate(bucket=scope.bucket(f"entry__{org}"))
            .select_related("entry__applicant", "entry__category")
            .order_by("entry__category__order", "pk")
        )
        nominated = list(
            Candidate.objects.filter(programme__in=programmes)
            .filter(scope.subtree_q("nominated_by"))
            .annotate(bucket=scope.bucket("nominated_by"))
            .values("bucket")
            .annotate(
                n=Count("id"),
                shortlisted=Count(
                    "id",
                    filter=Q(status__in=[Candidate.Status.SHORTLISTED, Candidate.Status.HONOURED]),
                ),
                votes=Sum("votes"),
            )
        )
        result_rows = [{"bucket": r.bucket, "n": 1} for r in results]
        groups = [
            FigureGroup(
                title=str(_("Giải thưởng")),
                figures=[
                    count_figure(
                        "awards.entries",
                        _("Hồ sơ dự thi đã nộp"),
                        _("hồ sơ"),
                        scope.parts(entries, "n"),
                    ),
                    count_figure(
                        "awards.results",
                        _("Giải thưởng và ghi nhận được trao"),
                        _("giải"),
                        scope.parts(result_rows, "n"),
                    ),
                ],
            ),  # fmt: skip
            FigureGroup(
                title=str(_("Tôn vinh ứng dụng số, dịch vụ công tiêu biểu")),
                figures=[
                    count_figure(
                        "honours.nominations", _("Đề cử"), _("đề cử"), scope.parts(nominated, "n")
                    ),
                    count_figure(
                        "honours.shortlisted",
                        _("Đề cử vào danh sách bình chọn"),
                        _("đề cử"),
                        scope.parts(nominated, "shortlisted"),
                    ),
                    count_figure(
                        "honours.votes",
                        _("Phiếu bình chọn nhận được"),
                        _("phiếu"),
                        scope.parts(nominated, "votes"),
                    ),
                ],
            ),  # fmt: skip
        ]
        groups = [g for g in groups if any(f.value is not None for f in g.figures)]
        examples = [
            Example(
                title=f"{r.entry.category.name}: {r.entry.title}",
                organisation=r.entry.applicant.name,
                text=r.citation,
            )
            for r in results
            if r.award == Result.Award.WINNER
        ][:5]
        if not groups and not examples:
            return self.empty(str(_("Chưa có hồ sơ, đề cử nào của các đơn vị.")))
        return self.result(groups, examples=examples)
