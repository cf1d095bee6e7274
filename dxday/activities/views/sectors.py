"""State-management areas: the units pick them and record their progress."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxday.core.errors import DomainError
from dxday.core.params import int_param
from dxday.orgs.models import Organisation

from .. import selectors, services
from ..forms import (
    MilestoneForm,
    SectorForm,
)
from ..permissions import (
    ensure_any_action,
)
from ._common import _flash, _form_error

# --- state-management areas ------------------------------------------------------------------


@login_required
def sectors(request):
    actor = request.actor
    ensure_any_action(actor, "activities.view", "sectors.manage")
    org = actor.organisation
    is_ministry = org is not None and org.kind == Organisation.Kind.MINISTRY
    form = SectorForm(request.POST or None) if is_ministry else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.sector_create(by=actor, organisation=org, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
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
    sector = selectors.get_sector_for_user(request.actor, pk)
    # Anything but a whole number is -1, which the service refuses with its own sentence.
    progress = int_param(request.POST.get("progress"), default=-1)
    try:
        services.sector_update(sector=sector, by=request.actor, progress=progress)
    except DomainError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Đã cập nhật tiến độ."))
    return redirect("activities:sectors")


@login_required
@require_POST
def sector_milestone(request, pk: int):
    sector = selectors.get_sector_for_user(request.actor, pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.sector_milestone_add(sector=sector, by=request.actor, **form.cleaned_data)
        except DomainError as exc:
            _flash(request, exc)
        else:
            messages.success(request, _("Đã thêm mốc tiến độ."))
    else:
        messages.error(request, _("Hãy nhập ngày và nội dung mốc."))
    return redirect("activities:sectors")
