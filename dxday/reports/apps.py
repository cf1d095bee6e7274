from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "dxday.reports"
    label = "reports"
    verbose_name = "Báo cáo tổng hợp"
