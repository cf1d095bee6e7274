"""Thin HTML views: parse input, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import LoginForm
from .middleware import SESSION_KEY


class LoginView(auth_views.LoginView):
    template_name = "orgs/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "orgs/password_change.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response

    def get_success_url(self):
        from django.conf import settings
        from django.urls import reverse

        return reverse(settings.LOGIN_REDIRECT_URL)


@login_required
@require_POST
def acting_switch(request):
    """Pick which organisation the user acts for (only among their own memberships)."""
    membership = request.user.memberships.filter(pk=request.POST.get("membership")).first()
    if membership is None:
        messages.error(request, _("Bạn không có vai trò này."))
    else:
        request.session[SESSION_KEY] = membership.pk
        messages.success(
            request,
            _("Bạn đang làm việc với tư cách %(role)s, %(org)s.")
            % {"role": membership.get_role_display(), "org": membership.organisation.name},
        )
    nxt = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = "/"
    return redirect(nxt)
