from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "dxday.certificates"
    label = "certificates"
    verbose_name = "Chứng nhận"
