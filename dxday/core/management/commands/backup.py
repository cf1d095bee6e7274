"""`dxday backup FILE.tar.gz`: the database and every stored file, with a checked manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dxday.core.backup import backup_write
from dxday.core.errors import DomainError


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và mọi tệp đã lưu vào một tệp .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options):
        try:
            manifest = backup_write(archive)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        rows = sum(manifest.tables.values())
        self.stdout.write(
            f"{archive}: {len(manifest.tables)} bảng, {rows} dòng, {len(manifest.files)} tệp"
        )
