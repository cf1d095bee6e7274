"""`dxday restore FILE.tar.gz`: into an empty database and storage, verified against the
archive's manifest (every table's row count, every file's SHA-256)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dxday.core.backup import restore_read
from dxday.core.errors import DomainError


class Command(BaseCommand):
    help = "Khôi phục bản sao lưu vào cơ sở dữ liệu và kho tệp trống, rồi đối chiếu."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options):
        if not archive.is_file():
            raise CommandError(f"Không tìm thấy tệp {archive}.")
        try:
            manifest = restore_read(archive)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Đã khôi phục và đối chiếu: {len(manifest.tables)} bảng, "
            f"{sum(manifest.tables.values())} dòng, {len(manifest.files)} tệp"
        )
