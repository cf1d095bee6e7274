from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "dxday.portal"
    label = "portal"
    verbose_name = "Cổng thông tin"
