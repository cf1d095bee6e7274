"""Thin HTML views for plans: parse input, call one service or selector, render.

Errors fail one way: a DomainError a view lets through becomes the message page (NotFound the
plain 404) in `core.middleware.DomainErrorMiddleware`. A single object comes only from a
`get_<thing>_for_user` selector (404 for missing and forbidden alike); an action the role may
not perform on a visible object is a 403 from `ensure_can` / `ensure_action`. Forms still catch
a DomainError to show it beside their fields; that is rendering.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxday.core.errors import DomainError
from dxday.core.params import int_param, page_param
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import can, ensure_action, ensure_can

from . import selectors, services
from .forms import (
    CampaignForm,
    CascadeForm,
    IndicatorForm,
    KeyDateFormSet,
    PlanForm,
    TargetForm,
    TaskForm,
    WindowFormSet,
)
from .models import Campaign
from .permissions import campaign_manage_allowed, ensure_campaign_manage, plan_cascade_allowed


def _campaign_from(request) -> Campaign | None:
    return selectors.campaign_chosen(int_param(request.GET.get("nam"), minimum=1900, maximum=9999))


def _form_error(form, exc: DomainError) -> None:
    """Show a service's sentence beside its field when the form has that field."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _formset_rows(formset, fields: tuple[str, ...]) -> list[dict]:
    """A valid inline formset as plain rows for a service: {"id", "delete", **fields}."""
    rows = []
    for f in formset.forms:
        if not f.has_changed() and not f.instance.pk:
            continue
        d = f.cleaned_data
        rows.append(
            {"id": f.instance.pk, "delete": bool(d.get("DELETE"))} | {k: d.get(k) for k in fields}
        )
    return rows


# --- Campaigns --------------------------------------------------------------------------------


@login_required
def campaign_list(request):
    return render(
        request,
        "plans/campaign_list.html",
        {
            "campaigns": selectors.campaign_list(),
            "can_manage": campaign_manage_allowed(request.actor),
        },
    )


@login_required
def campaign_detail(request, year: int):
    campaign = selectors.campaign_by_year(year)
    return render(
        request,
        "plans/campaign_detail.html",
        {"campaign": campaign, "can_manage": campaign_manage_allowed(request.actor)},
    )


@login_required
@require_POST
def campaign_publish(request, year: int):
    """Publish a draft campaign: from now on the portal and the public API show it."""
    ensure_campaign_manage(request.actor)
    campaign = selectors.campaign_by_year(year)
    try:
        services.campaign_publish(campaign=campaign, by=request.actor)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã công bố chiến dịch; cổng thông tin đã hiển thị."))
    return redirect("plans:campaign_detail", year=year)


@login_required
def campaign_delete(request, year: int):
    """Delete a draft campaign, after a confirmation page (GET asks, POST deletes)."""
    ensure_campaign_manage(request.actor)
    campaign = selectors.campaign_by_year(year)
    if request.method == "POST":
        try:
            services.campaign_delete(campaign=campaign, by=request.actor)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("plans:campaign_detail", year=year)
        messages.success(request, _("Đã xóa bản nháp chiến dịch năm %(year)s.") % {"year": year})
        return redirect("plans:campaign_list")
    return render(request, "plans/campaign_delete.html", {"campaign": campaign})


