"""dxday's URLs with a bare JSON view in front (the baseline of bench.learning's L3)."""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from dxday.urls import urlpatterns as dxday_urlpatterns


@csrf_exempt
def bare(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/bare/", bare), *dxday_urlpatterns]
