from django.apps import AppConfig


class MaterialsConfig(AppConfig):
    name = "dxday.materials"
    label = "materials"
    verbose_name = "Tài liệu truyền thông"