@login_required
def campaign_edit(request, year: int | None = None):
    actor = request.actor
    ensure_campaign_manage(actor)
    campaign = selectors.campaign_by_year(year) if year else None
    data = request.POST if request.method == "POST" else None
    # The bound form writes its values onto its instance: give it a copy, so the service's
    # audit diff sees the real "before".
    form = CampaignForm(data, instance=copy.copy(campaign) if campaign else Campaign())
    parent = campaign or Campaign()
    windows = WindowFormSet(data, instance=parent, prefix="w")
    key_dates = KeyDateFormSet(data, instance=parent, prefix="k")
    if data is not None and form.is_valid() and windows.is_valid() and key_dates.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "year"}
        try:
            saved = services.campaign_save(
                by=actor,
                campaign=campaign,
                year=form.cleaned_data.get("year"),
                fields=fields,
                windows=_formset_rows(windows, ("kind", "name", "starts_on", "ends_on")),
                key_dates=_formset_rows(key_dates, ("kind", "name", "date", "note")),
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Đã lưu chiến dịch."))
            return redirect("plans:campaign_detail", year=saved.year)
    return render(
        request,
        "plans/campaign_form.html",
        {"form": form, "windows": windows, "key_dates": key_dates, "campaign": parent},
    )


# --- Plans ------------------------------------------------------------------------------------


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
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "tasks": tasks,
            "can_manage": can(actor, "plans.manage", plan.organisation),
            "can_review": can(actor, "activities.review", plan.organisation),
            "can_cascade": plan_cascade_allowed(actor, plan),
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


# --- Tasks and targets ------------------------------------------------------------------------


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


# --- Cascade ----------------------------------------------------------------------------------


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


# --- Unit workspace ---------------------------------------------------------------------------


@login_required
def my_tasks(request):
    actor = request.actor
    campaign = _campaign_from(request)
    return render(
        request,
        "plans/my_tasks.html",
        {
            "assignments": selectors.assignment_list_for_unit(actor, campaign=campaign),
            "campaign": campaign,
            "can_report": actor.has_action("activities.report"),
            "unread": selectors.notification_unread_count(actor),
        },
    )


def _chase_filters(data) -> dict:
    """The chase page's filters, from the query string or the form that carries them on."""
    kinds = dict(Organisation.Kind.choices)
    return {
        "only_late": data.get("qua_han") == "1",
        "kind": data.get("cap") if data.get("cap") in kinds else None,
        "q": (data.get("q") or "").strip()[:100] or None,
    }


CHASE_PAGE_SIZE = 50


@login_required
def chase(request):
    """The units of my subtree that have not reported, searchable and paginated, with a Remind
    action in two steps: choose (nothing is chosen at first), then confirm the count."""
    actor = request.actor
    ensure_action(actor, "plans.chase")
    campaign = _campaign_from(request)
    if request.method == "POST":
        return _chase_post(request, actor, campaign)
    filters = _chase_filters(request.GET)
    kinds = dict(Organisation.Kind.choices)
    page = Paginator(
        selectors.chase_units(actor, campaign=campaign, **filters), CHASE_PAGE_SIZE
    ).get_page(page_param(request.GET.get("trang")))
    units = list(page.object_list)
    for row in units:
        row["kind_label"] = kinds.get(row["organisation__kind"], "")
    query = {
        "nam": campaign.year if campaign else None,
        "qua_han": "1" if filters["only_late"] else None,
        "cap": filters["kind"],
        "q": filters["q"],
    }
    return render(
        request,
        "plans/chase.html",
        {
            "units": units,
            "page": page,
            "campaign": campaign,
            **filters,
            "kinds": Organisation.Kind.choices,
            "query": urlencode({k: v for k, v in query.items() if v}),
        },
    )


def _chase_post(request, actor, campaign):
    """Step 1 (no `xac_nhan`): show "Gửi N nhắc nhở cho M đơn vị?". Step 2: queue them."""
    filters = _chase_filters(request.POST)
    everything = request.POST.get("tat_ca") == "1"
    ids = (
        None
        if everything
        else [i for i in (int_param(v) for v in request.POST.getlist("unit")) if i]
    )
    if request.POST.get("xac_nhan") == "1":
        try:
            units, n = services.reminders_enqueue_for_units(
                by=actor, organisation_ids=ids, campaign=campaign, **filters
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Đã gửi nhắc nhở tới %(units)s đơn vị (%(n)s nhiệm vụ).")
                % {"units": units, "n": n},
            )
        return redirect(request.get_full_path())
    counts = selectors.chase_assignments_of_units(
        actor, ids, campaign=campaign, **filters
    ).aggregate(n=Count("pk"), units=Count("organisation", distinct=True))
    if not counts["n"]:
        messages.error(request, _("Hãy chọn ít nhất một đơn vị để nhắc."))
        return redirect(request.get_full_path())
    return render(
        request,
        "plans/chase_confirm.html",
        {
            "n": counts["n"],
            "units": counts["units"],
            "ids": ids or [],
            "everything": everything,
            "campaign": campaign,
            **filters,
        },
    )


@login_required
def notifications(request):
    actor = request.actor
    if request.method == "POST" and actor.organisation is not None:
        services.notifications_mark_read(organisation=actor.organisation, by=actor)
        return redirect("plans:notifications")
    return render(
        request,
        "plans/notifications.html",
        {"notifications": selectors.notification_list_for_actor(actor)[:100]},
    )


@login_required
def notification_badge(request):
    """htmx fragment: the unread count of the acting unit."""
    return render(
        request,
        "plans/_badge.html",
        {"unread": selectors.notification_unread_count(request.actor)},
    )


# --- Indicator catalogue ----------------------------------------------------------------------


@login_required
def indicator_list(request):
    ensure_action(request.actor, "plans.view")
    return render(
        request,
        "plans/indicator_list.html",
        {
            "indicators": selectors.indicator_list(),
            "can_manage": campaign_manage_allowed(request.actor),
        },
    )


@login_required
def indicator_edit(request, pk: int | None = None):
    actor = request.actor
    ensure_campaign_manage(actor, catalogue=True)
    indicator = selectors.get_indicator(pk) if pk else None
    form = IndicatorForm(request.POST or None, instance=copy.copy(indicator))
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_save(by=actor, indicator=indicator, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Đã lưu chỉ tiêu."))
            return redirect("plans:indicator_list")
    return render(request, "plans/indicator_form.html", {"form": form, "indicator": indicator})
