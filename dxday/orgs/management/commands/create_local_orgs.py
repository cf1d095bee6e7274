import time

from django.core.management.base import BaseCommand, CommandError

from dxday.orgs.areas import local_orgs_create
from dxday.orgs.models import Province


class Command(BaseCommand):
    help = (
        "Create the national root, the 34 provincial and the 3,321 commune People's Committees "
        "(idempotent). Run load-areas first."
    )

    def handle(self, *args, **options):
        if not Province.objects.exists():
            raise CommandError("Chưa có dữ liệu địa bàn: hãy chạy `dxday load-areas` trước.")
        started = time.perf_counter()
        r = local_orgs_create()
        self.stdout.write(f"Đơn vị: thêm {len(r.created)} ({time.perf_counter() - started:.2f} s).")
