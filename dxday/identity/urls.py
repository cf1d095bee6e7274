from django.urls import path

from . import views

app_name = "identity"
urlpatterns = [
    path("xac-minh/", views.start, name="start"),
    path("xac-minh/<uuid:challenge_id>/", views.verify, name="verify"),
    path("xac-minh/thoat/", views.leave, name="leave"),
]
