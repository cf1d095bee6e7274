from django.core.management.base import BaseCommand

from dxday.learning.rollups import rollups_rebuild


class Command(BaseCommand):
    help = "Recompute the learning attendance roll-ups from the raw check-ins."

    def handle(self, *args, **options):
        for name, n in rollups_rebuild().items():
            self.stdout.write(f"{name}: {n}")
