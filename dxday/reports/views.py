"""Thin HTML views: parse input, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxday.core.errors import DomainError, NotFound
from dxday.core.http import redirect_back
from dxday.core.params import int_param
from dxday.orgs.permissions import can, ensure_can
from dxday.plans import selectors as plan_selectors

from . import charts, selectors, services
from .forms import HeaderForm, NarrativeForm, ReturnForm
from .models import ReportJob


def _action(view):
    """POST actions: an action refused by a rule (the report's state, a missing reason) shows
    its sentence on the page it came from (on this site only). Permission answers go on to the
    middleware like on every page: 404 outside the subtree, 403 for a role that may not act."""

    @login_required
    @require_POST
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            messages.error(request, exc.message)
            return redirect_back(request)

    return wrapper


@login_required
def home(request):
    actor = request.actor
    campaign = plan_selectors.campaign_latest()
    org = actor.organisation
    if org is None and not actor.is_operator:
        raise NotFound()
    context = {
        "campaign": campaign,
        "organisation": org,
        "reports": selectors.report_list_for_user(actor)[:200],
        "to_review": selectors.reports_to_review(actor),
    }
    return render(request, "reports/home.html", context)


@login_required
def dashboard(request, code: str, year: int):
    actor = request.actor
    org = selectors.get_organisation_for_user(actor, code)
    campaign = selectors.get_campaign(year)
    data = selectors.dashboard(org, campaign)
    context = {
        "organisation": org,
        "campaign": campaign,
        "data": data,
        "charts": _dashboard_charts(data),
        "report": selectors.report_for_campaign(org, campaign),
        "can_draft": can(actor, "reports.draft", org),
        "campaign_years": plan_selectors.campaign_years(),
    }
    return render(request, "reports/dashboard.html", context)


def _dashboard_charts(data) -> dict:
    out = {}
    units = data["units"]
    if data["completion_by_unit"]:
        out["completion"] = charts.hbar_chart(
            [charts.Bar(units[k], v) for k, v in data["completion_by_unit"]],
            title=_("Tỷ lệ nhiệm vụ đã báo cáo theo đơn vị"),
            percent=True,
        )
    if data["activities_by_type"]:
        out["activities"] = charts.hbar_chart(
            [charts.Bar(f["label"], f["value"]) for f in data["activities_by_type"]],
            title=_("Hoạt động hưởng ứng theo loại"),
        )
    if data["indicators"]:
        out["indicators"] = charts.hbar_chart(
            [charts.Bar(f["label"], f["value"]) for f in data["indicators"]],
            title=_("Chỉ tiêu kết quả"),
        )
    if data["outreach_by_unit"]:
        out["outreach"] = charts.hbar_chart(
            [charts.Bar(units[k], v) for k, v in data["outreach_by_unit"]],
            title=_("Tỷ lệ hộ đã đến so với chỉ tiêu"),
            percent=True,
        )
    if data["year_over_year"]:
        prev, cur = data["years"]
        out["yoy"] = charts.hbar_chart(
            [charts.Bar(r["label"], r["current"], r["previous"]) for r in data["year_over_year"]],
            title=_("So sánh năm %(cur)s với năm %(prev)s") % {"cur": cur, "prev": prev},
            legend=(str(cur), str(prev)),
        )
    return out


@login_required
def reporting_rates(request, code: str, year: int):
    actor = request.actor
    org = selectors.get_organisation_for_user(actor, code)
    campaign = selectors.get_campaign(year)
    rows = selectors.reporting_rates(org, campaign)
    for row in rows:
        row["received_bar"] = charts.rate_bar(row["received_rate"])
        row["on_time_bar"] = charts.rate_bar(row["on_time_rate"])
    context = {
        "organisation": org,
        "campaign": campaign,
        "rows": rows,
        "due_on": selectors.reporting_deadline(campaign),
        "children": selectors.child_report_statuses(org, campaign),
    }
    return render(request, "reports/rates.html", context)


@_action
def report_start(request, code: str, year: int):
    actor = request.actor
    org = selectors.get_organisation_for_user(actor, code)
    campaign = selectors.get_campaign(year)
    report = services.report_draft(organisation=org, campaign=campaign, by=actor)
    return redirect("reports:report_detail", report_id=report.pk)


@login_required
def report_detail(request, report_id: int):
    actor = request.actor
    report = selectors.get_report_for_user(actor, report_id)
    content = selectors.report_view_content(report)
    parent = selectors.parent_organisation(report.organisation)
    editable = report.is_editable and can(actor, "reports.draft", report.organisation)
    context = {
        "report": report,
        "content": content,
        "editable": editable,
        # Empty sections start from the text drafted from the figures, marked as a draft.
        "narrative_form": NarrativeForm(initial=content["narrative"], drafted=content["drafted"])
        if editable
        else None,
        "header_form": HeaderForm(instance=report) if editable else None,
        "return_form": ReturnForm(),
        "can_review": parent is not None and can(actor, "reports.review", parent),
        "snapshots": selectors.report_snapshots(report),
        "jobs": report.jobs.order_by("-created_at")[:5],
    }
    return render(request, "reports/report_detail.html", context)


@_action
def report_edit(request, report_id: int):
    actor = request.actor
    report = selectors.get_report_for_user(actor, report_id)
    form = NarrativeForm(request.POST)
    header_form = HeaderForm(request.POST, instance=report)
    if not form.is_valid() or not header_form.is_valid():
        messages.error(request, _("Hãy kiểm tra lại các trường được đánh dấu."))
        return redirect("reports:report_detail", report_id=report.pk)
    explanations = {
        key[len("explain:") :]: value
        for key, value in request.POST.items()
        if key.startswith("explain:")
    }
    services.report_update_narrative(
        report=report,
        by=actor,
        narrative=form.cleaned_data,
        explanations=explanations,
        header=header_form.header_changes(),
    )
    messages.success(request, _("Đã lưu nội dung báo cáo."))
    return redirect("reports:report_detail", report_id=report.pk)


@_action
def report_submit(request, report_id: int):
    report = selectors.get_report_for_user(request.actor, report_id)
    services.report_submit(report=report, by=request.actor)
    messages.success(request, _("Đã gửi báo cáo lên cấp trên."))
    return redirect("reports:report_detail", report_id=report.pk)


@_action
def report_accept(request, report_id: int):
    report = selectors.get_report_for_user(request.actor, report_id)
    snap = services.report_accept(report=report, by=request.actor)
    messages.success(request, _("Đã tiếp nhận báo cáo (bản chốt số %(v)s).") % {"v": snap.version})
    return redirect("reports:report_detail", report_id=report.pk)


@_action
def report_return(request, report_id: int):
    report = selectors.get_report_for_user(request.actor, report_id)
    form = ReturnForm(request.POST)
    reason = form.data.get("reason", "")
    services.report_return(report=report, by=request.actor, reason=reason)
    messages.success(request, _("Đã trả lại báo cáo kèm lý do."))
    return redirect("reports:report_detail", report_id=report.pk)


@login_required
def report_diff(request, report_id: int):
    actor = request.actor
    report = selectors.get_report_for_user(actor, report_id)
    snap = selectors.report_snapshots(report).first()
    if snap is None:
        raise NotFound(_("Báo cáo chưa có bản chốt."))
    live = selectors.report_figures(report.organisation, report.campaign, report.period)
    context = {
        "report": report,
        "snapshot": snap,
        "rows": selectors.figure_diff(snap.figures, live),
    }
    return render(request, "reports/report_diff.html", context)


# --- documents -----------------------------------------------------------------------------------
@_action
def job_create(request, code: str, year: int, fmt: str):
    actor = request.actor
    org = selectors.get_organisation_for_user(actor, code)
    campaign = selectors.get_campaign(year)
    report = None
    if request.POST.get("report"):
        # An id that is not a number is a report that does not exist (id 0): 404.
        report_id = int_param(request.POST["report"], default=0)
        report = selectors.get_report_for_user(actor, report_id)
    job = services.report_job_create(
        organisation=org, campaign=campaign, format=fmt, by=actor, report=report
    )
    if request.htmx:
        return render(request, "reports/_job.html", {"job": _fresh(job)})
    return redirect("reports:job_detail", job_id=job.pk)


def _fresh(job: ReportJob) -> ReportJob:
    job.refresh_from_db()
    return job


@login_required
def job_detail(request, job_id: int):
    job = selectors.report_job_for_user(request.actor, job_id)
    template = "reports/_job.html" if request.htmx else "reports/job.html"
    return render(request, template, {"job": job})


@login_required
def job_download(request, job_id: int):
    job = selectors.report_job_for_user(request.actor, job_id)
    if job.status != ReportJob.Status.DONE or not job.file:
        raise NotFound()
    ensure_can(request.actor, "reports.view", job.organisation)
    name = job.file.name.rsplit("/", 1)[-1]
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=name)


def job_url(job: ReportJob) -> str:
    return reverse("reports:job_detail", kwargs={"job_id": job.pk})
