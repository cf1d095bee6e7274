from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "dxday.awards"
    label = "awards"
    verbose_name = "Giải thưởng và tôn vinh"
