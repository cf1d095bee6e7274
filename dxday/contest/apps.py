from django.apps import AppConfig


class ContestConfig(AppConfig):
    name = "dxday.contest"
    label = "contest"
    verbose_name = "Cuộc thi trực tuyến"
