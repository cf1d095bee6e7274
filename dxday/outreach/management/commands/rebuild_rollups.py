from django.core.management.base import BaseCommand

from dxday.outreach.services import rollups_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the door-to-door roll-up tables from the raw sessions (`dxday rebuild-rollups`)."
    )

    def handle(self, *args, **options):
        counts = rollups_rebuild()
        for name, n in counts.items():
            self.stdout.write(f"{name}: {n}")
