"""Plans pages: tasks and targets."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxday.core.errors import DomainError
from dxday.orgs.permissions import ensure_action, ensure_can

from .. import selectors, services
from ..forms import (
    TargetForm,
    TaskForm,
)
from ._common import _form_error


@login_required
def task_create(request, pk: int):
    actor = request.actor
    plan = selectors.get_plan_for_user(actor, pk)
    ensure_can(actor, "plans.manage", plan.organisation)
    form = TaskForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(plan=plan, by=actor, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Đã thêm nhiệm vụ. Hãy chọn đơn vị thực hiện."))
            return redirect("plans:task_edit", pk=task.pk)
    return render(request, "plans/task_form.html", {"form": form, "plan": plan})


@login_required
def task_edit(request, pk: int):
    actor = request.actor
    task = selectors.get_task_for_user(actor, pk)
    ensure_can(actor, "plans.manage", task.plan.organisation)
    form = TaskForm(request.POST or None, instance=copy.copy(task), plan=task.plan)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        indicators = data.pop("indicators")
        if data.get("order") is None:
            data.pop("order", None)
        try:
            services.task_update(task=task, by=actor, indicators=indicators, **data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Đã lưu nhiệm vụ."))
            return redirect("plans:task_edit", pk=task.pk)
    return render(
        request,
        "plans/task_form.html",
        {
            "form": form,
            "plan": task.plan,
            "task": task,
            "targets": selectors.target_list_for_task(task),
            "target_form": TargetForm(),
            "assigned": task.assignments.count(),
        },
    )


@login_required
@require_POST
def target_add(request, pk: int):
    actor = request.actor
    task = selectors.get_task_for_user(actor, pk)
    ensure_can(actor, "plans.manage", task.plan.organisation)
    form = TargetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn nhóm đơn vị và vai trò."))
        return redirect("plans:task_edit", pk=task.pk)
    try:
        created = services.task_target_assign(
            task=task,
            by=actor,
            group=form.cleaned_data["group"],
            role=form.cleaned_data["role"],
            organisation_code=selectors.unit_code_from_choice(
                actor, form.cleaned_data["organisation"]
            ),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã giao nhiệm vụ thêm cho %(n)s đơn vị.") % {"n": created})
    return redirect("plans:task_edit", pk=task.pk)


@login_required
def unit_lookup(request):
    """htmx fragment: <option>s of the units of my subtree matching `organisation` (the text
    typed in the target form) or `q`, for the form's datalist."""
    ensure_action(request.actor, "plans.manage")
    q = request.GET.get("organisation") or request.GET.get("q")
    units = selectors.unit_lookup(request.actor, q)
    return render(
        request,
        "plans/_unit_options.html",
        {"options": [selectors.unit_choice_label(o) for o in units]},
    )


@login_required
@require_POST
def target_remove(request, pk: int):
    actor = request.actor
    target = selectors.get_target_for_user(actor, pk)
    ensure_can(actor, "plans.manage", target.task.plan.organisation)
    try:
        services.task_target_remove(target=target, by=actor)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã bỏ nhóm đơn vị."))
    return redirect("plans:task_edit", pk=target.task_id)
