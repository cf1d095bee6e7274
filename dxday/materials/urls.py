from django.urls import path

from . import views

app_name = "materials"
urlpatterns = [
    path("tai-lieu/", views.library, name="library"),
    path("tai-lieu/quan-ly/", views.manage, name="manage"),
    path("tai-lieu/quan-ly/<int:pk>/", views.manage_detail, name="manage_detail"),
    # Short URLs printed as QR codes: a campaign's library (/m/2025), one issuer's part of it
    # (/m/2025/tinh-38) and one item (/m/<letters>, the same for every version).
    path("m/<int:year>", views.library_short, name="library_short"),
    path("m/<int:year>/qr.<str:fmt>", views.library_qr, name="library_qr"),
    path(
        "m/<int:year>/qr-khoi.<str:fmt>", views.library_qr, {"block": True}, name="library_qr_block"
    ),  # fmt: skip
    path("m/<int:year>/<str:issuer>", views.library_short, name="library_short_issuer"),
    path("m/<int:year>/<str:issuer>/qr.<str:fmt>", views.library_qr, name="library_issuer_qr"),
    path(
        "m/<int:year>/<str:issuer>/qr-khoi.<str:fmt>",
        views.library_qr,
        {"block": True},
        name="library_issuer_qr_block",
    ),  # fmt: skip
    path("m/<slug:code>", views.item, name="item"),
    path("m/<slug:code>/tep", views.file, name="file"),
    path("m/<slug:code>/tep/<int:number>", views.file, name="file_version"),
    path("m/<slug:code>/xem", views.preview, name="preview"),
    path("m/<slug:code>/qr.<str:fmt>", views.item_qr, name="qr"),
    path("m/<slug:code>/qr-khoi.<str:fmt>", views.item_qr, {"block": True}, name="qr_block"),
]
