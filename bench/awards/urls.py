from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from dxday.urls import urlpatterns as app_urls


@csrf_exempt  # a token-authenticated POST, as the vote endpoint is
def bare(request):
    """The baseline: Django's whole request cycle and a JSON body the size of a vote's answer."""
    return JsonResponse({"candidate": 12345, "votes": 1234, "votes_left": 2}, status=201)


urlpatterns = [path("bench/bare", bare), *app_urls]
