from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("csrf/", views.csrf_token, name="csrf_token"),
]
