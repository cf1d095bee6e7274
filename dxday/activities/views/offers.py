"""Offers and discounts on digital services: registration and moderation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dxday.core.errors import DomainError
from dxday.core.params import int_param
from dxday.orgs.permissions import ensure_action

from .. import selectors, services
from ..forms import (
    OfferForm,
    RejectForm,
)
from ..models import Offer
from ._common import _flash, _form_error

# --- offers ----------------------------------------------------------------------------------


@login_required
def offers(request):
    """Register an offer; see my unit's offers and their moderation status."""
    ensure_action(request.actor, "offers.register")
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_register(by=request.actor, data=form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
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
    ensure_action(request.actor, "offers.moderate")
    if request.method == "POST":
        offer = selectors.get_offer_for_moderation(
            request.actor, int_param(request.POST.get("offer"))
        )
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
            _flash(request, exc)
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
