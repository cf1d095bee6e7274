from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("moi/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/sua/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/tien-do/", views.plan_progress, name="plan_progress"),
    path("<int:pk>/nhiem-vu/moi/", views.task_create, name="task_create"),
    path("nhiem-vu/<int:pk>/", views.task_edit, name="task_edit"),
    path("nhiem-vu/<int:pk>/doi-tuong/", views.target_add, name="target_add"),
    path("doi-tuong/<int:pk>/xoa/", views.target_remove, name="target_remove"),
    path("don-vi/tim/", views.unit_lookup, name="unit_lookup"),
    path("cu-the-hoa/", views.plan_cascade, name="plan_cascade"),
    path("nhiem-vu-cua-toi/", views.my_tasks, name="my_tasks"),
    path("don-doc/", views.chase, name="chase"),
    path("thong-bao/", views.notifications, name="notifications"),
    path("thong-bao/so-chua-doc/", views.notification_badge, name="notification_badge"),
    path("chien-dich/", views.campaign_list, name="campaign_list"),
    path("chien-dich/moi/", views.campaign_edit, name="campaign_create"),
    path("chien-dich/<int:year>/", views.campaign_detail, name="campaign_detail"),
    path("chien-dich/<int:year>/sua/", views.campaign_edit, name="campaign_edit"),
    path("chien-dich/<int:year>/cong-bo/", views.campaign_publish, name="campaign_publish"),
    path("chien-dich/<int:year>/xoa/", views.campaign_delete, name="campaign_delete"),
    path("chi-tieu/", views.indicator_list, name="indicator_list"),
    path("chi-tieu/moi/", views.indicator_edit, name="indicator_create"),
    path("chi-tieu/<int:pk>/", views.indicator_edit, name="indicator_edit"),
]
