"""Thin HTML views for plans: parse input, call one service or selector, render."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxday.core.errors import DomainError, NotFound
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import can

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
from .models import Campaign, CampaignWindow, Indicator, KeyDate, Plan, Task, TaskTarget


def _errors(view):
    """NotFound is a plain 404; any other DomainError is shown as its sentence."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404 from exc
        except DomainError as exc:
            if exc.status == 404:
                raise Http404 from exc
            return render(request, "plans/error.html", {"message": exc.message}, status=exc.status)

    return wrapper


def _need(request, action: str) -> None:
    if not request.actor.has_action(action):
        raise DomainError(
            _("Vai trò của bạn không được phép thực hiện thao tác này."),
            code="forbidden",
            status=403,
        )


def _id(value) -> int | None:
    """A small positive integer from user input, else None (never a 500 on huge numbers)."""
    value = str(value or "")
    return int(value) if value.isdigit() and len(value) <= 9 else None


def _campaign_from(request) -> Campaign | None:
    year = _id(request.GET.get("nam"))
    if year:
        return Campaign.objects.filter(year=year).first()
    return selectors.campaign_current()


# --- Campaigns --------------------------------------------------------------------------------


@login_required
@_errors
def campaign_list(request):
    return render(
        request,
        "plans/campaign_list.html",
        {
            "campaigns": selectors.campaign_list(),
            "can_manage": selectors.campaign_manage_allowed(request.actor),
        },
    )


@login_required
@_errors
def campaign_detail(request, year: int):
    campaign = selectors.campaign_by_year(year)
    return render(
        request,
        "plans/campaign_detail.html",
        {"campaign": campaign, "can_manage": selectors.campaign_manage_allowed(request.actor)},
    )


@login_required
@_errors
def campaign_edit(request, year: int | None = None):
    actor = request.actor
    if not selectors.campaign_manage_allowed(actor):
        raise DomainError(
            _("Chỉ cơ quan điều phối quốc gia được sửa chiến dịch."), code="forbidden", status=403
        )
    campaign = selectors.campaign_by_year(year) if year else Campaign()
    data = request.POST if request.method == "POST" else None
    form = CampaignForm(data, instance=campaign)
    windows = WindowFormSet(data, instance=campaign, prefix="w")
    key_dates = KeyDateFormSet(data, instance=campaign, prefix="k")
    if data is not None and form.is_valid() and windows.is_valid() and key_dates.is_valid():
        try:
            with transaction.atomic():
                _campaign_save(actor, campaign, form, windows, key_dates)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã lưu chiến dịch."))
            return redirect("plans:campaign_detail", year=form.cleaned_data.get("year") or year)
    return render(
        request,
        "plans/campaign_form.html",
        {"form": form, "windows": windows, "key_dates": key_dates, "campaign": campaign},
    )


