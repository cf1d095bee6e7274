"""The juror's assignments, conflict declarations and scoring."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dxday.core.errors import DomainError, NotFound
from dxday.orgs.permissions import ensure_action

from .. import selectors, services
from ..forms import ConflictForm
from ..models import Conflict, Criterion, Juror


@login_required
def juror_home(request):
    ensure_action(request.actor, "awards.judge")
    seats = Juror.objects.filter(user=request.user).select_related("programme")
    conflicts = Conflict.objects.filter(juror__user=request.user).select_related("juror")
    context = {
        "assignments": [
            a
            for a in selectors.assignments_for_juror(request.user)
            if a.entry.programme.phase not in ("entries", "screening")
        ],
        "seats": seats,
        "conflicts": conflicts,
        "form": ConflictForm(),
    }
    return render(request, "awards/juror_home.html", context)


@login_required
@require_POST
def juror_conflict(request, seat: int):
    ensure_action(request.actor, "awards.judge")
    juror = Juror.objects.filter(user=request.user, pk=seat).select_related("programme").first()
    if juror is None:
        raise NotFound()
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            services.conflict_add(by=request.actor, juror=juror, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã ghi nhận khai báo xung đột lợi ích."))
    else:
        messages.error(request, _("Hãy ghi tên tổ chức và loại quan hệ."))
    return redirect("awards:juror_home")


@login_required
@require_http_methods(["GET", "POST"])
def juror_review(request, pk: int):
    ensure_action(request.actor, "awards.judge")
    assignment = selectors.get_assignment_for_juror(request.user, pk)
    criteria = list(Criterion.objects.filter(category=assignment.entry.category))
    review = getattr(assignment, "review", None)
    current = {s.criterion_id: s.raw for s in review.scores.all()} if review else {}
    if request.method == "POST":
        scores = {c.pk: request.POST.get(f"c_{c.pk}", "") for c in criteria}
        scores = {k: v for k, v in scores.items() if v != ""}
        try:
            services.review_save(
                by=request.actor, assignment=assignment, scores=scores,
                comment=request.POST.get("comment", ""), submit="submit" in request.POST,
            )  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
            for text in (exc.errors or {}).values() if isinstance(exc.errors, dict) else []:
                messages.error(request, text)
        else:
            messages.success(request, _("Đã lưu phiếu chấm."))
            return redirect("awards:juror_review", pk=assignment.pk)
    assignment = selectors.get_assignment_for_juror(request.user, pk)
    context = {
        "assignment": assignment,
        "entry": assignment.entry,
        "rows": [(c, current.get(c.pk)) for c in criteria],
        "review": getattr(assignment, "review", None),
        "others": (
            selectors.reviews_of_entry(assignment.entry).exclude(assignment=assignment)
            if selectors.others_visible(assignment)
            else None
        ),
    }
    return render(request, "awards/juror_review.html", context)
