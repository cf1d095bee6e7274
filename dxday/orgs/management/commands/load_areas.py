import time

from django.core.management.base import BaseCommand

from dxday.orgs.areas import areas_load


class Command(BaseCommand):
    help = "Load the 34 provinces and 3,321 communes from vietnam-provinces (idempotent)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        r = areas_load()
        self.stdout.write(
            f"Tỉnh: thêm {r.provinces_created}, cập nhật {r.provinces_updated}; "
            f"xã: thêm {r.communes_created}, cập nhật {r.communes_updated} "
            f"({time.perf_counter() - started:.2f} s)."
        )