def _campaign_save(actor, campaign, form, windows, key_dates) -> None:
    fields = {k: v for k, v in form.cleaned_data.items() if k != "year"}
    if campaign.pk:
        # The bound form already wrote its values onto `campaign`: hand the service a fresh row
        # so that its audit diff (and any rule on the old value) sees the real "before".
        fresh = Campaign.objects.get(pk=campaign.pk)
        campaign = services.campaign_update(campaign=fresh, by=actor, **fields)
    else:
        campaign = services.campaign_create(by=actor, year=form.cleaned_data["year"], **fields)
    for f in windows.forms:
        if not f.has_changed() and not f.instance.pk:
            continue
        if f.cleaned_data.get("DELETE"):
            if f.instance.pk:
                services.campaign_window_delete(window=f.instance, by=actor)
            continue
        d = f.cleaned_data
        services.campaign_window_save(
            campaign=campaign,
            by=actor,
            window=CampaignWindow.objects.get(pk=f.instance.pk) if f.instance.pk else None,
            kind=d["kind"],
            name=d["name"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
        )
    for f in key_dates.forms:
        if not f.has_changed() and not f.instance.pk:
            continue
        if f.cleaned_data.get("DELETE"):
            if f.instance.pk:
                services.key_date_delete(key_date=f.instance, by=actor)
            continue
        d = f.cleaned_data
        services.key_date_save(
            campaign=campaign,
            by=actor,
            key_date=KeyDate.objects.get(pk=f.instance.pk) if f.instance.pk else None,
            kind=d["kind"],
            name=d["name"],
            date=d["date"],
            note=d.get("note", ""),
        )


# --- Plans ------------------------------------------------------------------------------------


@login_required
@_errors
def plan_list(request):
    actor = request.actor
    _need(request, "plans.view")
    campaign = _campaign_from(request)
    return render(
        request,
        "plans/plan_list.html",
        {
            "plans": selectors.plan_list_for_actor(actor, campaign=campaign),
            "campaign": campaign,
            "campaigns": Campaign.objects.order_by("-year").values_list("year", flat=True),
            "can_create": actor.has_action("plans.manage"),
            "can_cascade": actor.has_action("plans.cascade"),
        },
    )


@login_required
@_errors
def plan_create(request):
    actor = request.actor
    _need(request, "plans.manage")
    form = PlanForm(request.POST or None, initial={"campaign": selectors.campaign_current()})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                organisation=actor.organisation, by=actor, **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã tạo kế hoạch."))
            return redirect("plans:plan_detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form})


@login_required
@_errors
def plan_edit(request, pk: int):
    actor = request.actor
    plan = selectors.get_plan_for_user(actor, pk)
    if not can(actor, "plans.manage", plan.organisation):
        raise NotFound()
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "campaign"}
        try:
            services.plan_update(plan=Plan.objects.get(pk=plan.pk), by=actor, **fields)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã lưu kế hoạch."))
            return redirect("plans:plan_detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan})


@login_required
@_errors
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
            "can_cascade": actor.has_action("plans.cascade")
            and actor.organisation is not None
            and actor.organisation.pk != plan.organisation_id
            and actor.organisation.path.startswith(plan.organisation.path),
        },
    )


@login_required
@_errors
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
@_errors
def task_create(request, pk: int):
    actor = request.actor
    plan = selectors.get_plan_for_user(actor, pk)
    if not can(actor, "plans.manage", plan.organisation):
        raise NotFound()
    form = TaskForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(plan=plan, by=actor, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã thêm nhiệm vụ. Hãy chọn đơn vị thực hiện."))
            return redirect("plans:task_edit", pk=task.pk)
    return render(request, "plans/task_form.html", {"form": form, "plan": plan})


@login_required
@_errors
def task_edit(request, pk: int):
    actor = request.actor
    task = selectors.get_task_for_user(actor, pk)
    if not can(actor, "plans.manage", task.plan.organisation):
        raise NotFound()
    form = TaskForm(request.POST or None, instance=task, plan=task.plan)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        indicators = data.pop("indicators")
        if data.get("order") is None:
            data.pop("order", None)
        try:
            fresh = Task.objects.select_related("plan__organisation").get(pk=task.pk)
            services.task_update(task=fresh, by=actor, indicators=indicators, **data)
        except DomainError as exc:
            form.add_error(None, exc.message)
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
            "targets": task.targets.select_related("organisation"),
            "target_form": TargetForm(),
            "assigned": task.assignments.count(),
        },
    )


@login_required
@require_POST
@_errors
def target_add(request, pk: int):
    actor = request.actor
    task = selectors.get_task_for_user(actor, pk)
    form = TargetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn nhóm đơn vị và vai trò."))
        return redirect("plans:task_edit", pk=task.pk)
    code = form.cleaned_data["organisation"].strip()
    organisation = None
    if code:
        organisation = Organisation.objects.filter(code=code).first()
        if organisation is None:
            messages.error(request, _("Không tìm thấy đơn vị có mã “%(code)s”.") % {"code": code})
            return redirect("plans:task_edit", pk=task.pk)
    elif form.cleaned_data["group"] not in (
        TaskTarget.Group.MINISTRIES,
        TaskTarget.Group.PROVINCES,
    ):
        organisation = task.plan.organisation
    try:
        with transaction.atomic():
            services.task_target_add(
                task=task,
                by=actor,
                group=form.cleaned_data["group"],
                role=form.cleaned_data["role"],
                organisation=organisation,
            )
            created = services.task_assign(task=task, by=actor)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã giao nhiệm vụ thêm cho %(n)s đơn vị.") % {"n": created})
    return redirect("plans:task_edit", pk=task.pk)


@login_required
@require_POST
@_errors
def target_remove(request, pk: int):
    actor = request.actor
    target = TaskTarget.objects.select_related("task").filter(pk=pk).first()
    if target is None:
        raise NotFound()
    task = selectors.get_task_for_user(actor, target.task_id)
    try:
        services.task_target_remove(target=target, by=actor)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã bỏ nhóm đơn vị."))
    return redirect("plans:task_edit", pk=task.pk)


