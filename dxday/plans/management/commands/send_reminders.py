"""`dxday send-reminders [--date YYYY-MM-DD]`: queue today's reminders.

Run it once a day from cron or a systemd timer; the django-tasks worker does the work: mark
overdue assignments late, create the day's reminders, then e-mail every reminder still due
(also earlier ones whose e-mail failed). Running it twice the same day creates nothing twice
(one reminder per assignment, kind and day) and e-mails nothing twice.
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Queue the daily reminders: mark overdue assignments late, remind their units, and "
        "e-mail every reminder not yet delivered."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Ngày chạy (YYYY-MM-DD), mặc định hôm nay.")

    def handle(self, *args, **options):
        from dxday.plans.tasks import reminders_daily

        day = (
            datetime.date.fromisoformat(options["date"])
            if options.get("date")
            else timezone.localdate()
        )
        result = reminders_daily.enqueue(day.isoformat())
        self.stdout.write(f"Đã xếp hàng nhắc việc ngày {day:%d/%m/%Y} (task {result.id}).")
