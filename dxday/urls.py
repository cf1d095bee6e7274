from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from django.views.static import serve

from .api import api, not_found

urlpatterns = [
    # The language switch sits in every page's shell; exempt from CSRF so that public pages
    # carry no token (a forged request could only change the visitor's language).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # Every other /api/ path answers the API's JSON 404 (not Django's HTML page).
    re_path(r"^api/", not_found),
    path("", include("dxday.core.urls")),
    path("", include("dxday.orgs.urls")),
    path("plans/", include("dxday.plans.urls")),
    path("activities/", include("dxday.activities.urls")),
    path("outreach/", include("dxday.outreach.urls")),
    path("", include("dxday.materials.urls")),
    path("reports/", include("dxday.reports.urls")),
    path("", include("dxday.certificates.urls")),
    path("", include("dxday.identity.urls")),
    path("", include("dxday.learning.urls")),
    path("", include("dxday.contest.urls")),
    path("", include("dxday.awards.urls")),
    path("", include("dxday.portal.urls")),
]

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
