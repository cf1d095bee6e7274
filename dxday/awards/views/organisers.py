"""The organiser's screening, assignment, ranking, results and publication."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dxday.core.errors import DomainError, NotFound
from dxday.core.params import int_param
from dxday.orgs.permissions import ensure_action

from .. import selectors, services
from ..forms import ReopenForm, ScreenForm
from ..models import Juror, Programme, Result


@login_required
def manage_list(request):
    ensure_action(request.actor, "awards.manage")
    context = {"programmes": selectors.programme_list_for_organiser(request.actor)}
    return render(request, "awards/manage_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def manage_programme(request, pk: int):
    ensure_action(request.actor, "awards.manage")
    programme = selectors.get_programme_for_organiser(request.actor, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "next_phase":
                services.phase_set(
                    by=request.actor, programme=programme, phase=request.POST.get("phase", "")
                )
            elif action == "auto_assign":
                outcome = services.assignments_auto(by=request.actor, programme=programme)
                messages.info(
                    request,
                    _("Đã phân công %(n)s lượt chấm; %(short)s hồ sơ chưa đủ giám khảo.")
                    % {"n": outcome["created"], "short": len(outcome["short_entries"])},
                )
            elif action == "publish":
                services.results_publish(by=request.actor, programme=programme)
            elif action == "aggregation" and request.POST.get("how") in ("median", "mean"):
                programme.aggregation = request.POST["how"]
                programme.save(update_fields=["aggregation", "updated_at"])
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("awards:manage_programme", pk=programme.pk)
    phases = list(Programme.Phase.values)
    index = phases.index(programme.phase)
    context = {
        "programme": programme,
        "entries": selectors.entry_list_for_organiser(request.actor, programme),
        "ranking": selectors.ranking(programme)
        if programme.kind == Programme.Kind.AWARD and index >= 2
        else None,
        "next_phase": Programme.Phase(phases[index + 1]) if index + 1 < len(phases) else None,
        "standing": selectors.honours_standing(programme)
        if programme.kind == Programme.Kind.HONOURS
        else None,
        "bursts": selectors.vote_bursts(programme)
        if programme.kind == Programme.Kind.HONOURS
        else None,
    }
    return render(request, "awards/manage_programme.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def manage_entry(request, pk: int):
    ensure_action(request.actor, "awards.manage")
    entry = selectors.get_entry_for_organiser(request.actor, pk)
    screen = ScreenForm(request.POST if request.POST.get("action") == "screen" else None)
    reopen = ReopenForm(request.POST if request.POST.get("action") == "reopen" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "screen" and screen.is_valid():
                services.entry_screen(by=request.actor, entry=entry, **screen.cleaned_data)
            elif action == "reopen" and reopen.is_valid():
                services.entry_reopen(by=request.actor, entry=entry, **reopen.cleaned_data)
            elif action == "assign":
                juror = Juror.objects.filter(
                    programme=entry.programme, pk=int_param(request.POST.get("juror"))
                ).first()
                if juror is None:
                    raise NotFound()
                services.assignment_add(by=request.actor, entry=entry, juror=juror)
            elif action == "unassign":
                assignment = entry.assignments.filter(
                    pk=int_param(request.POST.get("assignment"))
                ).first()
                if assignment is None:
                    raise NotFound()
                services.assignment_remove(by=request.actor, assignment=assignment)
            elif action == "result" and request.POST.get("award") in Result.Award.values:
                services.result_set(
                    by=request.actor, entry=entry, award=request.POST["award"],
                    citation=request.POST.get("citation", ""),
                )  # fmt: skip
            else:
                raise DomainError(_("Hãy điền đủ các ô của biểu mẫu."), code="invalid")
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã lưu."))
        return redirect("awards:manage_entry", pk=entry.pk)
    context = {
        "entry": entry,
        "screen": screen,
        "reopen": reopen,
        "jurors": Juror.objects.filter(programme=entry.programme),
        "assignments": entry.assignments.select_related("juror", "review"),
        "reviews": selectors.reviews_of_entry(entry),
    }
    return render(request, "awards/manage_entry.html", context)
