"""The public programme pages and the vote."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dxday.core.errors import DomainError
from dxday.core.http import client_ip
from dxday.core.pagecache import cached
from dxday.identity.selectors import identity_from_request

from .. import selectors, services
from ..models import Programme
from ._common import verify_first


@cached(scopes=("awards",), ttl=30)
def programme_list(request):
    context = {"programmes": selectors.programme_list_public()}
    return render(request, "awards/programme_list.html", context)


@cached(scopes=("awards",), ttl=30)
def programme_detail(request, pk: int):
    programme = selectors.get_programme_public(pk)
    context = {
        "programme": programme,
        "categories": programme.categories.prefetch_related("criteria"),
        "results": (
            selectors.results_public(programme)
            if programme.phase == Programme.Phase.PUBLISHED
            else None
        ),
        "standing": (
            selectors.honours_standing(programme)
            if programme.kind == Programme.Kind.HONOURS
            else None
        ),
        "entries_open": services.entries_window_open(programme),
    }
    return render(request, "awards/programme_detail.html", context)


@require_http_methods(["GET", "POST"])
def vote(request, pk: int):
    """The vote's own page (not cached): the programme page stays the same for everyone."""
    candidate = selectors.get_candidate_public(pk)
    identity = identity_from_request(request)
    if identity is None:
        return verify_first(request)
    if request.method == "POST":
        try:
            services.vote_cast(identity=identity, candidate=candidate, client_ip=client_ip(request))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Cảm ơn bạn đã bình chọn cho “%(name)s”.") % {"name": candidate.name}
            )
        return redirect("awards:programme", pk=candidate.programme_id)
    return render(request, "awards/vote.html", {"candidate": candidate, "identity": identity})
