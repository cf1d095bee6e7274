from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path("vai-tro/", views.acting_switch, name="acting_switch"),
]
