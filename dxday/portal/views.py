"""Thin HTML views: parse input, call one service or selector, render."""

from django.shortcuts import render

from dxday.plans.models import Campaign


def home(request):
    """Campaign home: theme and DX Day message of the latest campaign."""
    campaign = Campaign.objects.order_by("-year").first()
    return render(request, "portal/home.html", {"campaign": campaign})
