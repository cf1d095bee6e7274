from django.urls import path

from . import views

app_name = "awards"
urlpatterns = [
    path("giai-thuong/", views.programme_list, name="programmes"),
    path("giai-thuong/<int:pk>/", views.programme_detail, name="programme"),
    path("giai-thuong/<int:pk>/du-thi/", views.entry_new, name="entry_new"),
    path("giai-thuong/ho-so/", views.my_entries, name="my_entries"),
    path("giai-thuong/ho-so/<int:pk>/", views.entry_edit, name="entry"),
    path("giai-thuong/ho-so/<int:pk>/tep/", views.entry_file_upload, name="entry_file_upload"),
    path("giai-thuong/ho-so/<int:pk>/nop/", views.entry_submit, name="entry_submit"),
    path("giai-thuong/tep/<int:pk>/", views.entry_file, name="entry_file"),
    path("ton-vinh/<int:pk>/binh-chon/", views.vote, name="vote"),
    path("giam-khao/", views.juror_home, name="juror_home"),
    path("giam-khao/xung-dot/<int:seat>/", views.juror_conflict, name="juror_conflict"),
    path("giam-khao/<int:pk>/", views.juror_review, name="juror_review"),
    path("giai-thuong/quan-ly/", views.manage_list, name="manage"),
    path("giai-thuong/quan-ly/<int:pk>/", views.manage_programme, name="manage_programme"),
    path("giai-thuong/quan-ly/ho-so/<int:pk>/", views.manage_entry, name="manage_entry"),
]
