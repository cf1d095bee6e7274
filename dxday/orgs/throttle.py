"""Failed-login throttling (django-axes) for the login page and POST /api/v1/auth/token.

Failures are counted per account name and, separately, per client address; past
`AXES_FAILURE_LIMIT` of either within `AXES_COOLOFF_TIME`, further attempts are refused for the
cool-off window, with the correct password too. A name that matches no account is counted the
same way, and the lockout answer is the same sentence, so neither reveals whether an account
exists (Django's ModelBackend also runs the password hasher for unknown names, so a failure
takes as long either way). Counts live in the database, or in Redis when REDIS_URL is set.
"""

from __future__ import annotations

import math

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from dxday.core.http import client_ip  # noqa: F401  (AXES_CLIENT_IP_CALLABLE)


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' lockout check, for logins that arrive as requests (the page and the API).

    `authenticate()` without a request (the test client's `login()`, a shell) is not a network
    login attempt, so there is nothing to throttle; axes would refuse it outright.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def cooloff_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def lockout_message() -> str:
    minutes = max(1, math.ceil(cooloff_seconds() / 60))
    return _(
        "Đăng nhập không thành công quá nhiều lần. Để bảo vệ tài khoản, hãy thử lại sau "
        "%(minutes)s phút hoặc đặt lại mật khẩu qua thư điện tử."
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """429 with Retry-After: JSON `{code, message}` on the API, the login page otherwise."""
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"code": "too_many_attempts", "message": lockout_message()}, status=429
        )
    else:
        from .forms import LoginForm

        response = render(
            request,
            "orgs/login.html",
            {"form": LoginForm(request), "locked_out": lockout_message()},
            status=429,
        )
    response["Retry-After"] = str(cooloff_seconds())
    return response
