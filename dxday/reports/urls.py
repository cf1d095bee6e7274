from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("don-vi/<slug:code>/<int:year>/", views.dashboard, name="dashboard"),
    path("don-vi/<slug:code>/qua-cac-nam/", views.years, name="years"),
    path("don-vi/<slug:code>/qua-cac-nam.xlsx", views.years_export, name="years_export"),
    path("don-vi/<slug:code>/<int:year>/ty-le-bao-cao/", views.reporting_rates, name="rates"),
    path("don-vi/<slug:code>/<int:year>/soan/", views.report_start, name="report_start"),
    path("don-vi/<slug:code>/<int:year>/tai-ve/<str:fmt>/", views.job_create, name="job_create"),
    path("bao-cao/<int:report_id>/", views.report_detail, name="report_detail"),
    path("bao-cao/<int:report_id>/sua/", views.report_edit, name="report_edit"),
    path("bao-cao/<int:report_id>/gui/", views.report_submit, name="report_submit"),
    path("bao-cao/<int:report_id>/tiep-nhan/", views.report_accept, name="report_accept"),
    path("bao-cao/<int:report_id>/tra-lai/", views.report_return, name="report_return"),
    path("bao-cao/<int:report_id>/doi-chieu/", views.report_diff, name="report_diff"),
    path("tac-vu/<int:job_id>/", views.job_detail, name="job_detail"),
    path("tac-vu/<int:job_id>/tai/", views.job_download, name="job_download"),
]
