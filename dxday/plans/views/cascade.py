"""Plans pages: cascade."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dxday.core.errors import DomainError
from dxday.core.params import int_param
from dxday.orgs.permissions import ensure_action

from .. import selectors, services
from ..forms import (
    CascadeForm,
)
from ._common import _form_error


@login_required
def plan_cascade(request):
    """Pick a plan from above, adapt its tasks, choose groups of the own subtree: one submit."""
    actor = request.actor
    ensure_action(actor, "plans.cascade")
    raw_parent = request.POST.get("parent") or request.GET.get("parent")
    if not raw_parent:
        candidates = selectors.plan_cascade_candidates(actor)
        return render(request, "plans/cascade_pick.html", {"candidates": candidates})
    parent = selectors.get_cascade_candidate_for_user(actor, int_param(raw_parent, default=0))
    parent_tasks = list(parent.tasks.select_related("window").order_by("order", "id"))
    initial = {
        "title": f"{parent.title} — {actor.organisation.name}",
        "groups": [g for g, _label in selectors.cascade_targets_for(actor.organisation)],
    }
    form = CascadeForm(request.POST or None, parent_tasks=parent_tasks, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_cascade(
                parent_plan=parent,
                organisation=actor.organisation,
                by=actor,
                title=form.cleaned_data["title"],
                number=form.cleaned_data["number"],
                tasks=form.task_specs(),
                groups=[{"group": g, "role": "lead"} for g in form.cleaned_data["groups"]],
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Đã ban hành kế hoạch và giao nhiệm vụ."))
            return redirect("plans:plan_detail", pk=plan.pk)
    return render(request, "plans/cascade_form.html", {"form": form, "parent": parent})
