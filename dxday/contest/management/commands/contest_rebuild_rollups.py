"""Recompute the contest roll-up tables from the attempts (repair)."""

from django.core.management.base import BaseCommand

from dxday.contest.rollups import rollups_rebuild


class Command(BaseCommand):
    help = "Tính lại các bảng tổng hợp của cuộc thi từ các lượt thi."

    def handle(self, *args, **options):
        for name, n in rollups_rebuild().items():
            self.stdout.write(f"{name}: {n}")
