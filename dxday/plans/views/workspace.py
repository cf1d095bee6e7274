"""Plans pages: unit workspace."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dxday.core.errors import DomainError
from dxday.core.nav import url_may_open
from dxday.core.params import int_param, page_param
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import ensure_action

from .. import selectors, services
from ._common import _campaign_from


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
    notes = list(selectors.notification_list_for_actor(actor)[:100])
    for note in notes:  # a link only where this hat may open the page it points to
        note.link = note.url if note.url and url_may_open(actor, note.url) else ""
    return render(request, "plans/notifications.html", {"notifications": notes})


@login_required
def notification_badge(request):
    """htmx fragment: the unread count of the acting unit."""
    return render(
        request,
        "plans/_badge.html",
        {"unread": selectors.notification_unread_count(request.actor)},
    )
