"""Plans pages: indicator catalogue."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dxday.core.errors import DomainError
from dxday.orgs.permissions import ensure_action

from .. import selectors, services
from ..forms import (
    IndicatorForm,
)
from ..permissions import campaign_manage_allowed, ensure_campaign_manage
from ._common import _form_error


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
