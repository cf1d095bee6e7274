from django.urls import path

from . import views

app_name = "learning"
urlpatterns = [
    # Public: find a class, its page and poster, registration, the ticket, the figures.
    path("hoc-tap/", views.find_classes, name="find"),
    path("hoc-tap/so-lieu/", views.dashboard, name="dashboard"),
    path("hoc-tap/lop/<int:pk>/", views.class_page, name="class"),
    path("hoc-tap/lop/<int:pk>/ap-phich/", views.class_poster, name="poster"),
    path("hoc-tap/lop/<int:pk>/dang-ky/", views.register_form, name="register"),
    path("hoc-tap/ve/<str:code>/", views.ticket_page, name="ticket"),
    # The organiser's workspace.
    path("hoc-tap/quan-ly/", views.workspace, name="workspace"),
    path("hoc-tap/quan-ly/moi/", views.offering_new, name="offering_new"),
    path("hoc-tap/quan-ly/nhap/", views.offering_import, name="offering_import"),
    path("hoc-tap/quan-ly/bien-che/", views.headcount, name="headcount"),
    path("hoc-tap/quan-ly/<int:pk>/", views.offering_detail, name="offering_detail"),
    path("hoc-tap/quan-ly/<int:pk>/sua/", views.offering_edit, name="offering_edit"),
    path("hoc-tap/quan-ly/<int:pk>/ghi-danh/", views.offering_enrol, name="offering_enrol"),
    path("hoc-tap/quan-ly/<int:pk>/quet-trung/", views.offering_duplicates, name="duplicates"),
    path("hoc-tap/quan-ly/<int:pk>/tham-du/", views.offering_attendance, name="attendance"),
    path("hoc-tap/quan-ly/<int:pk>/chung-nhan/", views.offering_certificates, name="certificates"),
    # The check-in app and everything its service worker caches live under one path (its scope).
    path("hoc-tap/diem-danh/", views.checkin, name="checkin"),
    path("hoc-tap/diem-danh/sw.js", views.checkin_sw, name="checkin_sw"),
    path("hoc-tap/diem-danh/manifest.webmanifest", views.checkin_manifest, name="checkin_manifest"),
    path("hoc-tap/diem-danh/icon.svg", views.checkin_icon, name="checkin_icon"),
]
