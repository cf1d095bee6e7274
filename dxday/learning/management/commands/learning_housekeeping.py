from django.core.management.base import BaseCommand

from dxday.learning.services import holds_expire, registrations_erase_contacts


class Command(BaseCommand):
    help = (
        "Release expired seat holds and erase registrants' contacts past the retention period "
        "(`dxday learning-housekeeping`; run it from cron every few minutes)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"holds_expired: {holds_expire()}")
        self.stdout.write(f"contacts_erased: {registrations_erase_contacts()}")
