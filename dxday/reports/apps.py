from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "dxday.reports"
    label = "reports"
    verbose_name = "Báo cáo tổng hợp"

    def ready(self):
        # Reports consumes the section registry of core: every capability registers its
        # sections in `<app>/report_sections.py`, found through the app registry by name.
        from dxday.core.report_sections import autodiscover

        from . import tasks  # noqa: F401 — connects the queued-job receiver

        autodiscover()
