from .nav import nav_items_for


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
    return {
        "actor": actor,
        "nav_items": nav_items_for(actor) if actor is not None else [],
        "my_memberships": memberships,
    }
