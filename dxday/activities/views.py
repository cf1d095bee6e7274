"""Thin HTML views: parse input, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxday.core.audit import audit_trail
from dxday.core.errors import DomainError, NotFound
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import ensure_can
from dxday.plans.models import Task

from . import exchange, selectors, services
from .forms import (
    ActivityForm,
    ImportForm,
    MilestoneForm,
    OfferForm,
    RejectForm,
    ReturnForm,
    SectorForm,
)
from .models import Activity, Evidence, Offer, Sector

# The activity type a task's category suggests (the reporter may change it).
CATEGORY_TYPES = {
    "communication": "communication",
    "radio": "radio",
    "event": "event",
    "learning": "learning",
    "door_to_door": "door_to_door",
    "sector": "initiative",
    "contest": "contest",
    "awards": "event",
    "offers": "initiative",
}


def _not_found(fn):
    """Show the same 404 for missing and forbidden objects."""

    def wrapper(request, *args, **kwargs):
        try:
            return fn(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


def _require(request, action: str) -> None:
    if not request.actor.has_action(action):
        raise Http404(_("Không tìm thấy."))


# --- unit workspace --------------------------------------------------------------------------


@login_required
def mine(request):
    """My assignments to report on, and my unit's activities."""
    _require(request, "activities.view")
    actor = request.actor
    assignments = list(selectors.assignments_for_unit(actor))
    activities = Paginator(selectors.activity_list_for_actor(actor, own_only=True), 50).get_page(
        request.GET.get("trang")
    )
    return render(
        request,
        "activities/mine.html",
        {"assignments": assignments, "activities": activities},
    )


def _save_evidence(request, activity, actor) -> bool:
    ok = True
    for upload in request.FILES.getlist("evidence"):
        try:
            services.evidence_add(activity=activity, by=actor, upload=upload)
        except DomainError as exc:
            messages.error(request, exc.message)
            ok = False
    return ok


@login_required
@_not_found
def create(request):
    """Report an activity against one of my assignments (or on my own initiative)."""
    _require(request, "activities.report")
    actor = request.actor
    assignment = None
    if request.GET.get("phan_cong") or request.POST.get("phan_cong"):
        pk = request.GET.get("phan_cong") or request.POST.get("phan_cong")
        if not str(pk).isdigit():
            raise NotFound()
        assignment = selectors.get_assignment_for_reporting(actor, int(pk))
    indicators = selectors.indicators_for_activity(None, assignment)
    org = actor.organisation
    initial = {"commune": org.commune_id} if org else {}
    if assignment is not None:
        initial["type"] = CATEGORY_TYPES.get(assignment.task.category, "other")
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        indicators=indicators,
        province_id=org.province_id if org else None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                activity = services.activity_create(
                    by=actor,
                    assignment=assignment,
                    data=form.activity_data(),
                    values=form.values(),
                )
                for upload in request.FILES.getlist("evidence"):
                    services.evidence_add(activity=activity, by=actor, upload=upload)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Đã lưu bản nháp. Kiểm tra lại rồi bấm “Gửi duyệt”."))
            return redirect("activities:detail", pk=activity.pk)
    return render(
        request,
        "activities/form.html",
        {"form": form, "assignment": assignment, "activity": None},
    )


@login_required
@_not_found
def edit(request, pk: int):
    actor = request.actor
    activity = selectors.get_activity_for_user(actor, pk)
    indicators = selectors.indicators_for_activity(activity, None)
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
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.activity_update(
                    activity=activity, by=actor, data=form.activity_data(), values=form.values()
                )
                for upload in request.FILES.getlist("evidence"):
                    services.evidence_add(activity=activity, by=actor, upload=upload)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("activities:detail", pk=activity.pk)
    return render(
        request,
        "activities/form.html",
        {"form": form, "assignment": activity.assignment, "activity": activity},
    )


@login_required
@_not_found
def detail(request, pk: int):
    actor = request.actor
    activity = selectors.get_activity_for_user(actor, pk)
    can_review = (
        activity.status == Activity.Status.SUBMITTED
        and actor.has_action("activities.review")
        and (actor.is_operator or actor.organisation_id != activity.organisation_id)
    )
    return render(
        request,
        "activities/detail.html",
        {
            "activity": activity,
            "values": selectors.activity_values(activity),
            "evidence": list(activity.evidence.all()),
            "trail": audit_trail(activity)[:30],
            "can_edit": activity.is_editable and actor.has_action("activities.report"),
            "can_review": can_review,
            "can_unpublish": activity.is_published
            and (actor.has_action("activities.moderate") or can_review or actor.is_operator),
            "return_form": ReturnForm(),
        },
    )


def _step(request, pk: int, do, done: str):
    try:
        activity = selectors.get_activity_for_user(request.actor, pk)
        do(activity)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    nxt = request.POST.get("next")
    if nxt == "review":
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
    return _step(
        request,
        pk,
        lambda a: services.activity_unpublish(
            activity=a, by=request.actor, reason=request.POST.get("reason", "")
        ),
        _("Đã ngừng công khai hoạt động."),
    )


@login_required
def subtree(request):
    """Every report of the units below me, filtered by status (coordinators)."""
    _require(request, "activities.review")
    status = request.GET.get("trang_thai")
    if status not in Activity.Status.values:
        status = None
    qs = selectors.activity_list_for_actor(request.actor, status=status)
    if not request.actor.is_operator:
        qs = qs.exclude(organisation_id=request.actor.organisation_id)
    page = Paginator(qs, 50).get_page(request.GET.get("trang"))
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
    if not (
        request.actor.has_action("activities.moderate")
        or request.actor.has_action("activities.review")
    ):
        raise Http404(_("Không tìm thấy."))
    qs = selectors.activity_list_for_actor(request.actor).filter(is_published=True)
    page = Paginator(qs, 50).get_page(request.GET.get("trang"))
    return render(request, "activities/published.html", {"page": page})


