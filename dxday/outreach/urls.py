from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tinh/<str:code>/", views.dashboard_province, name="dashboard_province"),
    path("xa/<str:code>/", views.dashboard_commune, name="dashboard_commune"),
    path("tien-do/", views.progress, name="progress"),
    path("to/", views.team_page, name="team"),
    path("to/ma-thiet-bi/", views.token_issue, name="token_issue"),
    path("to/ma-thiet-bi/<int:pk>/thu-hoi/", views.token_revoke, name="token_revoke"),
    path("to/nhap/", views.team_import, name="team_import"),
    path("to/nhap/mau.xlsx", views.team_import_template, name="team_import_template"),
    path("to/thanh-vien/", views.member_add, name="member_add"),
    # The field app and everything its service worker caches live under one path (its scope).
    path("ung-dung/", views.field, name="field"),
    path("ung-dung/sw.js", views.field_sw, name="field_sw"),
    path("ung-dung/manifest.webmanifest", views.field_manifest, name="field_manifest"),
    path("ung-dung/icon.svg", views.field_icon, name="field_icon"),
    path("ung-dung/token/", views.field_token, name="field_token"),
]
