from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path("quen-mat-khau/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "quen-mat-khau/da-gui/", views.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "dat-lai-mat-khau/xong/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "tai-khoan/<int:pk>/dat-lai-mat-khau/",
        views.user_password_reset,
        name="user_password_reset",
    ),
    path("vai-tro/", views.acting_switch, name="acting_switch"),
    path("don-vi/", views.workspace, name="workspace"),
    path("don-vi/<slug:code>/", views.organisation_detail, name="organisation_detail"),
    path("don-vi/<slug:code>/them/", views.organisation_create, name="organisation_create"),
    path("don-vi/<slug:code>/sua/", views.organisation_update, name="organisation_update"),
    path("don-vi/<slug:code>/nguoi-dung/them/", views.user_create, name="user_create"),
    path("don-vi/<slug:code>/vai-tro/them/", views.membership_grant, name="membership_grant"),
    path("vai-tro/<int:pk>/thu-hoi/", views.membership_revoke, name="membership_revoke"),
    path("tai-khoan/token/", views.token_list, name="token_list"),
    path("tai-khoan/token/<int:pk>/thu-hoi/", views.token_revoke, name="token_revoke"),
    path("nhat-ky/<str:model>/<str:object_id>/", views.audit_trail, name="audit_trail"),
    path("nhap-tu-tep/", views.import_home, name="import_home"),
    path("nhap-tu-tep/<slug:kind>/", views.import_page, name="import"),
    path(
        "nhap-tu-tep/<slug:kind>/mau.<str:fmt>",
        views.import_template_download,
        name="import_template",
    ),
]
