from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "dxday.activities"
    label = "activities"
    verbose_name = "Hoạt động hưởng ứng"
