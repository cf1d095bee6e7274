from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "dxday.learning"
    label = "learning"
    verbose_name = "Ngày hội học tập số"
