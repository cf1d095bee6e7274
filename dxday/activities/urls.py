from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("viec-can-lam/", views.inbox, name="inbox"),
    path("bat-dau/", views.start, name="start"),
    path("bao-cao/", views.create, name="create"),
    path("bao-cao/chi-tieu/", views.indicator_fields, name="indicator_fields"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sua/", views.edit, name="edit"),
    path("<int:pk>/gui/", views.submit, name="submit"),
    path("<int:pk>/duyet/", views.accept, name="accept"),
    path("<int:pk>/tra-lai/", views.return_, name="return"),
    path("<int:pk>/ngung-cong-khai/", views.unpublish, name="unpublish"),
    path("duyet/", views.review, name="review"),
    path("cong-khai/", views.published, name="published"),
    path("cap-duoi/", views.subtree, name="subtree"),
    path("minh-chung/<int:pk>/xoa/", views.evidence_delete, name="evidence_delete"),
    path("minh-chung/<int:pk>/", views.evidence, name="evidence"),
    path("nhiem-vu/", views.task_results_index, name="task_results_index"),
    path("nhiem-vu/<int:pk>/ket-qua/", views.task_results, name="task_results"),
    path("linh-vuc/", views.sectors, name="sectors"),
    path("linh-vuc/<int:pk>/tien-do/", views.sector_progress, name="sector_progress"),
    path("linh-vuc/<int:pk>/moc/", views.sector_milestone, name="sector_milestone"),
    path("uu-dai/", views.offers, name="offers"),
    path("uu-dai/kiem-duyet/", views.offer_moderation, name="offer_moderation"),
    path("excel/", views.excel_import, name="excel"),
    path("excel/mau.xlsx", views.excel_template, name="excel_template"),
]
