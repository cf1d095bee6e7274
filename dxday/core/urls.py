from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on every page whatever the page links.
    path("favicon.ico", views.favicon, name="favicon"),
    path("csrf/", views.csrf_token, name="csrf_token"),
]
