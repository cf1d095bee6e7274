from django.http import JsonResponse
from django.urls import path

from dxday.urls import urlpatterns as dxday_urlpatterns


def bare(request):
    """The baseline: a Django view that returns JSON and touches nothing."""
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/bare", bare), *dxday_urlpatterns]
