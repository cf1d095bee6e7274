"""Plans pages: campaigns."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxday.core.errors import DomainError

from .. import selectors, services
from ..forms import (
    CampaignForm,
    KeyDateFormSet,
    WindowFormSet,
)
from ..models import Campaign
from ..permissions import campaign_manage_allowed, ensure_campaign_manage
from ._common import _form_error, _formset_rows


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