@login_required
def review(request):
    """Submitted reports of my subtree, oldest first, to accept or return."""
    _require(request, "activities.review")
    page = Paginator(selectors.review_queue(request.actor), 50).get_page(request.GET.get("trang"))
    return render(request, "activities/review.html", {"page": page, "return_form": ReturnForm()})


@login_required
@require_POST
def evidence_delete(request, pk: int):
    item = Evidence.objects.select_related("activity").filter(pk=pk).first()
    if item is None:
        raise Http404
    try:
        selectors.get_activity_for_user(request.actor, item.activity_id)
        services.evidence_remove(evidence=item, by=request.actor)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xóa tệp minh chứng."))
    return redirect("activities:detail", pk=item.activity_id)


def evidence(request, pk: int):
    """Serve one evidence file: images as their verified type, PDFs as a download. Never HTML."""
    actor = request.actor if request.user.is_authenticated else None
    try:
        item = selectors.evidence_for_view(actor, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
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
    _require(request, "activities.view")
    page = Paginator(selectors.tasks_for_results(request.actor), 50).get_page(
        request.GET.get("trang")
    )
    return render(request, "activities/task_results_index.html", {"page": page})


@login_required
@_not_found
def task_results(request, pk: int):
    """Figures of a task with every task cascaded from it (the national view of child results)."""
    _require(request, "activities.view")
    task = Task.objects.select_related("plan__organisation", "plan__campaign").filter(pk=pk).first()
    if task is None:
        raise NotFound()
    ensure_can(request.actor, "activities.view", task.plan.organisation)
    return render(
        request,
        "activities/task_results.html",
        {"task": task, "results": selectors.task_results(task)},
    )


# --- state-management areas ------------------------------------------------------------------


@login_required
def sectors(request):
    actor = request.actor
    if not (actor.has_action("activities.view") or actor.has_action("sectors.manage")):
        raise Http404(_("Không tìm thấy."))
    org = actor.organisation
    is_ministry = org is not None and org.kind == Organisation.Kind.MINISTRY
    form = SectorForm(request.POST or None) if is_ministry else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.sector_create(by=actor, organisation=org, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã thêm lĩnh vực."))
            return redirect("activities:sectors")
    return render(
        request,
        "activities/sectors.html",
        {
            "overview": selectors.sector_overview(actor),
            "form": form,
            "milestone_form": MilestoneForm(),
            "min_sectors": selectors.MIN_SECTORS,
            "can_manage": actor.has_action("sectors.manage"),
        },
    )


@login_required
@require_POST
def sector_progress(request, pk: int):
    sector = Sector.objects.select_related("organisation").filter(pk=pk).first()
    if sector is None:
        raise Http404
    raw = request.POST.get("progress", "")
    try:
        services.sector_update(
            sector=sector, by=request.actor, progress=int(raw) if raw.isdigit() else -1
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã cập nhật tiến độ."))
    return redirect("activities:sectors")


@login_required
@require_POST
def sector_milestone(request, pk: int):
    sector = Sector.objects.select_related("organisation").filter(pk=pk).first()
    if sector is None:
        raise Http404
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.sector_milestone_add(sector=sector, by=request.actor, **form.cleaned_data)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã thêm mốc tiến độ."))
    else:
        messages.error(request, _("Hãy nhập ngày và nội dung mốc."))
    return redirect("activities:sectors")


# --- offers ----------------------------------------------------------------------------------


@login_required
def offers(request):
    """Register an offer; see my unit's offers and their moderation status."""
    _require(request, "offers.register")
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_register(by=request.actor, data=form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã gửi ưu đãi; ưu đãi được công khai sau khi kiểm duyệt."))
            return redirect("activities:offers")
    return render(
        request,
        "activities/offers.html",
        {"form": form, "offers": selectors.offers_of_unit(request.actor)},
    )


@login_required
def offer_moderation(request):
    _require(request, "offers.moderate")
    if request.method == "POST":
        offer = selectors.offers_for_moderation(request.actor).filter(pk=request.POST.get("offer"))
        offer = offer.first()
        if offer is None:
            raise Http404
        try:
            if request.POST.get("decision") == "approve":
                services.offer_approve(offer=offer, by=request.actor)
                messages.success(request, _("Đã duyệt và công khai ưu đãi."))
            else:
                services.offer_reject(
                    offer=offer, by=request.actor, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("Đã từ chối ưu đãi."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("activities:offer_moderation")
    return render(
        request,
        "activities/offer_moderation.html",
        {
            "offers": selectors.offers_for_moderation(request.actor),
            "reject_form": RejectForm(),
            "Offer": Offer,
        },
    )


# --- Excel exchange --------------------------------------------------------------------------


@login_required
def excel_template(request):
    _require(request, "activities.report")
    response = HttpResponse(
        exchange.template_xlsx(request.actor),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="bao-cao-hoat-dong.xlsx"'
    return response


@login_required
def excel_import(request):
    """Upload a filled template: a dry run by default; saving only when every row is valid."""
    _require(request, "activities.report")
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = exchange.activities_import(
                by=request.actor,
                upload=form.cleaned_data["file"],
                dry_run=not form.cleaned_data["confirm"],
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            if report.ok and not report.dry_run:
                messages.success(
                    request, _("Đã lưu %(n)s báo cáo nháp từ tệp.") % {"n": report.saved}
                )
                return redirect("activities:mine")
    return render(request, "activities/excel.html", {"form": form, "report": report})
