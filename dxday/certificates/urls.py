from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("xac-thuc/", views.verify_form, name="verify_form"),
    path("xac-thuc/<str:code>/", views.verify, name="verify"),
    path("xac-thuc/<str:code>/pdf", views.pdf, name="pdf"),
]
