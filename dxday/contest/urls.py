from django.urls import path

from . import views

app_name = "contest"
urlpatterns = [
    path("cuoc-thi/", views.contest_list, name="list"),
    path("cuoc-thi/<int:pk>/", views.contest_detail, name="detail"),
    path("cuoc-thi/<int:pk>/dang-ky/", views.register, name="register"),
    path("cuoc-thi/dot/<int:pk>/lam-bai/", views.attempt_page, name="attempt"),
    path("cuoc-thi/luot/<int:pk>/ket-qua/", views.attempt_result, name="attempt_result"),
    path("cuoc-thi/quan-ly/", views.manage, name="manage"),
    path("cuoc-thi/quan-ly/<int:pk>/", views.manage_contest, name="manage_contest"),
    path("cuoc-thi/quan-ly/<int:pk>/cau-hoi/", views.bank, name="bank"),
    path(
        "cuoc-thi/quan-ly/cau-hoi/<int:pk>/trang-thai/",
        views.question_status,
        name="question_status",
    ),  # fmt: skip
    path("cuoc-thi/quan-ly/<int:pk>/canh-bao/", views.flags, name="flags"),
    path("cuoc-thi/quan-ly/cau-hoi/<int:pk>/sua/", views.question_edit, name="question_edit"),
    path("cuoc-thi/quan-ly/canh-bao/<int:pk>/da-xem/", views.flag_reviewed, name="flag_reviewed"),
    path("cuoc-thi/quan-ly/<int:pk>/so-can-bo/", views.unit_officials, name="unit_officials"),
    path("cuoc-thi/quan-ly/dot/<int:pk>/ket-qua/", views.results, name="results"),
    path("cuoc-thi/quan-ly/dot/<int:pk>/chung-nhan/", views.certify, name="certify"),
]
