"""Shared body of `dxday import-orgs` and `dxday import-users`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dxday.core.errors import DomainError
from dxday.core.imports import read_rows, run_import
from dxday.orgs.models import User
from dxday.orgs.permissions import Actor


class ImportCommand(BaseCommand):
    importer = None  # set by subclasses

    def add_arguments(self, parser):
        parser.add_argument("file", help=".xlsx or .csv, first row = headers")
        parser.add_argument(
            "--save", action="store_true", help="write (default: dry run, nothing saved)"
        )
        parser.add_argument(
            "--as", dest="username", default=None, help="record the audit as this user"
        )

    def handle(self, *args, file, save, username, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"Không thấy tệp {path}.")
        # The command line is the operator's: act with their full reach.
        user = User(username="dxday-cli", is_superuser=True, is_active=True)
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"Không có người dùng {username}.")
        actor = Actor(user=user, membership=None)
        if not actor.is_operator:
            raise CommandError("Người dùng này không phải quản trị hệ thống.")
        try:
            with path.open("rb") as fh:
                rows = read_rows(fh, path.name)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        report = run_import(self.importer(actor), rows, dry_run=not save)
        for error in report.errors:
            self.stderr.write(str(error))
        if report.errors:
            raise CommandError(f"{len(report.errors)} lỗi; không dòng nào được lưu.")
        if save:
            self.stdout.write(f"Đã nhập {report.saved} dòng.")
        else:
            self.stdout.write(f"Tệp hợp lệ: {report.rows_valid} dòng. Chạy lại với --save để lưu.")
