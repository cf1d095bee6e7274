from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "dxday.orgs"
    label = "orgs"
    verbose_name = "Địa bàn và tổ chức"
