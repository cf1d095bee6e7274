"""The organiser's workspace: offerings of the unit's subtree, create, edit, import, the
registrations, enrolling a unit's list, duplicate scans and certificates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dxday.core.errors import DomainError
from dxday.core.params import int_param, page_param
from dxday.orgs.permissions import can, ensure_action, ensure_can

from .. import selectors, services
from ..forms import OfferingForm


def _campaign(request):
    return selectors.campaign_for_year(
        int_param(request.GET.get("nam"), minimum=1900, maximum=9999)
    )


@login_required
def workspace(request):
    actor = request.actor
    ensure_action(actor, "learning.view")
    campaign = _campaign(request)
    q = (request.GET.get("q") or "").strip()[:100]
    page = Paginator(selectors.offering_list_for_user(actor, campaign=campaign, q=q), 30).get_page(
        page_param(request.GET.get("trang"))
    )
    officials = []
    if campaign is not None:
        within = None if actor.is_operator else actor.organisation
        officials = selectors.officials_trained(campaign=campaign, within=within)[:200]
    return render(
        request,
        "learning/workspace.html",
        {"page": page, "campaign": campaign, "q": q, "officials": officials,
         "can_manage": actor.has_action("learning.manage")},
    )  # fmt: skip


@login_required
def headcount(request):
    """A unit's number of officials (the share trained is read against it)."""
    from dxday.orgs.models import Organisation

    actor = request.actor
    campaign = _campaign(request)
    if request.method == "POST" and campaign is not None:
        org = Organisation.objects.filter(
            code=(request.POST.get("unit") or "").strip()[:64]
        ).first()
        n = int_param(request.POST.get("officials"), maximum=10_000_000)
        if org is None or n is None:
            messages.error(request, _("Hãy nhập mã đơn vị và số cán bộ (số nguyên không âm)."))
        else:
            try:
                services.headcount_set(
                    actor=actor, campaign=campaign, organisation=org, officials=n
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Đã lưu số cán bộ của %(u)s.") % {"u": org.name})
    return redirect("learning:workspace")


def _form_page(request, form, offering=None):
    return render(request, "learning/offering_form.html", {"form": form, "o": offering})


@login_required
def offering_new(request):
    actor = request.actor
    ensure_action(actor, "learning.manage")
    campaign = _campaign(request)
    if campaign is None:
        messages.error(request, _("Chưa có chiến dịch nào."))
        return redirect("learning:workspace")
    initial = {"organiser": actor.organisation, "registration_open": True}
    form = OfferingForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            offering = services.offering_create(
                actor=actor, campaign=campaign, organiser=form.cleaned_data["organiser"],
                topics=form.cleaned_data["topics"], **form.service_fields(),
            )  # fmt: skip
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Đã tạo lớp học, sự kiện."))
            return redirect("learning:offering_detail", pk=offering.pk)
    return _form_page(request, form)


@login_required
def offering_edit(request, pk: int):
    actor = request.actor
    offering = selectors.get_offering_for_user(actor, pk)
    ensure_can(actor, "learning.manage", offering.organiser)
    initial = {name: getattr(offering, name) for name in services.OFFERING_FIELDS}
    initial.update(
        organiser=offering.organiser, commune=offering.commune_id or "",
        topics=[t.topic for t in offering.topics.all()],
    )  # fmt: skip
    form = OfferingForm(request.POST or None, actor=actor, initial=initial)
    form.fields["organiser"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.offering_update(
                actor=actor, offering=offering, topics=form.cleaned_data["topics"],
                **form.service_fields(),
            )  # fmt: skip
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("learning:offering_detail", pk=offering.pk)
    return _form_page(request, form, offering)


@login_required
def offering_detail(request, pk: int):
    actor = request.actor
    offering = selectors.get_offering_for_user(actor, pk)
    regs = Paginator(selectors.registrations_of(offering), 100).get_page(
        page_param(request.GET.get("trang"))
    )
    return render(
        request,
        "learning/offering_detail.html",
        {
            "o": offering, "regs": regs,
            "can_manage": can(actor, "learning.manage", offering.organiser),
            "duplicates": len(selectors.duplicate_scans(offering)),
        },
    )  # fmt: skip


@login_required
def offering_enrol(request, pk: int):
    """Enrol a unit's officials: its accounts, or a pasted list of names (one a line)."""
    actor = request.actor
    offering = selectors.get_offering_for_user(actor, pk)
    if request.method == "POST":
        from dxday.orgs.models import Organisation

        org = Organisation.objects.filter(
            code=(request.POST.get("unit") or "").strip()[:64]
        ).first()
        names = [n for n in (request.POST.get("names") or "").splitlines() if n.strip()][:2000]
        if org is None:
            messages.error(request, _("Không tìm thấy đơn vị có mã này."))
        else:
            try:
                regs = services.registrations_enrol(
                    actor=actor, offering=offering, organisation=org, names=names or None
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Đã ghi danh %(n)s người.") % {"n": len(regs)})
    return redirect("learning:offering_detail", pk=offering.pk)


@login_required
def offering_attendance(request, pk: int):
    """The organiser's list of who attended an online class: ticket codes, one a line."""
    actor = request.actor
    offering = selectors.get_offering_for_user(actor, pk)
    if request.method == "POST":
        codes = (request.POST.get("codes") or "").splitlines()[:5000]
        try:
            counted, missing = services.attendance_from_list(
                actor=actor, offering=offering, codes=codes
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã ghi nhận thêm %(n)s người tham gia.") % {"n": counted})
            if missing:
                messages.warning(
                    request, _("Không có mã vé: %(codes)s.") % {"codes": ", ".join(missing[:20])}
                )
    return redirect("learning:offering_detail", pk=offering.pk)


@login_required
def offering_certificates(request, pk: int):
    """Issue certificates to everyone who attended (POST action=issue), or revoke one with a
    reason (POST action=revoke, code, reason). Both audited by the certificates app."""
    from dxday.certificates.selectors import certificate_by_code
    from dxday.certificates.services import certificate_revoke

    actor = request.actor
    offering = selectors.get_offering_for_user(actor, pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "revoke":
                cert = certificate_by_code((request.POST.get("code") or "")[:32])
                if cert.source != services.certificate_source(offering):
                    raise DomainError(_("Không tìm thấy."), code="not_found", status=404)
                certificate_revoke(
                    by=actor, certificate=cert, reason=(request.POST.get("reason") or "")[:500]
                )
                messages.success(request, _("Đã thu hồi giấy chứng nhận %(c)s.") % {"c": cert.code})
            else:
                issued = services.certificates_issue_for(actor=actor, offering=offering)
                messages.success(request, _("Đã có %(n)s giấy chứng nhận.") % {"n": len(issued)})
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("learning:certificates", pk=offering.pk)
    return render(
        request,
        "learning/certificates.html",
        {"o": offering, "certs": selectors.certificates_of(offering),
         "can_manage": can(actor, "learning.manage", offering.organiser)},
    )  # fmt: skip


@login_required
def offering_duplicates(request, pk: int):
    """Tickets scanned more than once (two phones offline): counted once, every scan shown."""
    offering = selectors.get_offering_for_user(request.actor, pk)
    return render(
        request,
        "learning/duplicates.html",
        {"o": offering, "rows": selectors.duplicate_scans(offering)},
    )


@login_required
def offering_import(request):
    from dxday.core.imports import read_rows, run_import

    from ..imports import OfferingImport

    actor = request.actor
    ensure_action(actor, "learning.manage")
    campaign = _campaign(request)
    report = None
    if request.method == "POST" and campaign is not None:
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Hãy chọn tệp cần nhập."))
        else:
            try:
                rows = read_rows(upload)
                report = run_import(
                    OfferingImport(actor=actor, campaign=campaign), rows,
                    dry_run=bool(request.POST.get("dry_run")),
                )  # fmt: skip
            except DomainError as exc:
                messages.error(request, exc.message)
    return render(
        request, "learning/offering_import.html", {"report": report, "campaign": campaign}
    )
