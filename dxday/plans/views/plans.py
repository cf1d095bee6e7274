"""Plans pages: plans."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dxday.core.errors import DomainError
from dxday.orgs.permissions import can, ensure_action, ensure_can

from .. import selectors, services
from ..forms import (
    PlanForm,
)
from ..permissions import plan_cascade_allowed
from ._common import _campaign_from, _form_error


@login_required
def plan_list(request):
    actor = request.actor
    ensure_action(actor, "plans.view")
    campaign = _campaign_from(request)
    return render(
        request,
        "plans/plan_list.html",
        {
            "plans": selectors.plan_list_for_actor(actor, campaign=campaign),
            "campaign": campaign,
            "campaigns": selectors.campaign_years(),
            "can_create": actor.has_action("plans.manage"),
            "can_cascade": actor.has_action("plans.cascade"),
        },
    )


@login_required
def plan_create(request):
    actor = request.actor
    ensure_action(actor, "plans.manage")
    form = PlanForm(request.POST or None, initial={"campaign": selectors.campaign_current()})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                organisation=actor.organisation, by=actor, **form.cleaned_data
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Đã tạo kế hoạch."))
            return redirect("plans:plan_detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form})


@login_required
def plan_edit(request, pk: int):
    actor = request.actor
    plan = selectors.get_plan_for_user(actor, pk)
    ensure_can(actor, "plans.manage", plan.organisation)
    form = PlanForm(request.POST or None, instance=copy.copy(plan))
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "campaign"}
        try:
            services.plan_update(plan=plan, by=actor, **fields)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Đã lưu kế hoạch."))
            return redirect("plans:plan_detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan})


@login_required
def plan_detail(request, pk: int):
    actor = request.actor
    plan = selectors.get_plan_for_user(actor, pk)
    tasks = list(selectors.task_list_for_plan(plan, actor))
    rollup = selectors.task_rollup_for_plan(plan, actor)
    for task in tasks:
        task.rollup = rollup.get(task.pk)
    cascaded = selectors.plan_cascaded_by_unit(actor, plan)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "tasks": tasks,
            "can_manage": can(actor, "plans.manage", plan.organisation),
            "can_review": can(actor, "activities.review", plan.organisation),
            "can_cascade": cascaded is None and plan_cascade_allowed(actor, plan),
            "cascaded": cascaded,
            "parent_visible": selectors.plan_visible(actor, plan.parent_id),
        },
    )


@login_required
def plan_progress(request, pk: int):
    actor = request.actor
    plan = selectors.get_plan_for_user(actor, pk)
    return render(
        request,
        "plans/plan_progress.html",
        {"plan": plan, "progress": selectors.plan_completeness(plan, actor)},
    )
