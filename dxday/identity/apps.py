from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "dxday.identity"
    label = "identity"
    verbose_name = "Định danh người dân"
