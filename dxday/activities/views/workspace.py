"""The unit workspace: my tasks, the report form, review steps, evidence, results."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxday.core.audit import audit_trail
from dxday.core.errors import DomainError, NotFound
from dxday.core.params import int_param, page_param
from dxday.orgs.permissions import ensure_action

from .. import selectors, services
from ..forms import (
    ActivityForm,
    ReturnForm,
)
from ..models import Activity
from ..permissions import (
    activity_editable_by,
    activity_reviewable_by,
    activity_unpublishable_by,
    ensure_any_action,
)
from ._common import CATEGORY_TYPES, PAGE_SIZE, _flash, _form_error

# --- unit workspace --------------------------------------------------------------------------


@login_required
def mine(request):
    """My assignments to report on, and my unit's activities."""
    actor = request.actor
    ensure_action(actor, "activities.view")
    assignments = list(selectors.assignments_for_unit(actor))
    activities = Paginator(
        selectors.activity_list_for_actor(actor, own_only=True), PAGE_SIZE
    ).get_page(page_param(request.GET.get("trang")))
    return render(
        request,
        "activities/mine.html",
        {"assignments": assignments, "activities": activities},
    )


@login_required
def create(request):
    """Report an activity against one of my assignments (or on my own initiative)."""
    actor = request.actor
    ensure_action(actor, "activities.report")
    assignment = None
    raw = request.GET.get("phan_cong") or request.POST.get("phan_cong")
    if raw:
        pk = int_param(raw)
        if pk is None:
            raise NotFound()
        assignment = selectors.get_assignment_for_reporting(actor, pk)
    org = actor.organisation
    initial = {"commune": org.commune_id} if org else {}
    if assignment is not None:
        initial["type"] = CATEGORY_TYPES.get(assignment.task.category, "other")
    kind = request.POST.get("type") or request.GET.get("type") or initial.get("type")
    indicators = selectors.indicators_for_activity(None, assignment, type=kind)
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        indicators=indicators,
        province_id=org.province_id if org else None,
        initial=initial,
        switch_indicators=assignment is None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                by=actor,
                assignment=assignment,
                data=form.activity_data(),
                values=form.values(),
                evidence=request.FILES.getlist("evidence"),
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Đã lưu bản nháp. Kiểm tra lại rồi bấm “Gửi duyệt”."))
            return redirect("activities:detail", pk=activity.pk)
    return render(
        request,
        "activities/form.html",
        {"form": form, "assignment": assignment, "activity": None},
    )


