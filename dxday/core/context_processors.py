from .nav import nav_groups, nav_items_for


def shell(request) -> dict:
    """What every page's shell needs: role-dependent navigation and the acting organisation."""
    actor = getattr(request, "actor", None)
    memberships = []
    if actor is not None and request.user.is_authenticated:
        memberships = list(
            request.user.memberships.select_related("organisation").order_by(
                "organisation__depth", "organisation__name"
            )
        )
    items = nav_items_for(actor) if actor is not None else []
    signed_in = request.user.is_authenticated
    return {
        "actor": actor,
        "nav_items": items,
        # The public sees a handful of flat links; signed-in people get one menu per capability.
        "nav_groups": nav_groups(items) if signed_in else [{"items": [i]} for i in items],
        "my_memberships": memberships,
    }
