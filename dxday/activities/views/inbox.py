"""The to-do inbox ("Việc cần làm") and the post-login landing that sends each hat to its start."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .. import selectors


@login_required
def start(request):
    """Where signing in lands: the to-do inbox for reporters, unit coordinators and community
    teams; the unit page (/don-vi/) for every other hat."""
    if selectors.lands_on_inbox(request.actor):
        return redirect("activities:inbox")
    return redirect("orgs:workspace")


@login_required
def inbox(request):
    """What the acting unit has to do now (one selector, a fixed number of queries)."""
    return render(
        request, "activities/inbox.html", {"inbox": selectors.inbox_for_actor(request.actor)}
    )