@login_required
def edit(request, pk: int):
    actor = request.actor
    activity = selectors.get_activity_for_user(actor, pk, action="activities.report")
    if not activity.is_editable:
        return _locked(request, activity)
    indicators = selectors.indicators_for_activity(activity, None, type=request.POST.get("type"))
    current = {iv.indicator.code: iv.value for iv in selectors.activity_values(activity)}
    initial = {
        "title": activity.title,
        "type": activity.type,
        "starts_on": activity.starts_on,
        "ends_on": activity.ends_on,
        "commune": activity.commune_id,
        "is_online": activity.is_online,
        "description": activity.description,
        "links": activity.links,
        **{f"ind_{code}": value for code, value in current.items()},
    }
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        indicators=indicators,
        province_id=activity.province_id,
        initial=initial,
        switch_indicators=activity.assignment_id is None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(
                activity=activity,
                by=actor,
                data=form.activity_data(),
                values=form.values(),
                evidence=request.FILES.getlist("evidence"),
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("activities:detail", pk=activity.pk)
    return render(
        request,
        "activities/form.html",
        {"form": form, "assignment": activity.assignment, "activity": activity},
    )


@login_required
def indicator_fields(request):
    """htmx fragment: the figure fields of the activity type chosen in the report form."""
    ensure_action(request.actor, "activities.report")
    kind = request.GET.get("type")
    activity = None
    pk = int_param(request.GET.get("hoat_dong"))
    if pk is not None:
        activity = selectors.get_activity_for_user(request.actor, pk, action="activities.report")
    form = ActivityForm(indicators=selectors.indicators_for_activity(activity, None, type=kind))
    return render(request, "activities/_indicators.html", {"form": form})


def _locked(request, activity: Activity):
    """An accepted (locked) or pending report: no edit form, but why, and what to do. A POST is
    refused (409) with a sentence, and what the person typed is shown back so nothing is lost
    silently."""
    posted = []
    if request.method == "POST":
        fields = (
            ("title", _("Tên hoạt động")),
            ("description", _("Mô tả")),
            ("links", _("Đường dẫn")),
        )
        posted = [(label, request.POST.get(name, "")) for name, label in fields]
        posted = [(label, value) for label, value in posted if value.strip()]
    return render(
        request,
        "activities/locked.html",
        {"activity": activity, "posted": posted, "refused": request.method == "POST"},
        status=409 if request.method == "POST" else 200,
    )


@login_required
def detail(request, pk: int):
    actor = request.actor
    activity = selectors.get_activity_for_user(actor, pk)
    return render(
        request,
        "activities/detail.html",
        {
            "activity": activity,
            "values": selectors.activity_values(activity, reported_only=True),
            "evidence": list(activity.evidence.all()),
            "trail": audit_trail(activity)[:30],
            "can_edit": activity_editable_by(actor, activity),
            "can_review": activity_reviewable_by(actor, activity),
            "can_unpublish": activity_unpublishable_by(actor, activity),
            "return_form": ReturnForm(),
        },
    )


def _step(request, pk: int, do, done: str):
    """One step of the report flow on a visible activity; a refused step is a message."""
    activity = selectors.get_activity_for_user(request.actor, pk)
    try:
        do(activity)
    except DomainError as exc:
        _flash(request, exc)
    else:
        messages.success(request, done)
    if request.POST.get("next") == "review":
        return redirect("activities:review")
    return redirect("activities:detail", pk=pk)


@login_required
@require_POST
def submit(request, pk: int):
    return _step(
        request,
        pk,
        lambda a: services.activity_submit(activity=a, by=request.actor),
        _("Đã gửi báo cáo để cấp trên duyệt."),
    )


@login_required
@require_POST
def accept(request, pk: int):
    return _step(
        request,
        pk,
        lambda a: services.activity_accept(activity=a, by=request.actor),
        _("Đã duyệt báo cáo; hoạt động được công khai trên cổng thông tin."),
    )


@login_required
@require_POST
def return_(request, pk: int):
    reason = request.POST.get("reason", "")
    return _step(
        request,
        pk,
        lambda a: services.activity_return(activity=a, by=request.actor, reason=reason),
        _("Đã trả lại báo cáo kèm lý do."),
    )


@login_required
@require_POST
def unpublish(request, pk: int):
    reason = request.POST.get("reason", "")
    return _step(
        request,
        pk,
        lambda a: services.activity_unpublish(activity=a, by=request.actor, reason=reason),
        _("Đã ngừng công khai hoạt động."),
    )


@login_required
def subtree(request):
    """Every report of the units below me, filtered by status (coordinators)."""
    ensure_action(request.actor, "activities.review")
    status = request.GET.get("trang_thai")
    if status not in Activity.Status.values:
        status = None
    qs = selectors.activity_list_below(request.actor, status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(page_param(request.GET.get("trang")))
    return render(
        request,
        "activities/subtree.html",
        {
            "page": page,
            "status": status or "",
            "statuses": Activity.Status.choices,
            "query": f"trang_thai={status}" if status else "",
        },
    )


@login_required
def published(request):
    """Published activities of the subtree, for moderators and coordinators to unpublish."""
    ensure_any_action(request.actor, "activities.moderate", "activities.review")
    qs = selectors.published_list_for_actor(request.actor)
    page = Paginator(qs, PAGE_SIZE).get_page(page_param(request.GET.get("trang")))
    return render(request, "activities/published.html", {"page": page})


@login_required
def review(request):
    """Submitted reports of my subtree, oldest first, to accept or return."""
    ensure_action(request.actor, "activities.review")
    page = Paginator(selectors.review_queue(request.actor), PAGE_SIZE).get_page(
        page_param(request.GET.get("trang"))
    )
    return render(request, "activities/review.html", {"page": page, "return_form": ReturnForm()})


@login_required
@require_POST
def evidence_delete(request, pk: int):
    item = selectors.get_evidence_for_user(request.actor, pk)
    try:
        services.evidence_remove(evidence=item, by=request.actor)
    except DomainError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Đã xóa tệp minh chứng."))
    return redirect("activities:detail", pk=item.activity_id)


def evidence(request, pk: int):
    """Serve one evidence file: images as their verified type, PDFs as a download. Never HTML."""
    actor = request.actor if request.user.is_authenticated else None
    item = selectors.evidence_for_view(actor, pk)
    is_pdf = item.content_type == "application/pdf"
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=is_pdf,
        filename=f"minh-chung-{item.pk}{'.pdf' if is_pdf else ''}",
    )
    if not is_pdf:
        response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = (
        "public, max-age=3600" if item.activity.is_published else "private, no-store"
    )
    return response


@login_required
def task_results_index(request):
    """The tasks whose results the actor may read, newest campaign first."""
    ensure_action(request.actor, "activities.view")
    page = Paginator(selectors.tasks_for_results(request.actor), PAGE_SIZE).get_page(
        page_param(request.GET.get("trang"))
    )
    return render(request, "activities/task_results_index.html", {"page": page})


@login_required
def task_results(request, pk: int):
    """Figures of a task with every task cascaded from it (the national view of child results)."""
    ensure_action(request.actor, "activities.view")
    task = selectors.get_task_for_results(request.actor, pk)
    return render(
        request,
        "activities/task_results.html",
        {"task": task, "results": selectors.task_results(task)},
    )
