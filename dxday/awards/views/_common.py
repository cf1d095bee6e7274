"""Shared by the awards pages."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


def verify_first(request):
    return redirect(f"{reverse('identity:start')}?{urlencode({'next': request.get_full_path()})}")
