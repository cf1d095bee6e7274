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


class PasswordChangeRequiredMiddleware:
    """A person whose password an operator reset goes to the password-change page until they
    have chosen their own; the API answers 403 `password_change_required` meanwhile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            blocked = self._blocked(request)
            if blocked is not None:
                return blocked
        return self.get_response(request)

    @staticmethod
    def _blocked(request):
        from django.conf import settings
        from django.http import JsonResponse
        from django.shortcuts import redirect
        from django.urls import reverse
        from django.utils.translation import gettext as _

        allowed = (
            reverse("orgs:password_change"),
            reverse("orgs:logout"),
            reverse("set_language"),
            settings.STATIC_URL,
        )
        if request.path.startswith(allowed):
            return None
        message = _("Mật khẩu của bạn vừa được đặt lại. Hãy đổi sang mật khẩu của riêng bạn.")
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"code": "password_change_required", "message": message}, status=403
            )
        from django.contrib import messages

        messages.warning(request, message)
        return redirect("orgs:password_change")