# --- Cascade ----------------------------------------------------------------------------------


@login_required
@_errors
def plan_cascade(request):
    """Pick a plan from above, adapt its tasks, choose groups of the own subtree: one submit."""
    actor = request.actor
    _need(request, "plans.cascade")
    candidates = selectors.plan_cascade_candidates(actor)
    parent_id = request.POST.get("parent") or request.GET.get("parent")
    parent = None
    if parent_id:
        parent = candidates.filter(pk=_id(parent_id) or 0).first()
        if parent is None:
            raise NotFound()
    if parent is None:
        return render(request, "plans/cascade_pick.html", {"candidates": candidates})
    parent_tasks: list[Task] = list(parent.tasks.select_related("window").order_by("order", "id"))
    initial = {
        "title": f"{parent.title} — {actor.organisation.name}",
        "groups": [g for g, _label in selectors.cascade_targets_for(actor.organisation)],
    }
    form = CascadeForm(request.POST or None, parent_tasks=parent_tasks, initial=initial)
    if request.method == "POST" and form.is_valid():
        specs = form.task_specs()
        groups = [{"group": g, "role": "lead"} for g in form.cleaned_data["groups"]]
        try:
            plan = services.plan_cascade(
                parent_plan=parent,
                organisation=actor.organisation,
                by=actor,
                title=form.cleaned_data["title"],
                number=form.cleaned_data["number"],
                tasks=specs,
                groups=groups,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã ban hành kế hoạch và giao nhiệm vụ."))
            return redirect("plans:plan_detail", pk=plan.pk)
    return render(request, "plans/cascade_form.html", {"form": form, "parent": parent})


# --- Unit workspace ---------------------------------------------------------------------------


@login_required
@_errors
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


@login_required
@_errors
def chase(request):
    """One page: the units of my subtree that have not reported, with a Remind action."""
    actor = request.actor
    _need(request, "plans.chase")
    campaign = _campaign_from(request)
    only_late = request.GET.get("qua_han") == "1"
    if request.method == "POST":
        ids = [i for i in map(_id, request.POST.getlist("unit")) if i]
        chosen = list(
            selectors.chase_assignments_of_units(actor, ids, campaign=campaign, only_late=only_late)
        )
        try:
            n = services.reminders_enqueue(assignments=chosen, by=actor)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Đã gửi nhắc nhở tới %(units)s đơn vị (%(n)s nhiệm vụ).")
                % {"units": len({a.organisation_id for a in chosen}), "n": n},
            )
        return redirect(request.get_full_path())
    kinds = dict(Organisation.Kind.choices)
    kind = request.GET.get("cap") if request.GET.get("cap") in kinds else None
    page = Paginator(
        selectors.chase_units(actor, campaign=campaign, only_late=only_late, kind=kind), 200
    ).get_page(request.GET.get("trang"))
    units = list(page.object_list)
    for row in units:
        row["kind_label"] = kinds.get(row["organisation__kind"], "")
    return render(
        request,
        "plans/chase.html",
        {
            "units": units,
            "page": page,
            "campaign": campaign,
            "only_late": only_late,
            "kind": kind,
            "kinds": Organisation.Kind.choices,
        },
    )


@login_required
@_errors
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
@_errors
def indicator_list(request):
    _need(request, "plans.view")
    return render(
        request,
        "plans/indicator_list.html",
        {
            "indicators": Indicator.objects.select_related("part_of"),
            "can_manage": selectors.campaign_manage_allowed(request.actor),
        },
    )


@login_required
@_errors
def indicator_edit(request, pk: int | None = None):
    actor = request.actor
    if not selectors.campaign_manage_allowed(actor):
        raise DomainError(
            _("Chỉ cơ quan điều phối quốc gia được sửa danh mục chỉ tiêu."),
            code="forbidden",
            status=403,
        )
    indicator = Indicator.objects.filter(pk=pk).first() if pk else None
    if pk and indicator is None:
        raise NotFound()
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_save(
                by=actor,
                indicator=Indicator.objects.get(pk=pk) if pk else None,
                **form.cleaned_data,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã lưu chỉ tiêu."))
            return redirect("plans:indicator_list")
    return render(request, "plans/indicator_form.html", {"form": form, "indicator": indicator})
