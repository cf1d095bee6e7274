from django.utils.functional import SimpleLazyObject

from .permissions import Actor, actor_for

SESSION_KEY = "dxday_acting_membership"


def get_actor(request) -> Actor:
    if not hasattr(request, "_cached_actor"):
        request._cached_actor = actor_for(request.user, request.session.get(SESSION_KEY))
    return request._cached_actor


class ActorMiddleware:
    """Puts `request.actor`: the user and the organisation they act for (lazily)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(lambda: get_actor(request))
        return self.get_response(request)
