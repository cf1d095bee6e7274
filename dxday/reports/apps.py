from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "dxday.reports"
    label = "reports"
    verbose_name = "Báo cáo tổng hợp"

    def ready(self):
        # Every capability registers its own report section in `<app>/report_sections.py`.
        from .registry import autodiscover

        autodiscover()
